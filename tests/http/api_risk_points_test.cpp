// Risk points (风险点) and the enterprise's inventory (风险清单): levels computed from LEC or the
// matrix, the 一级/二级 hazard source override, versions, jurisdiction, bad input, the XLSX export —
// on both backends.
#include <gtest/gtest.h>

#include "base/table_file.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class RiskPointsApi : public ApiTest {
 protected:
  json::object point(const std::string& code, const std::string& assessment, const std::string& extra = "") {
    return json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_XIHU"] + R"(","code":")" + code + R"(","name":"风险点)" + code +
                       R"(","kind":"equipment","location":"罐区东侧","hazards":[{"factor":"储罐泄漏","consequence":"中毒和窒息"}],
                          "measures":{"engineering":["液位高高联锁"],"emergency":["泄漏处置预案"]},"responsible_level":"workshop",
                          "responsible_person":"王工","assessment":)" + assessment + extra + "}")
        .as_object();
  }
};

TEST_P(RiskPointsApi, LevelsFollowTheAssessmentAndTheInventoryCountsThem) {
  auto m = w_->as("ent_mgr");
  const std::string tag = std::to_string(next_serial());
  auto red = m.post("/api/v1/risk-points", point("R" + tag, R"({"method":"lec","l":6,"e":6,"c":15})"));
  ASSERT_EQ(red.status, 201u) << red.body;
  EXPECT_EQ(red.json().at("score").to_number<double>(), 540);
  EXPECT_EQ(red.json().at("level").as_string(), "major");
  EXPECT_EQ(red.json().at("colour").as_string(), "red");
  EXPECT_EQ(red.json().at("measures").at("engineering").at(0).as_string(), "液位高高联锁");
  auto yellow = m.post("/api/v1/risk-points", point("Y" + tag, R"({"method":"lec","l":3,"e":6,"c":7})"));
  ASSERT_EQ(yellow.status, 201u) << yellow.body;
  EXPECT_EQ(yellow.json().at("level").as_string(), "general");
  auto blue = m.post("/api/v1/risk-points", point("B" + tag, R"({"method":"matrix","l":2,"s":4})"));
  ASSERT_EQ(blue.status, 201u) << blue.body;
  EXPECT_EQ(blue.json().at("score").to_number<double>(), 8);
  EXPECT_EQ(blue.json().at("level").as_string(), "low");

  // A grade 二级 hazard source makes its point 重大 whatever the score, and says why.
  auto hs = w_->as("xihu_insp").post("/api/v1/hazard-sources", json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_XIHU"] + R"(","code":"RP)" + tag +
                                                         R"(","name":"液氨罐区","kind":"tank_farm","grade":2})").as_object());
  ASSERT_EQ(hs.status, 201u) << hs.body;
  const std::string hs_id(hs.json().at("id").as_string());
  auto overridden = m.post("/api/v1/risk-points", point("O" + tag, R"({"method":"matrix","l":1,"s":2})", R"(,"hazard_source_id":")" + hs_id + "\""));
  ASSERT_EQ(overridden.status, 201u) << overridden.body;
  EXPECT_EQ(overridden.json().at("score").to_number<double>(), 2);
  EXPECT_EQ(overridden.json().at("level").as_string(), "major");
  EXPECT_NE(std::string(overridden.json().at("override").as_string()).find("二级重大危险源"), std::string::npos);

  // The inventory: worst first, with the four-colour distribution of the whole filter.
  auto list = w_->as("xihu_insp").get("/api/v1/risk-points?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&page_size=200");
  ASSERT_EQ(list.status, 200u) << list.body;
  auto j = list.json();
  EXPECT_GE(j.at("distribution").at("major").as_int64(), 2);
  EXPECT_GE(j.at("distribution").at("general").as_int64(), 1);
  EXPECT_GE(j.at("distribution").at("low").as_int64(), 1);
  EXPECT_EQ(j.at("items").at(0).at("level").as_string(), "major");
  auto only_low = w_->as("xihu_insp").get("/api/v1/risk-points?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&level=low").json();
  for (const auto& x : only_low.at("items").as_array()) EXPECT_EQ(x.at("level").as_string(), "low");
  EXPECT_EQ(only_low.at("distribution"), j.at("distribution")) << "the distribution ignores the level asked for";

  // Re-assessed: the level follows; a stale version is refused.
  const std::string id(yellow.json().at("id").as_string());
  auto up = m.patch("/api/v1/risk-points/" + id, json::parse(R"({"assessment":{"method":"lec","l":6,"e":6,"c":7}})").as_object(), "\"1\"");
  ASSERT_EQ(up.status, 200u) << up.body;
  EXPECT_EQ(up.json().at("score").to_number<double>(), 252);
  EXPECT_EQ(up.json().at("level").as_string(), "significant");
  EXPECT_EQ(m.patch("/api/v1/risk-points/" + id, json::object{{"name", "x"}}, "\"1\"").status, 412u);
}

