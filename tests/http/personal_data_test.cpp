// Personal data sealed at rest with SM4 (issue 18, 等保 / GB/T 39786): what the API shows in
// clear is, in the database, "sm4:<key>:…" — the number is nowhere in the raw file; rows written
// in clear before are sealed by the start-up pass; `anjian keys rotate` re-seals everything with a
// new key while the server serves, and the server reads on.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "auth/keyring.h"
#include "auth/personal_data.h"
#include "support/process.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
// A phone number no other test uses, so that finding it in a file means this test's row.
std::string unique_phone() { return "139" + std::to_string(10'000'000 + next_serial() % 89'999'999); }

std::string raw(World& w, const std::string& sql, const std::string& key) {
  auto c = w.app->db().read();
  auto r = (*c)->query_one(sql, {key});
  return r.ok() ? r->str(0) : "(" + r.error().message + ")";
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class PersonalData : public ApiTest {};
}  // namespace

TEST_P(PersonalData, PhonesAreSealedInTheDatabaseAndClearThroughTheApi) {
  const std::string phone = unique_phone(), contact = unique_phone();
  auto admin = w_->as("nation_admin");
  const std::string uscc = uscc_for("330106", next_serial());
  auto made = admin.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "个人信息加密有限公司"}, {"region_code", "330106"},
                                                             {"industry", "other"}, {"safety_manager", {{"name", "李四"}, {"phone", phone}}}});
  ASSERT_EQ(made.status, 201u) << made.body;
  auto got = admin.get("/api/v1/enterprises/" + uscc);
  EXPECT_EQ(got.json().at("safety_manager").at("phone").as_string(), phone);
  auto history = admin.get("/api/v1/enterprises/" + uscc + "/history");
  EXPECT_NE(history.body.find(phone), std::string::npos) << "the history shows the change in clear";

  const std::string stored = raw(*w_, "SELECT safety_manager_phone FROM enterprises WHERE uscc = ?", uscc);
  EXPECT_TRUE(stored.starts_with("sm4:")) << stored;
  EXPECT_EQ(stored.find(phone), std::string::npos);
  const std::string changes = raw(*w_, "SELECT changes FROM enterprise_history WHERE uscc = ? ORDER BY id LIMIT 1", uscc);
  EXPECT_TRUE(changes.starts_with("sm4:")) << changes.substr(0, 80);

  auto res = w_->as("xihu_insp").post("/api/v1/emergency/resources",
                                      json::object{{"kind", "rescue_team"}, {"name", "加密测试救援队"}, {"region_code", "330106"}, {"lon", 120.1},
                                                   {"lat", 30.2}, {"team_kind", "hazchem"}, {"members", 12}, {"contact", {{"name", "王队长"}, {"phone", contact}}}});
  ASSERT_EQ(res.status, 201u) << res.body;
  const std::string res_id(res.json().at("id").as_string());
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/emergency/resources/" + res_id).json().at("contact").at("phone").as_string(), contact);
  const std::string stored_contact = raw(*w_, "SELECT contact_phone FROM emergency_resources WHERE id = ?", res_id);
  EXPECT_TRUE(stored_contact.starts_with("sm4:")) << stored_contact;

  if (GetParam() == "sqlite") {
    // Nowhere in the database file or its log, whatever table might have copied it.
    const std::string file = w_->db.url().substr(7);
    const std::string bytes = file_bytes(file) + file_bytes(file + "-wal");
    ASSERT_GT(bytes.size(), 10000u);
    EXPECT_EQ(bytes.find(phone), std::string::npos) << "the safety manager's phone in clear in the SQLite file";
    EXPECT_EQ(bytes.find(contact), std::string::npos) << "the rescue contact's phone in clear in the SQLite file";
  }
}

TEST_P(PersonalData, RowsWrittenInClearBeforeAreSealedByTheStartUpPass) {
  const std::string phone = unique_phone();
  auto admin = w_->as("nation_admin");
  const std::string uscc = uscc_for("330106", next_serial());
  ASSERT_EQ(admin.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "旧数据有限公司"}, {"region_code", "330106"},
                                                           {"industry", "other"}}).status, 201u);
  {
    auto c = w_->app->db().write();
    ASSERT_TRUE((*c)->exec("UPDATE enterprises SET safety_manager_name = '赵五', safety_manager_phone = ? WHERE uscc = ?", {phone, uscc}).ok());
  }
  // A value from before sealing is read as it is…
  EXPECT_EQ(admin.get("/api/v1/enterprises/" + uscc).json().at("safety_manager").at("phone").as_string(), phone);
  auto r = auth::reseal_columns(w_->app->db());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GE(r->resealed, 1);
  // …and sealed by the pass, still the same number through the API.
  EXPECT_TRUE(raw(*w_, "SELECT safety_manager_phone FROM enterprises WHERE uscc = ?", uscc).starts_with("sm4:"));
  EXPECT_EQ(admin.get("/api/v1/enterprises/" + uscc).json().at("safety_manager").at("phone").as_string(), phone);
  // A value sealed with a key nobody has is shown as unreadable, not as an error, and left alone.
  {
    auto c = w_->app->db().write();
    ASSERT_TRUE((*c)->exec("UPDATE enterprises SET safety_manager_phone = 'sm4:lost:AAAA' WHERE uscc = ?", {uscc}).ok());
  }
  auto lost = admin.get("/api/v1/enterprises/" + uscc);
  EXPECT_EQ(lost.status, 200u);
  EXPECT_EQ(lost.json().at("safety_manager").at("phone").as_string(), std::string(auth::PersonalData::kUnreadable));
  auto again = auth::reseal_columns(w_->app->db());
  ASSERT_TRUE(again.ok());
  EXPECT_GE(again->unreadable, 1);
  EXPECT_EQ(raw(*w_, "SELECT safety_manager_phone FROM enterprises WHERE uscc = ?", uscc), "sm4:lost:AAAA");
  auto c = w_->app->db().write();
  ASSERT_TRUE((*c)->exec("UPDATE enterprises SET safety_manager_phone = NULL WHERE uscc = ?", {uscc}).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, PersonalData, ::testing::Values("sqlite", "postgres"));

