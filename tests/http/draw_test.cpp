// 双随机 draws through the contract (issue 15 §2) on both backends: a city draws among its
// enterprises and inspectors, the record verifies on the server and anywhere else, recusals and
// the two-inspector rule are the server's, a plan item drawn twice keeps both, and nobody outside
// the region sees a draw.
#include <gtest/gtest.h>

#include "modules/enforcement/draw_rules.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class DrawApi : public ApiTest {
 protected:
  json::object body(json::object extra = {}) {
    json::object b{{"name", "2026年第四季度危化企业双随机抽查"},
                   {"targets", {{"usccs", json::array{json::value(w_->uscc["E_XIHU"]), json::value(w_->uscc["E_BINJIANG"])}}}},
                   {"count", 1},
                   {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp")), json::value(user_id("binjiang_insp"))}},
                   {"per_target", 2}};
    for (auto& kv : extra) b[kv.key()] = kv.value();
    return b;
  }
};

TEST_P(DrawApi, ACityDrawsAndAnyoneCanVerify) {
  auto made = w_->as("hz_insp").post("/api/v1/draws", body());
  ASSERT_EQ(made.status, 201u) << made.body;
  const json::value d = made.json();
  EXPECT_EQ(d.at("algorithm").as_string(), enforcement::kDrawAlgorithm);
  EXPECT_EQ(d.at("seed").as_string().size(), 64u);
  ASSERT_EQ(d.at("result").as_array().size(), 1u);
  EXPECT_TRUE(d.at("result").as_array()[0].at("enterprise_name").is_string()) << "people see names";
  const auto& inspectors = d.at("result").as_array()[0].at("inspectors").as_array();
  ASSERT_EQ(inspectors.size(), 2u);
  EXPECT_NE(inspectors[0], inspectors[1]);
  const std::string id(d.at("id").as_string());
  auto verified = w_->as("hz_insp").post("/api/v1/draws/" + id + "/verify", json::object{});
  ASSERT_EQ(verified.status, 200u);
  EXPECT_TRUE(verified.json().at("matches").as_bool());
  // The exported record checks out without the server.
  auto record = w_->as("hz_insp").get("/api/v1/draws/" + id + "/record");
  ASSERT_EQ(record.status, 200u);
  auto parsed = enforcement::record_from_json(record.json().as_object());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(enforcement::verify(*parsed), "");
  EXPECT_EQ(parsed->inputs_digest, d.at("inputs_digest").as_string());
  // Two draws never share a seed.
  EXPECT_NE(w_->as("hz_insp").post("/api/v1/draws", body()).json().at("seed"), d.at("seed"));
  // The province sees it; a county of the city does not, nor an enterprise.
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/draws/" + id).status, 200u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/draws/" + id).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/draws/" + id + "/verify", json::object{}).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/draws/" + id + "/record").status, 404u);
  bool listed = false;
  for (const auto& x : w_->as("zj_admin").get("/api/v1/draws").items()) listed = listed || x.at("id").as_string() == id;
  EXPECT_TRUE(listed);
  for (const auto& x : w_->as("binjiang_insp").get("/api/v1/draws").items()) EXPECT_NE(x.at("id").as_string(), id);
}

TEST_P(DrawApi, TheServerKeepsTheRules) {
  auto as = [&](const std::string& user, json::object extra) { return w_->as(user).post("/api/v1/draws", body(std::move(extra))); };
  // Two of three inspectors recused for 西湖: not enough left for two.
  auto short_of = as("hz_insp", {{"recusals", json::array{json::object{{"inspector", user_id("hz_insp")}, {"enterprise_uscc", w_->uscc["E_XIHU"]}, {"reason", "曾任该企业安全员"}},
                                                          json::object{{"inspector", user_id("xihu_insp")}, {"enterprise_uscc", w_->uscc["E_XIHU"]}, {"reason", "亲属在该企业任职"}}}}});
  EXPECT_EQ(short_of.status, 400u);
  EXPECT_EQ(short_of.error_field(), "recusals") << short_of.body;
  // A recused pair is never drawn.
  for (int i = 0; i < 10; ++i) {
    auto r = as("hz_insp", {{"count", 2}, {"recusals", json::array{json::object{{"inspector", user_id("xihu_insp")}, {"enterprise_uscc", w_->uscc["E_XIHU"]}, {"reason", "亲属"}}}}});
    ASSERT_EQ(r.status, 201u) << r.body;
    const json::value drawn = r.json();
    for (const auto& a : drawn.at("result").as_array()) {
      if (a.at("enterprise_uscc").as_string() != w_->uscc["E_XIHU"]) continue;
      for (const auto& i2 : a.at("inspectors").as_array()) {
        EXPECT_NE(i2.as_string(), user_id("xihu_insp"));
      }
    }
  }
  EXPECT_EQ(as("hz_insp", {{"per_target", 1}}).error_field(), "per_target");
  EXPECT_EQ(as("hz_insp", {{"count", 3}}).error_field(), "count");
  EXPECT_EQ(as("hz_insp", {{"proportion", 0.5}}).error_field(), "count") << "count or proportion, not both";
  json::object neither = body();
  neither.erase("count");
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/draws", neither).error_field(), "count");
  neither["proportion"] = 0.5;
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/draws", neither).status, 201u);
  EXPECT_EQ(as("hz_insp", {{"targets", {{"usccs", json::array{json::value(w_->uscc["E_HAISHU"])}}}}}).error_field(), "targets.usccs")
      << "宁波's enterprise is not 杭州's to draw";
  EXPECT_EQ(as("hz_insp", {{"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_admin"))}}}).error_field(), "inspectors")
      << "an administrator is not an inspector";
  EXPECT_EQ(as("hz_insp", {{"targets", json::object{}}}).error_field(), "targets");
  EXPECT_EQ(as("hz_insp", {{"colour", "red"}}).error_code(), "unknown_field");
  EXPECT_EQ(as("ent_mgr", {}).status, 403u);
  // By a filter over the registry, weighted by risk level.
  auto filtered = as("hz_insp", {{"targets", {{"filter", {{"region_code", "330108"}, {"industry", "hazchem_production"}}}}},
                                 {"weights_by_risk_level", {{"major", 5}, {"larger", 3}}}});
  ASSERT_EQ(filtered.status, 201u) << filtered.body;
  const std::string drawn_uscc(filtered.json().at("result").as_array()[0].at("enterprise_uscc").as_string());
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/enterprises/" + drawn_uscc).json().at("region_code").as_string(), "330108") << "滨江's";
  // A plan item drawn again: with the reason, and both kept.
  const std::string item = "plan-item-" + std::to_string(next_serial());
  ASSERT_EQ(as("hz_insp", {{"plan_item_id", item}}).status, 201u);
  EXPECT_EQ(as("hz_insp", {{"plan_item_id", item}}).error_field(), "reason");
  ASSERT_EQ(as("hz_insp", {{"plan_item_id", item}, {"reason", "抽中的执法人员调离"}}).status, 201u);
  size_t kept = 0;
  for (const auto& x : w_->as("hz_insp").get("/api/v1/draws").items()) kept += x.at("plan_item_id") == json::value(item);
  EXPECT_EQ(kept, 2u);
}

