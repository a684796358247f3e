// The coal-mine door on both backends: linking a mine code to an enterprise, CDDY defining points
// and CDSS carrying values (UTF-8 or GB18030) over HTTP with an API key or a session, bad records
// reported by number while the rest is taken, jurisdiction, and the watched folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/text.h"
#include "support/backends.h"
#include "support/coal_mine.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;
namespace fs = std::filesystem;

TEST_P(CoalFilesApi, DefinitionsThenValuesWithBadRecordsByNumber) {
  auto defs = upload(mine_ + "_CDDY_20261129080000.txt", for_mine(sample("140211001234_CDDY_20261129080000.txt")), key_);
  ASSERT_EQ(defs.status, 200u) << defs.body;
  auto d = defs.json();
  EXPECT_EQ(d.at("kind").as_string(), "CDDY");
  EXPECT_EQ(d.at("enterprise_uscc").as_string(), uscc_);
  EXPECT_EQ(d.at("points_created").as_int64(), 4);
  std::vector<std::int64_t> bad;
  for (const auto& i : d.at("issues").as_array()) bad.push_back(i.at("record").as_int64());
  EXPECT_EQ(bad, (std::vector<std::int64_t>{6, 7, 8}));
  // The points are there with the file's thresholds: methane 报警 1.0, 断电 1.5, 复电 1.0.
  auto points = w_->as("xihu_insp").get("/api/v1/monitoring/points?enterprise_uscc=" + uscc_);
  ASSERT_EQ(points.json().at("total").as_int64(), 4);
  for (const auto& p : points.items())
    if (p.at("code").as_string() == mine_ + "MN0101") {
      EXPECT_EQ(p.at("indicator").as_string(), "methane");
      EXPECT_EQ(p.at("thresholds").at("power_off").to_number<double>(), 1.5);
      EXPECT_EQ(p.at("name").as_string(), "8101采煤工作面");
    }
  // Sent again, the definitions update the same points.
  auto again = upload(mine_ + "_CDDY_20261129090000.txt", for_mine(sample("140211001234_CDDY_20261129080000.txt")), key_);
  EXPECT_EQ(again.json().at("points_updated").as_int64(), 4);
  EXPECT_EQ(again.json().at("points_created").as_int64(), 0);

  // Values, in GB18030 as the mines write them, one record bad and one of an unknown point.
  const Millis t = now_ms() - 60000;
  const std::string values = utf8_to_gb18030(cdss(t, mine_ + "MN0101;abc;0;" + local(t) + "~" + mine_ + "XX9999;1;0;" + local(t) + "~"));
  auto v = upload(mine_ + "_CDSS_20261129083000.txt", values, key_);
  ASSERT_EQ(v.status, 200u) << v.body;
  EXPECT_EQ(v.json().at("accepted").as_int64(), 2);
  bad.clear();
  auto vj = v.json();
  for (const auto& i : vj.at("issues").as_array()) bad.push_back(i.at("record").as_int64());
  EXPECT_EQ(bad, (std::vector<std::int64_t>{4, 5}));
  // 1.12 % CH4 at the return airway: alarm (≥ 1.0) and power-off (≥ 1.0).
  EXPECT_GE(v.json().at("alarms_raised").as_int64(), 2);
  auto alarms = w_->as("xihu_insp").get("/api/v1/alarms?enterprise_uscc=" + uscc_);
  std::set<std::string> types;
  for (const auto& a : alarms.items()) types.insert(std::string(a.at("type").as_string()));
  EXPECT_TRUE(types.count("power_off")) << alarms.body;
  EXPECT_TRUE(types.count("threshold")) << alarms.body;
  // A resent file stores nothing twice.
  EXPECT_EQ(upload(mine_ + "_CDSS_20261129083000.txt", values, key_).json().at("duplicates").as_int64(), 2);
}