TEST(KeysRotate, ReSealsEverythingWithANewKeyWhileTheServerServes) {
  // A world of its own: rotation changes the keys of everything in it.
  World w("sqlite");
  HttpClient admin = w.as("nation_admin");
  const std::string phone = unique_phone(), uscc = uscc_for("330106", next_serial());
  ASSERT_EQ(admin.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "密钥轮换有限公司"}, {"region_code", "330106"},
                                                           {"industry", "other"}, {"safety_manager", {{"name", "钱六"}, {"phone", phone}}}}).status, 201u);
  const std::string keys = w.data_dir + "/keys/personal.keys";
  auto before = auth::Keyring::load(keys);
  ASSERT_TRUE(before.ok()) << before.error().message;
  const std::string old_id = before->current().id;
  EXPECT_TRUE(raw(w, "SELECT safety_manager_phone FROM enterprises WHERE uscc = ?", uscc).starts_with("sm4:" + old_id + ":"));

  auto rotated = run({ANJIAN_BINARY, "keys", "rotate", "--drop-old", "--data", w.data_dir, "--db", w.db.url()}, {{"ANJIAN_ACCESS_LOG", "0"}},
                     std::chrono::seconds(120));
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;
  auto after = auth::Keyring::load(keys);
  ASSERT_TRUE(after.ok());
  const std::string new_id = after->current().id;
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(after->keys().size(), 1u) << "--drop-old leaves the new key alone";
  EXPECT_EQ(after->index_secret(), before->index_secret()) << "the search digests' key never rotates";
  EXPECT_EQ(std::filesystem::status(keys).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_TRUE(raw(w, "SELECT safety_manager_phone FROM enterprises WHERE uscc = ?", uscc).starts_with("sm4:" + new_id + ":"));
  {
    auto c = w.app->db().read();
    auto left = (*c)->query_one("SELECT COUNT(*) FROM enterprise_history WHERE changes NOT LIKE ?", {"sm4:" + new_id + ":%"});
    EXPECT_EQ(left->i64(0), 0) << "every history row re-sealed";
  }
  // The serving process reads on, and seals what it writes next with the new key.
  EXPECT_EQ(admin.get("/api/v1/enterprises/" + uscc).json().at("safety_manager").at("phone").as_string(), phone);
  const std::string uscc2 = uscc_for("330106", next_serial());
  ASSERT_EQ(admin.post("/api/v1/enterprises", json::object{{"uscc", uscc2}, {"name", "轮换之后有限公司"}, {"region_code", "330106"},
                                                           {"industry", "other"}, {"safety_manager", {{"name", "孙七"}, {"phone", unique_phone()}}}}).status, 201u);
  EXPECT_TRUE(raw(w, "SELECT safety_manager_phone FROM enterprises WHERE uscc = ?", uscc2).starts_with("sm4:" + new_id + ":"));
}

TEST(Keyring, RefusesMalformedKeyFiles) {
  EXPECT_FALSE(auth::Keyring::parse("").ok());
  EXPECT_FALSE(auth::Keyring::parse("k1 " + std::string(64, 'a')).ok()) << "no index key";
  EXPECT_FALSE(auth::Keyring::parse("k1 abc\nindex " + std::string(64, 'a')).ok()) << "short";
  EXPECT_FALSE(auth::Keyring::parse("k1 " + std::string(64, 'g') + "\nindex " + std::string(64, 'a')).ok()) << "not hex";
  EXPECT_FALSE(auth::Keyring::parse("k1 " + std::string(64, 'a') + "\nk1 " + std::string(64, 'b') + "\nindex " + std::string(64, 'a')).ok());
  EXPECT_FALSE(auth::Keyring::parse("a:b " + std::string(64, 'a') + "\nindex " + std::string(64, 'a')).ok());
  auto ok = auth::Keyring::parse(auth::Keyring::generate_text());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->keys().size(), 1u);
  auto two = auth::Keyring::parse(ok->text_with_new_key("k2"));
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->current().id, "k2");
  EXPECT_NE(two->find(ok->current().id), nullptr);
}
