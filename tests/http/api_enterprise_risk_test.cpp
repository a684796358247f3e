// The enterprise's dynamic risk over HTTP: computed with its breakdown and model version, moved
// by the events that feed it (a hazard source graded 二级 → 红, named as the reason), its level
// history, jurisdiction — on both backends.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class EnterpriseRiskApi : public ApiTest {
 protected:
  // A fresh enterprise of 西湖区 (so that other tests' sources and alarms do not move its score).
  std::string fresh_enterprise(const std::string& industry) {
    const std::string uscc = uscc_for("330106", next_serial());
    auto r = w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "风险评分测试有限公司"},
                                                                         {"region_code", "330106"}, {"industry", industry}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return uscc;
  }
};

TEST_P(EnterpriseRiskApi, TheScoreFollowsItsFactsAndExplainsItself) {
  const std::string uscc = fresh_enterprise("machinery");
  auto& risk = w_->app->enterprise_risk();
  ASSERT_TRUE(risk.recompute_marked(now_ms()).ok());  // its creation marked it (enterprise.changed)
  auto c = w_->as("xihu_insp");
  auto first = c.get("/api/v1/enterprises/" + uscc + "/risk");
  ASSERT_EQ(first.status, 200u) << first.body;
  auto j = first.json();
  EXPECT_EQ(j.at("score").to_number<double>(), 7);  // machinery 4, no standardization grade 3
  EXPECT_EQ(j.at("level").as_string(), "low");
  EXPECT_EQ(j.at("colour").as_string(), "blue");
  EXPECT_EQ(j.at("model_version").as_string(), "2026.3");
  EXPECT_EQ(j.at("breakdown").as_array().size(), 2u);
  EXPECT_EQ(j.at("history").as_array().size(), 1u);

  // A 二级 major hazard source: the event marks the enterprise; the next pass makes it red, and says why.
  auto hs = w_->as("zj_admin").post("/api/v1/hazard-sources", json::object{{"enterprise_uscc", uscc}, {"code", "HS-1"}, {"name", "液氨罐区"},
                                                                           {"kind", "tank_farm"}, {"grade", 2}});
  ASSERT_EQ(hs.status, 201u) << hs.body;
  ASSERT_TRUE(risk.recompute_marked(now_ms()).ok());
  auto red = c.get("/api/v1/enterprises/" + uscc + "/risk").json();
  EXPECT_EQ(red.at("level").as_string(), "major");
  EXPECT_EQ(red.at("override").as_string(), "有一级或二级重大危险源");
  EXPECT_EQ(red.at("score").to_number<double>(), 35);  // 4 + 18 + 3 + 10 风险未辨识: the score alone would be yellow
  ASSERT_EQ(red.at("history").as_array().size(), 2u);
  EXPECT_EQ(red.at("history").at(0).at("level").as_string(), "major");
  EXPECT_EQ(red.at("history").at(0).at("previous_level").as_string(), "low");
  EXPECT_EQ(red.at("history").at(0).at("reason").as_string(), "facts_changed");
  bool named = false;
  for (const auto& b : red.at("breakdown").as_array())
    named = named || (b.at("factor").as_string() == "hazard_sources" && b.at("points").to_number<double>() == 18);
  EXPECT_TRUE(named) << red;
  bool unidentified = false;  // a holder of a major hazard source with no risk point identified
  for (const auto& b : red.at("breakdown").as_array())
    unidentified = unidentified || (b.at("factor").as_string() == "risk_unidentified" && b.at("points").to_number<double>() == 10);
  EXPECT_TRUE(unidentified) << red;

  // An expired licence entered on the enterprise counts at the next pass.
  auto version = w_->as("zj_admin").get("/api/v1/enterprises/" + uscc).header("etag");
  auto lic = w_->as("zj_admin").patch("/api/v1/enterprises/" + uscc,
                                      json::object{{"licence", {{"number", "（浙）WH安许证字〔2020〕0009"}, {"issued_on", "2020-01-10"},
                                                                {"expires_on", "2023-01-09"}}}}, version);
  ASSERT_EQ(lic.status, 200u) << lic.body;
  ASSERT_TRUE(risk.recompute_marked(now_ms()).ok());
  auto expired = c.get("/api/v1/enterprises/" + uscc + "/risk").json();
  EXPECT_EQ(expired.at("score").to_number<double>(), 45);  // + 10
  bool licence = false;
  for (const auto& b : expired.at("breakdown").as_array()) licence = licence || b.at("factor").as_string() == "licence";
  EXPECT_TRUE(licence) << expired;

  // Outside the jurisdiction the enterprise has no risk to show; recomputing all is an administrator's.
  EXPECT_EQ(w_->as("js_insp").get("/api/v1/enterprises/" + uscc + "/risk").status, 404u);
  EXPECT_EQ(c.post("/api/v1/risk/recompute", json::object{}).status, 403u);
  // It recomputes the whole country: a province's administrator may not start it; the system's may, audited.
  EXPECT_EQ(w_->as("zj_admin").post("/api/v1/risk/recompute", json::object{}).status, 403u);
  auto all = w_->as("nation_admin").post("/api/v1/risk/recompute", json::object{});
  ASSERT_EQ(all.status, 200u) << all.body;
  EXPECT_GE(all.json().at("enterprises").as_int64(), 1);
  auto log = w_->as("auditadmin").get("/api/v1/audit?action=risk.recompute");
  ASSERT_GE(log.items().size(), 1u) << log.body;
  EXPECT_EQ(log.items()[0].at("action_name").as_string(), "重算全部企业风险");
}