TEST_P(CoalFilesApi, RefusesWhatItCannotPlace) {
  const std::string good_name = mine_ + "_CDSS_20261129083000.txt";
  const std::string body = cdss(now_ms() - 60000);
  EXPECT_EQ(upload("notes.txt", body, key_).error_code(), "invalid_coal_file_name");
  EXPECT_EQ(upload(good_name, "", key_).error_code(), "invalid_coal_file");
  EXPECT_EQ(upload(good_name, "\xff\xfe\x00garbage", key_).status, 400u);
  // The header's mine must be the name's.
  auto other = std::to_string(std::stoull(mine_) + 1);
  EXPECT_EQ(upload(good_name, "999999;x;2026-11-29 08:30:00~||", key_).error_code(), "invalid_coal_file");
  // A mine nobody linked, and a mine of another enterprise's key: the same 404.
  auto unlinked = upload(other + "_CDSS_20261129083000.txt", body, key_);
  EXPECT_EQ(unlinked.status, 404u);
  auto x = w_->as("ent_mgr").post("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/api-keys", json::object{});
  const std::string xihu_key(x.json().at("key").as_string());
  auto foreign = upload(good_name, body, xihu_key);
  EXPECT_EQ(foreign.status, 404u);
  EXPECT_EQ(foreign.error_code(), unlinked.error_code());
  // Sessions: a regulator in scope may relay; one outside sees 404; none at all is 401.
  HttpClient anon(w_->port);
  EXPECT_EQ(anon.request("POST", "/api/v1/monitoring/coal-files?name=" + good_name, body).status, 401u);
  auto outside = w_->as("binjiang_insp").request("POST", "/api/v1/monitoring/coal-files?name=" + good_name, body);
  EXPECT_EQ(outside.status, 404u) << outside.body;
  auto relay = w_->as("xihu_admin").request("POST", "/api/v1/monitoring/coal-files?name=" + good_name, body);
  EXPECT_EQ(relay.status, 200u) << relay.body;
  // A person relaying a file is audited (a mine's key and the watched folder are machines).
  bool audited = false;
  for (const auto& e : w_->as("auditadmin").get("/api/v1/audit?action=coal_file.upload&username=xihu_admin&page_size=500").items())
    audited = audited || e.at("detail").at("file").as_string() == good_name;
  EXPECT_TRUE(audited);
  EXPECT_EQ(w_->as("xihu_admin").request("POST", "/api/v1/monitoring/coal-files", body).error_field(), "name");
}

TEST_P(CoalFilesApi, MineLinksAreScopedAndUnique) {
  auto admin = w_->as("zj_admin");
  EXPECT_EQ(admin.get("/api/v1/enterprises/" + uscc_ + "/coal-mine").json().at("mine_code").as_string(), mine_);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/enterprises/" + uscc_ + "/coal-mine").status, 404u);
  EXPECT_EQ(admin.request("PUT", "/api/v1/enterprises/" + uscc_ + "/coal-mine", R"({"mine_code":"14-02"})").error_field(), "mine_code");
  EXPECT_EQ(admin.request("PUT", "/api/v1/enterprises/" + uscc_ + "/coal-mine", R"({"mine":"1"})").error_code(), "unknown_field");
  // Another enterprise cannot take this mine's code.
  auto taken = admin.request("PUT", "/api/v1/enterprises/" + w_->uscc["E_BINJIANG"] + "/coal-mine", R"({"mine_code":")" + mine_ + R"("})");
  EXPECT_EQ(taken.status, 409u) << taken.body;
  // …and is not told which enterprise has it.
  EXPECT_EQ(taken.body.find(uscc_), std::string::npos) << taken.body;
  EXPECT_EQ(taken.body.find("西湖"), std::string::npos) << taken.body;
  auto unlink = admin.request("PUT", "/api/v1/enterprises/" + uscc_ + "/coal-mine", R"({"mine_code":null})");
  EXPECT_TRUE(unlink.json().at("mine_code").is_null());
  EXPECT_EQ(upload(mine_ + "_CDSS_20261129083000.txt", cdss(now_ms()), key_).status, 404u);
}

TEST_P(CoalFilesApi, TheWatchedFolderTakesFilesAndFilesReports) {
  ASSERT_EQ(upload(mine_ + "_CDDY_20261129080000.txt", for_mine(sample("140211001234_CDDY_20261129080000.txt")), key_).status, 200u);
  const std::string dir = temp_dir();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name, std::ios::binary) << text;
    fs::last_write_time(dir + "/" + name, fs::file_time_type::clock::now() - std::chrono::seconds(10));
  };
  write(mine_ + "_CDSS_20261129083000.txt", utf8_to_gb18030(cdss(now_ms() - 30000)));
  write("123_CDSS_20261129083000.txt", "123;x;2026-11-29 08:30:00~||");  // a mine nobody linked
  std::ofstream(dir + "/" + mine_ + "_CDSS_20261129083500.txt") << cdss(now_ms());  // still being written
  EXPECT_EQ(w_->app->coal_files().scan(dir), 1u);
  EXPECT_TRUE(fs::exists(dir + "/done/" + mine_ + "_CDSS_20261129083000.txt"));
  std::ifstream report(dir + "/done/" + mine_ + "_CDSS_20261129083000.txt.report.json");
  auto r = json::parse(std::string(std::istreambuf_iterator<char>(report), {}));
  EXPECT_EQ(r.at("accepted").as_int64(), 2);
  EXPECT_TRUE(fs::exists(dir + "/failed/123_CDSS_20261129083000.txt.report.json"));
  EXPECT_TRUE(fs::exists(dir + "/" + mine_ + "_CDSS_20261129083500.txt")) << "a fresh file waits";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, CoalFilesApi, ::testing::Values("sqlite", "postgres"));
