// 一数一源 across nodes (issue 17 §2): the province holds a county's enterprise as a replica and
// cannot edit it; it asks the county for a correction, the request travels down (HTTPS pull,
// signed by the county), the county accepts or rejects it, and the result — with the corrected
// record — travels up again (HTTPS push). Requests go down only toward the record's own county.
#include <gtest/gtest.h>

#include "exchange/push.h"
#include "support/county_node.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class ExchangeCorrections : public ProvinceAndCounty {
 protected:
  // The county reaches its province over HTTP: it pushes what goes up and pulls what comes down.
  void connect(County& county) {
    ASSERT_TRUE(county.app->nodes()
                    .register_peer({"zj", "parent", "", "330000", "http://127.0.0.1:" + std::to_string(province_->port),
                                    std::string(province_->app->nodes().self()->public_key)},
                                   "test")
                    .ok());
  }
  exchange::PushReport push(County& county) {
    auto r = exchange::push_to_parents(county.app->exchange(), county.app->nodes());
    EXPECT_TRUE(r.error.empty()) << r.error;
    return r;
  }
  exchange::PushReport pull(County& county) {
    auto r = exchange::pull_from_parents(county.app->exchange(), county.app->nodes());
    EXPECT_TRUE(r.error.empty()) << r.error;
    return r;
  }
  std::vector<exchange::Correction> incoming(County& county, const char* status = "pending") {
    auto page = county.app->corrections().list(auth::Scope::all(), {exchange::Corrections::Box::incoming, std::string(status), {}, {}}, 1, 50);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<exchange::Correction>{};
  }
  static json::object ask(const std::string& uscc, json::object fields, std::string reason = "名称与营业执照不符") {
    return {{"record_type", "enterprise"}, {"record_id", uscc}, {"reason", std::move(reason)}, {"fields", std::move(fields)}};
  }
};