TEST_P(EnterpriseRiskApi, ImportedEnterprisesAreScoredByTheNextPassNotTheHourlyOne) {
  const std::string a = uscc_for("330106", next_serial()), b = uscc_for("330106", next_serial());
  const std::string csv = std::string("统一社会信用代码,企业名称,行政区划代码,监管行业\n") + a + ",导入评分甲有限公司,330106,煤矿\n" + b +
                          ",导入评分乙有限公司,330106,机械\n";
  auto up = w_->as("xihu_admin").request("POST", "/api/v1/enterprises/import", csv, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(up.status, 200u) << up.body;
  ASSERT_EQ(up.json().at("imported").as_int64(), 2);
  auto c = w_->as("xihu_insp");
  // Without the import's events only the hourly pass would find them (the background 5-s pass may
  // take them first: either way they are scored now).
  ASSERT_TRUE(w_->app->enterprise_risk().recompute_marked(now_ms()).ok());
  auto coal = c.get("/api/v1/enterprises/" + a + "/risk");
  ASSERT_EQ(coal.status, 200u) << coal.body;
  EXPECT_EQ(coal.json().at("score").to_number<double>(), 33);  // coal mine 20, no standardization grade 3, 风险未辨识 10
  EXPECT_EQ(c.get("/api/v1/enterprises/" + b + "/risk").json().at("score").to_number<double>(), 7);
}

TEST_P(EnterpriseRiskApi, RegionsDrillDownAndRankTheirEnterprises) {
  auto& risk = w_->app->enterprise_risk();
  ASSERT_TRUE(risk.recompute_all(now_ms(), "test").ok());
  auto xihu = w_->as("xihu_insp");
  auto before = xihu.get("/api/v1/risk/regions/330106");
  ASSERT_EQ(before.status, 200u) << before.body;
  const auto majors = before.json().at("distribution").at("major").as_int64();
  EXPECT_GE(before.json().at("enterprises").as_int64(), 1);

  // An enterprise of 西湖 turns red: the county's distribution moves at once, its region's too.
  const std::string uscc = fresh_enterprise("hazchem_use");
  ASSERT_TRUE(risk.recompute({uscc}, now_ms(), "test").ok());
  ASSERT_EQ(w_->as("zj_admin").post("/api/v1/hazard-sources", json::object{{"enterprise_uscc", uscc}, {"code", "HS-1"}, {"name", "液氯库"},
                                                                          {"kind", "warehouse"}, {"grade", 1}}).status, 201u);
  ASSERT_TRUE(risk.recompute_marked(now_ms()).ok());
  auto after = xihu.get("/api/v1/risk/regions/330106").json();
  EXPECT_EQ(after.at("distribution").at("major").as_int64(), majors + 1);
  EXPECT_EQ(after.at("name").as_string(), "西湖区");
  auto city = w_->as("hz_insp").get("/api/v1/risk/regions/330100/children");
  ASSERT_EQ(city.status, 200u) << city.body;
  bool listed = false;
  const json::value children = city.json();
  for (const auto& c : children.at("items").as_array())
    if (c.at("code").as_string() == "330106") listed = c.at("distribution").at("major").as_int64() == majors + 1;
  EXPECT_TRUE(listed) << city.body;

  // The ranked list: red first, each with its reason.
  auto ranked = xihu.get("/api/v1/risk/regions/330106/enterprises?page_size=50");
  ASSERT_EQ(ranked.status, 200u) << ranked.body;
  const json::value ranked_json = ranked.json();
  const auto& items = ranked_json.at("items").as_array();
  ASSERT_GE(items.size(), 1u);
  EXPECT_EQ(items[0].at("level").as_string(), "major");
  for (const auto& x : items) EXPECT_FALSE(x.at("reason").as_string().empty()) << x;
  bool found = false;
  for (const auto& x : items)
    if (x.at("enterprise_uscc").as_string() == uscc) found = x.at("reason").as_string() == "有一级或二级重大危险源";
  EXPECT_TRUE(found);

  // The map's colours: the red enterprise among the county's rows; a region outside the code table is refused.
  auto levels = xihu.get("/api/v1/risk/levels?region_code=330106");
  ASSERT_EQ(levels.status, 200u) << levels.body;
  bool coloured = false;
  for (const auto& row : levels.items()) coloured = coloured || (row.at(0).as_string() == uscc && row.at(1).as_string() == "major");
  EXPECT_TRUE(coloured) << levels.body;
  EXPECT_EQ(xihu.get("/api/v1/risk/levels?region_code=330108").items().size(), 0u);  // 滨江: none of 西湖's
  EXPECT_EQ(xihu.get("/api/v1/risk/levels?region_code=99x").error_code(), "unknown_region");

  // The trend: this week's row once the weekly snapshot ran.
  ASSERT_TRUE(risk.snapshot_week(now_ms()).ok());
  auto trend = xihu.get("/api/v1/risk/regions/330106").json().at("trend").as_array();
  ASSERT_GE(trend.size(), 1u);
  EXPECT_EQ(trend.back().at("distribution").at("major").as_int64(), majors + 1);

  // Jurisdiction: a county sees its own region only; an enterprise user sees no region at all.
  EXPECT_EQ(xihu.get("/api/v1/risk/regions/330108").status, 404u);
  EXPECT_EQ(xihu.get("/api/v1/risk/regions/330000").status, 404u);
  EXPECT_EQ(xihu.get("/api/v1/risk/regions/330108/enterprises").status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/risk/regions/330106").status, 404u);
  EXPECT_EQ(xihu.get("/api/v1/risk/regions/999999").status, 404u);
  EXPECT_EQ(xihu.get("/api/v1/risk/regions/100000").status, 404u);
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/risk/regions/100000/children").status, 404u);

  // The country, for a national user: its children are the provinces; unknown codes stay unknown.
  auto nation = w_->as("nation_admin");
  auto country = nation.get("/api/v1/risk/regions/100000");
  ASSERT_EQ(country.status, 200u) << country.body;
  EXPECT_EQ(country.json().at("name").as_string(), "全国");
  EXPECT_GE(country.json().at("distribution").at("major").as_int64(), majors + 1);
  bool zhejiang = false;
  for (const auto& p : nation.get("/api/v1/risk/regions/100000/children").items())
    zhejiang = zhejiang || (p.at("code").as_string() == "330000" && p.at("distribution").at("major").as_int64() >= majors + 1);
  EXPECT_TRUE(zhejiang);
  EXPECT_EQ(nation.get("/api/v1/risk/regions/999999").status, 404u);
  EXPECT_EQ(nation.get("/api/v1/risk/regions/100000/enterprises").status, 200u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EnterpriseRiskApi, ::testing::Values("sqlite", "postgres"));