TEST_P(RiskPointsApi, BadInputAndJurisdiction) {
  auto m = w_->as("ent_mgr");
  const std::string tag = std::to_string(next_serial());
  auto field = [&](const json::object& body) {
    auto r = m.post("/api/v1/risk-points", body);
    return r.status == 400 || r.status == 404 ? std::string(r.json().at("error").at("field").as_string()) : std::to_string(r.status);
  };
  EXPECT_EQ(field(point("A" + tag, R"({"method":"lec","l":2,"e":6,"c":7})")), "assessment.l");
  EXPECT_EQ(field(point("A" + tag, R"({"method":"matrix","l":4,"s":6})")), "assessment.s");
  EXPECT_EQ(field(point("A" + tag, R"({"method":"delphi"})")), "assessment.method");
  EXPECT_EQ(field(point("A" + tag, R"("lec")")), "assessment");
  EXPECT_EQ(field(point("A" + tag, R"({"method":"lec","l":6,"e":6,"c":15})", R"(,"kind":"tank")")), "kind");
  EXPECT_EQ(field(point("A" + tag, R"({"method":"lec","l":6,"e":6,"c":15})", R"(,"extra":1)")), "extra");
  json::array many;
  for (int i = 0; i < 51; ++i) many.push_back(json::object{{"factor", "x"}});
  auto body = point("A" + tag, R"({"method":"lec","l":6,"e":6,"c":15})");
  body["hazards"] = many;
  EXPECT_EQ(field(body), "hazards");
  // A hazard source of another enterprise is not this point's.
  auto other = w_->as("zj_admin").post("/api/v1/hazard-sources", json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_BINJIANG"] +
                                                                          R"(","code":"X)" + tag + R"(","name":"别家罐区","kind":"tank_farm"})").as_object());
  ASSERT_EQ(other.status, 201u) << other.body;
  EXPECT_EQ(field(point("A" + tag, R"({"method":"lec","l":6,"e":6,"c":15})",
                        R"(,"hazard_source_id":")" + std::string(other.json().at("id").as_string()) + "\"")),
            "hazard_source_id");

  auto made = m.post("/api/v1/risk-points", point("J" + tag, R"({"method":"lec","l":6,"e":6,"c":15})"));
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_EQ(m.post("/api/v1/risk-points", point("J" + tag, R"({"method":"lec","l":6,"e":6,"c":15})")).status, 409u);
  const std::string id(made.json().at("id").as_string());
  // Outside the jurisdiction it does not exist: not by id, not in a list, not in an export.
  auto js = w_->as("js_insp");
  EXPECT_EQ(js.get("/api/v1/risk-points/" + id).status, 404u);
  EXPECT_EQ(js.get("/api/v1/risk-points?enterprise_uscc=" + w_->uscc["E_XIHU"]).json().at("total").as_int64(), 0);
  EXPECT_EQ(js.get("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/risk-inventory.xlsx").status, 404u);
  EXPECT_EQ(js.patch("/api/v1/risk-points/" + id, json::object{{"name", "x"}}, "\"1\"").status, 404u);
}

TEST_P(RiskPointsApi, ABulkLoadIsAllOrNothingAndStaysInTheScope) {
  auto& points = w_->app->risk_points();
  // Signed in before the transactions (a login writes its session).
  const auto xihu = w_->app->identity().authenticate(w_->login("xihu_insp")).value();
  const auto binjiang = w_->app->identity().authenticate(w_->login("binjiang_insp")).value();
  const std::string tag = std::to_string(next_serial());
  auto count = [&] { return w_->as("xihu_insp").get("/api/v1/risk-points?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&page_size=1").json().at("total").as_int64(); };
  const auto before = count();
  std::vector<json::object> batch{point("B1-" + tag, R"({"method":"lec","l":3,"e":6,"c":7})"),
                                  point("B2-" + tag, R"({"method":"matrix","l":4,"s":5})")};
  // A bad second point: nothing of the batch is kept, and the error names it.
  auto bad = batch;
  bad[1]["assessment"] = json::object{{"method", "lec"}, {"l", 2}, {"e", 6}, {"c", 7}};
  auto refused = db::with_transaction(w_->app->db(), [&](db::Connection& tx) { return points.insert_batch(tx, *xihu, bad, "test"); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "assessment.l");
  EXPECT_NE(refused.error().message.find("第 2 个风险点"), std::string::npos) << refused.error().message;
  EXPECT_EQ(count(), before);
  // Outside the loader's jurisdiction: refused, nothing kept.
  auto outside = db::with_transaction(w_->app->db(), [&](db::Connection& tx) { return points.insert_batch(tx, *binjiang, batch, "test"); });
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, "not_found");
  EXPECT_EQ(count(), before);
  // Good: both kept with their levels, one enterprise to announce.
  auto loaded = db::with_transaction(w_->app->db(), [&](db::Connection& tx) { return points.insert_batch(tx, *xihu, batch, "test"); });
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(*loaded, std::vector<std::string>{w_->uscc["E_XIHU"]});
  EXPECT_EQ(count(), before + 2);
  auto red = w_->as("xihu_insp").get("/api/v1/risk-points?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&level=major&page_size=500");
  bool found = false;
  for (const auto& p : red.items()) found = found || p.at("code").as_string() == "B2-" + tag;
  EXPECT_TRUE(found) << "matrix 4×5 = 20: 重大";
}