TEST_P(ExchangeCorrections, AProvinceCorrectionTravelsDownIsAcceptedAndFlowsUp) {
  const std::string uscc = county_->add_enterprise("330106", "西湖更正测试化工有限公司");
  connect(*county_);
  EXPECT_GE(push(*county_).changes, 1);
  ASSERT_EQ(province_->as("xihu_insp").get("/api/v1/enterprises/" + uscc).status, 200u);

  auto r = province_->as("xihu_insp").post("/api/v1/exchange/corrections",
                                           ask(uscc, {{"name", "西湖更正测试化工股份有限公司"}, {"address", "西湖区文三路 1 号"}}));
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id(r.json().at("id").as_string());
  EXPECT_EQ(r.json().at("status").as_string(), "pending");
  EXPECT_EQ(r.json().at("status_label").as_string(), "待处理");
  EXPECT_EQ(r.json().at("owner_node").as_string(), "xihu");
  EXPECT_EQ(r.json().at("requester_node").as_string(), "zj");
  EXPECT_FALSE(r.json().at("mine_to_decide").as_bool()) << "the province asks; the county decides";
  ASSERT_EQ(r.json().at("changes").as_array().size(), 2u);
  json::value name_change;
  const json::value created = r.json();
  for (const auto& ch : created.at("changes").as_array())
    if (ch.at("field").as_string() == "name") name_change = ch;
  EXPECT_EQ(name_change.at("label").as_string(), "企业名称");
  EXPECT_EQ(name_change.at("current").as_string(), "西湖更正测试化工有限公司");

  // What may not be asked, and of whom.
  auto as_xihu = province_->as("xihu_insp");
  EXPECT_EQ(province_->as("binjiang_insp").post("/api/v1/exchange/corrections", ask(uscc, {{"name", "x"}})).status, 404u)
      << "outside the jurisdiction the replica does not exist";
  EXPECT_EQ(province_->as("ent_mgr").post("/api/v1/exchange/corrections", ask(uscc, {{"name", "x"}})).status, 403u);
  auto fixed = as_xihu.post("/api/v1/exchange/corrections", ask(uscc, {{"uscc", "91330106MA2XXXXX0X"}}));
  EXPECT_EQ(fixed.status, 400u);
  EXPECT_EQ(fixed.error_field(), "fields.uscc");
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", ask(uscc, {{"favourite_colour", "红"}})).error_field(), "fields.favourite_colour");
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", ask(uscc, {{"name", "西湖更正测试化工有限公司"}})).error_field(), "fields")
      << "the value it already has";
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", ask(uscc, {{"name", "x"}}, "  ")).error_field(), "reason");
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", ask(uscc, {{"name", "x"}}, std::string(501 * 3, 'a'))).error_field(), "reason");
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", ask(uscc, {{"name", std::string(3000, 'a')}})).error_field(), "fields.name");
  json::object extra = ask(uscc, {{"name", "x"}});
  extra["priority"] = "high";
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", extra).error_code(), "unknown_field");
  json::object accident = ask(uscc, {{"name", "x"}});
  accident["record_type"] = "accident";
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", accident).error_field(), "record_type");
  auto own = as_xihu.post("/api/v1/exchange/corrections", ask(province_->uscc.at("E_XIHU"), {{"name", "x"}}));
  EXPECT_EQ(own.status, 409u) << own.body;
  EXPECT_EQ(own.error_code(), "not_replica");
  EXPECT_EQ(as_xihu.post("/api/v1/exchange/corrections", ask("91330106MA00000000", {{"name", "x"}})).status, 404u);
  EXPECT_EQ(as_xihu.request("POST", "/api/v1/exchange/corrections", "{not json", {{"Content-Type", "application/json"}}).status, 400u);

  auto mine = province_->as("hz_insp").get("/api/v1/exchange/corrections?box=outgoing");
  ASSERT_EQ(mine.status, 200u) << mine.body;
  EXPECT_EQ(mine.items().size(), 1u);
  EXPECT_EQ(province_->as("binjiang_insp").get("/api/v1/exchange/corrections").items().size(), 0u) << "within the jurisdiction";
  EXPECT_EQ(as_xihu.get("/api/v1/exchange/corrections?box=sideways").status, 400u);
  EXPECT_EQ(as_xihu.get("/api/v1/exchange/corrections?status=maybe").status, 400u);
  // The province cannot decide what it does not own.
  auto not_mine = province_->as("zj_admin").post("/api/v1/exchange/corrections/" + id + "/decision", json::object{{"accept", true}});
  EXPECT_EQ(not_mine.status, 403u) << not_mine.body;

  // Down: the county pulls the request; its administrators are told.
  EXPECT_GE(pull(*county_).changes, 1);
  auto waiting = incoming(*county_);
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].id, id);
  EXPECT_EQ(waiting[0].reason, "名称与营业执照不符");
  EXPECT_EQ(waiting[0].requester_node_name, province_->app->nodes().self()->name);
  std::int64_t told = 0;
  ASSERT_TRUE(db::with_transaction(county_->app->db(), [&](db::Connection& c) -> Status {
    ANJIAN_ASSIGN(auto rows, c.query("SELECT COUNT(*) FROM notifications WHERE region_code = '330106' AND kind = 'exchange.correction'"));
    told = rows[0].i64(0);
    return Status{};
  }).ok());
  EXPECT_EQ(told, 1) << "the county's administrators are told in their inbox";
  EXPECT_EQ(pull(*county_).changes, 0) << "pulled again: nothing new";

  // Accepted at the county: the record changes there, as the county's own edit.
  auto accepted = county_->app->corrections().decide(county_admin(), id, true, "", "test");
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->status, "accepted");
  EXPECT_EQ(county_->app->enterprises().get(auth::Scope::all(), uscc)->name, "西湖更正测试化工股份有限公司");
  auto again = county_->app->corrections().decide(county_admin(), id, false, "重复", "test");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "conflict");

  // Up: the corrected record and the decision reach the province.
  EXPECT_GE(push(*county_).changes, 2);
  auto now = province_->as("xihu_insp").get("/api/v1/enterprises/" + uscc);
  EXPECT_EQ(now.json().at("name").as_string(), "西湖更正测试化工股份有限公司");
  EXPECT_EQ(now.json().at("address").as_string(), "西湖区文三路 1 号");
  auto done = province_->as("xihu_insp").get("/api/v1/exchange/corrections?box=outgoing&status=accepted");
  ASSERT_EQ(done.items().size(), 1u) << done.body;
  EXPECT_EQ(done.items()[0].at("status_label").as_string(), "已接受");
  EXPECT_EQ(done.items()[0].at("decider_org").as_string(), county_admin().org_name);

  // A rejection needs a reason, changes nothing and travels up the same way.
  auto second = as_xihu.post("/api/v1/exchange/corrections", ask(uscc, {{"short_name", "西湖更正"}}, "简称不规范"));
  ASSERT_EQ(second.status, 201u) << second.body;
  const std::string id2(second.json().at("id").as_string());
  pull(*county_);
  auto no_reason = county_->app->corrections().decide(county_admin(), id2, false, " ", "test");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().field, "note");
  ASSERT_TRUE(county_->app->corrections().decide(county_admin(), id2, false, "简称以企业申报为准", "test").ok());
  push(*county_);
  auto rejected = province_->as("xihu_insp").get("/api/v1/exchange/corrections?status=rejected");
  ASSERT_EQ(rejected.items().size(), 1u) << rejected.body;
  EXPECT_EQ(rejected.items()[0].at("note").as_string(), "简称以企业申报为准");
  EXPECT_TRUE(province_->as("xihu_insp").get("/api/v1/enterprises/" + uscc).json().at("short_name").is_null());
}