TEST_P(DrawApi, TheRegistrysStatusAndDeclaredConflictsBindEveryDraw) {
  const std::string xihu = user_id("xihu_insp"), binjiang = user_id("binjiang_insp");
  auto put = [&](const std::string& user, const std::string& id, json::object b) {
    return w_->as(user).request("PUT", "/api/v1/inspectors/" + id, json_text(b), {{"Content-Type", "application/json"}});
  };
  auto registered = put("hz_admin", xihu, {{"badge_number", "33010620260001"}, {"status", "active"}});
  ASSERT_EQ(registered.status, 200u) << registered.body;
  EXPECT_EQ(registered.json().at("badge_number").as_string(), "33010620260001");
  auto declared = w_->as("hz_admin").post("/api/v1/inspectors/" + xihu + "/conflicts",
                                          json::object{{"enterprise_uscc", w_->uscc["E_XIHU"]}, {"reason", "配偶在该企业任安全总监"}});
  ASSERT_EQ(declared.status, 201u) << declared.body;
  EXPECT_EQ(declared.json().at("conflicts").as_array().size(), 1u);
  // Every draw keeps them apart, and its record says why.
  for (int i = 0; i < 8; ++i) {
    auto r = w_->as("hz_insp").post("/api/v1/draws", body({{"targets", {{"usccs", json::array{json::value(w_->uscc["E_XIHU"])}}}}}));
    ASSERT_EQ(r.status, 201u) << r.body;
    const json::value drawn = r.json();
    for (const auto& id : drawn.at("result").as_array()[0].at("inspectors").as_array()) {
      EXPECT_NE(id.as_string(), xihu);
    }
    if (i == 0) {
      auto record = w_->as("hz_insp").get("/api/v1/draws/" + std::string(drawn.at("id").as_string()) + "/record").json();
      EXPECT_NE(json_text(record.at("inputs").at("recusals")).find("申报回避"), std::string::npos);
    }
  }
  // On leave: not drawn at all, and the refusal says who.
  ASSERT_EQ(put("hz_admin", binjiang, {{"badge_number", "33010820260002"}, {"status", "on_leave"}}).status, 200u);
  auto leave = w_->as("hz_insp").post("/api/v1/draws", body());
  EXPECT_EQ(leave.error_field(), "inspectors");
  EXPECT_NE(leave.body.find("休假"), std::string::npos) << leave.body;
  ASSERT_EQ(put("hz_admin", binjiang, {{"badge_number", "33010820260002"}, {"status", "active"}}).status, 200u);
  // Bad input and scope.
  EXPECT_EQ(put("hz_admin", xihu, {{"badge_number", "1"}, {"status", "retired"}}).error_field(), "status");
  EXPECT_EQ(put("hz_admin", xihu, {{"status", "active"}}).error_field(), "badge_number");
  EXPECT_EQ(w_->as("hz_admin").post("/api/v1/inspectors/" + xihu + "/conflicts", json::object{{"enterprise_uscc", "123"}, {"reason", "x"}}).error_field(),
            "enterprise_uscc");
  EXPECT_EQ(put("binjiang_insp", xihu, {{"badge_number", "1"}}).status, 404u) << "another county's inspector does not exist for it";
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/inspectors/" + xihu).status, 404u);
  EXPECT_EQ(put("ent_mgr", xihu, {{"badge_number", "1"}}).status, 403u);
  EXPECT_EQ(w_->as("hz_admin").get("/api/v1/inspectors/" + user_id("xihu_admin")).status, 404u) << "an administrator is not an inspector";
  bool listed = false;
  for (const auto& i : w_->as("hz_insp").get("/api/v1/inspectors").items()) listed = listed || i.at("user_id").as_string() == xihu;
  EXPECT_TRUE(listed);
  for (const auto& i : w_->as("binjiang_insp").get("/api/v1/inspectors").items()) EXPECT_NE(i.at("user_id").as_string(), xihu);
}

INSTANTIATE_TEST_SUITE_P(Backends, DrawApi, ::testing::Values("sqlite", "postgres"));