TEST_P(RiskPointsApi, ANewModelsCutOffsLevelTheStoredPointsAnew) {
  auto m = w_->as("ent_mgr");
  const std::string tag = std::to_string(next_serial());
  auto p = m.post("/api/v1/risk-points", point("M" + tag, R"({"method":"lec","l":3,"e":6,"c":15})"));  // 270: 橙
  ASSERT_EQ(p.status, 201u) << p.body;
  const std::string id(p.json().at("id").as_string());
  // A model whose LEC bands put 270 at 红 (say a province sets 250), and the points levelled by it.
  auto doc = boost::json::parse(R"({"version":"test.1","cutoffs":{"red":75,"orange":50,"yellow":25},
      "risk_point_cutoffs":{"lec":{"red":250,"orange":160,"yellow":70},"matrix":{"red":20,"orange":15,"yellow":9}},
      "inherent":{},"monitoring":{},"management":{}})");
  auto model = risk::RiskModel::parse(boost::json::serialize(doc));
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto& app = *w_->app;
  risk::RiskPointService stricter(app.db(), app.enterprises(), app.hazards(), app.audit(), nullptr, *model);
  auto back = [&] { return app.risk_points().relevel_all(auth::system_principal("test")); };
  struct Restore {
    std::function<void()> fn;
    ~Restore() { fn(); }
  } restore{[&] { (void)back(); }};  // the shared world's points go back to the shipped bands, also on failure
  auto moved = stricter.relevel_all(auth::system_principal("test"));
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_GE(*moved, 1u);
  auto after = m.get("/api/v1/risk-points/" + id).json();
  EXPECT_EQ(after.at("level").as_string(), "major");
  EXPECT_EQ(after.at("score").to_number<double>(), 270);
  EXPECT_EQ(after.at("version").as_int64(), 2);
  EXPECT_EQ(stricter.relevel_all(auth::system_principal("test")).value(), 0u) << "levelling again changes nothing";
  // Back to the shipped model: 橙 again.
  ASSERT_GE(back().value(), 1u);
  EXPECT_EQ(m.get("/api/v1/risk-points/" + id).json().at("level").as_string(), "significant");
}

TEST_P(RiskPointsApi, TheInventoryExportsAsXlsx) {
  auto m = w_->as("ent_mgr");
  const std::string tag = std::to_string(next_serial());
  ASSERT_EQ(m.post("/api/v1/risk-points", point("X" + tag, R"({"method":"lec","l":6,"e":6,"c":15})")).status, 201u);
  auto r = w_->as("xihu_insp").get("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/risk-inventory.xlsx");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(r.header("content-disposition").find("filename*=UTF-8''"), std::string::npos);
  auto rows = read_table(r.body, import_limits(r.body.size(), 100000, 64));  // the project's own XLSX reader (the import's)
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_GE(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].fields.at(1), "风险点编码");
  bool found = false;
  for (const auto& row : *rows)
    if (row.fields.size() > 10 && row.fields[1] == "X" + tag) {
      found = true;
      EXPECT_EQ(row.fields[2], "风险点X" + tag);
      EXPECT_EQ(row.fields[5], "储罐泄漏");
      EXPECT_EQ(row.fields[8], "540");
      EXPECT_EQ(row.fields[9], "重大风险");
      EXPECT_EQ(row.fields[10], "红");
      EXPECT_EQ(row.fields[12], "液位高高联锁");
    }
  EXPECT_TRUE(found);
}

INSTANTIATE_TEST_SUITE_P(Backends, RiskPointsApi, ::testing::Values("sqlite", "postgres"));