// The edit and the decision commit together: an accept whose decision cannot be written leaves
// the record as it was and the request waiting, and the next accept changes the record once.
TEST_P(ExchangeCorrections, AnAcceptThatCannotBeRecordedChangesNothing) {
  const std::string uscc = county_->add_enterprise("330106", "西湖原子提交化工有限公司");
  connect(*county_);
  push(*county_);
  auto r = province_->as("xihu_insp").post("/api/v1/exchange/corrections", ask(uscc, {{"name", "西湖原子提交化工股份有限公司"}}));
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id(r.json().at("id").as_string());
  pull(*county_);
  const auto before = county_->app->enterprises().get(auth::Scope::all(), uscc);
  ASSERT_TRUE(before.ok());

  // The county's database refuses the decision row (a full disk, a constraint): the whole accept fails.
  auto exec = [&](const char* sql) {
    ASSERT_TRUE(db::with_transaction(county_->app->db(), [&](db::Connection& c) -> Status { ANJIAN_TRY(c.exec(sql)); return Status{}; }).ok()) << sql;
  };
  exec("CREATE TRIGGER refuse_decisions BEFORE INSERT ON exchange_correction_decisions BEGIN SELECT RAISE(ABORT, 'disk full'); END");
  auto failed = county_->app->corrections().decide(county_admin(), id, true, "", "test");
  ASSERT_FALSE(failed.ok());
  auto unchanged = county_->app->enterprises().get(auth::Scope::all(), uscc);
  EXPECT_EQ(unchanged->name, "西湖原子提交化工有限公司");
  EXPECT_EQ(unchanged->version, before->version) << "the edit was rolled back with the decision";
  ASSERT_EQ(incoming(*county_).size(), 1u) << "the request still waits";

  exec("DROP TRIGGER refuse_decisions");
  auto accepted = county_->app->corrections().decide(county_admin(), id, true, "", "test");
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  auto now = county_->app->enterprises().get(auth::Scope::all(), uscc);
  EXPECT_EQ(now->name, "西湖原子提交化工股份有限公司");
  EXPECT_EQ(now->version, before->version + 1) << "changed once";
  EXPECT_EQ(county_->app->enterprises().history(auth::Scope::all(), uscc)->size(), 2u) << "created, then this one edit";
}

TEST_P(ExchangeCorrections, ARequestGoesDownOnlyToTheRecordsOwnCounty) {
  // A second county, 滨江 (330108), beside 西湖 under the same province.
  County binjiang;
  auto bn = binjiang.app->nodes().init("binjiang", "330108", "", SignatureAlgorithm::ed25519, "test");
  ASSERT_TRUE(bn.ok()) << bn.error().message;
  ASSERT_TRUE(province_->app->nodes().register_peer({"binjiang", "child", "", "330108", "", bn->public_key}, "test").ok());
  connect(binjiang);
  connect(*county_);
  ASSERT_TRUE(binjiang.app->exchange().enqueue_snapshot("zj").ok());
  const std::string theirs = binjiang.add_enterprise("330108", "滨江更正测试企业");
  const std::string ours = county_->add_enterprise("330106", "西湖更正测试企业");
  push(binjiang);
  push(*county_);
  ASSERT_EQ(province_->as("zj_admin").post("/api/v1/exchange/corrections", ask(theirs, {{"name", "滨江更正测试企业（改）"}})).status, 201u);
  ASSERT_EQ(province_->as("zj_admin").post("/api/v1/exchange/corrections", ask(ours, {{"name", "西湖更正测试企业（改）"}})).status, 201u);
  pull(*county_);
  pull(binjiang);
  auto at_xihu = county_->app->corrections().list(auth::Scope::all(), {}, 1, 50);
  ASSERT_TRUE(at_xihu.ok());
  ASSERT_EQ(at_xihu->items.size(), 1u) << "西湖 never holds what was asked of 滨江";
  EXPECT_EQ(at_xihu->items[0].record_id, ours);
  ASSERT_EQ(incoming(binjiang).size(), 1u);
  EXPECT_EQ(incoming(binjiang)[0].record_id, theirs);
  // 西湖 cannot decide 滨江's request either: it does not even hold it.
  auto foreign = county_->app->corrections().decide(county_admin(), incoming(binjiang)[0].id, true, "", "test");
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, "not_found");
}

TEST_P(ExchangeCorrections, APullIsAnsweredOnlyToARegisteredChildSigningNow) {
  auto pull_with = [&](Millis at, const std::string& receiver, const std::string& key) {
    auto me = county_->app->nodes().self();
    auto body = exchange::sign_pull({me->node_id, receiver, exchange::Lane::bulk, 0, at, me->fingerprint, {}}, key);
    EXPECT_TRUE(body.ok());
    return province_->anonymous().request("POST", "/api/v1/exchange/pull", *body, {{"Content-Type", "application/json"}});
  };
  const std::string key = *county_->app->nodes().private_key();
  auto fine = pull_with(now_ms(), "zj", key);
  EXPECT_TRUE(fine.status == 200u || fine.status == 204u) << fine.status << " " << fine.body;
  auto stale = pull_with(now_ms() - 600'000, "zj", key);
  EXPECT_EQ(stale.status, 400u);
  EXPECT_EQ(stale.error_code(), "batch_stale");
  EXPECT_EQ(pull_with(now_ms(), "somebody-else", key).error_code(), "batch_wrong_receiver");
  // Signed by another key under the county's name: refused.
  auto other = generate_signing_key(SignatureAlgorithm::ed25519);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(pull_with(now_ms(), "zj", other->private_pem).error_code(), "batch_bad_signature");
  auto junk = province_->anonymous().request("POST", "/api/v1/exchange/pull", "{\"sender\": 1}", {{"Content-Type", "application/json"}});
  EXPECT_EQ(junk.status, 400u);
  EXPECT_EQ(junk.error_code(), "batch_malformed");
  auto huge = province_->anonymous().request("POST", "/api/v1/exchange/pull", std::string(10000, '{'), {{"Content-Type", "application/json"}});
  EXPECT_EQ(huge.error_code(), "batch_malformed");
  // The county's key revoked at the province: its pulls are refused.
  ASSERT_TRUE(province_->app->nodes().revoke_key("xihu", county_->app->nodes().self()->fingerprint, "test").ok());
  EXPECT_EQ(pull_with(now_ms(), "zj", key).error_code(), "batch_revoked_key");
}

INSTANTIATE_TEST_SUITE_P(Backends, ExchangeCorrections, ::testing::Values("sqlite", "postgres"));
