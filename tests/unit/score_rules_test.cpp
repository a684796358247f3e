// The enterprise's dynamic risk score: one test per contributor, the override, the cut-offs,
// monotonicity (more risk never lowers the score), and the model as versioned data.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <random>

#include "modules/risk/score_rules.h"

using namespace anjian;
using namespace anjian::risk;

namespace {
const RiskModel& model() { return RiskModel::standard(); }
double points_of(const EnterpriseScore& s, const std::string& factor) {
  for (const auto& c : s.breakdown)
    if (c.factor == factor) return c.points;
  return 0;
}
EnterpriseFacts base() {
  EnterpriseFacts f;
  f.industry = "machinery";
  f.standardization_grade = "3";  // contributes 0
  return f;
}
}  // namespace

TEST(EnterpriseScore, EachContributorAsTheModelSays) {
  auto s0 = model().score(base());
  EXPECT_EQ(points_of(s0, "industry"), 4);
  EXPECT_EQ(s0.score, 4);
  EXPECT_EQ(s0.level, RiskLevel::low);
  EXPECT_EQ(s0.model_version, "2026.3");

  auto f = base();
  f.industry = "hazchem_production";
  EXPECT_EQ(points_of(model().score(f), "industry"), 20);

  f = base();
  f.hazard_source_grades = {3, 4, 4, 4, 4, 4};  // worst 三级 10, five more: 2 each, at most 6
  auto hs = model().score(f);
  EXPECT_EQ(points_of(hs, "hazard_sources"), 16);
  EXPECT_NE(hs.breakdown[1].detail.find("三级"), std::string::npos);

  f = base();
  f.risk_points_by_level = {5, 0, 1, 3};  // low 5, general 0, significant 1, major 3 → worst major 20, two more majors 2 each
  EXPECT_EQ(points_of(model().score(f), "risk_points"), 24);
  f.risk_points_by_level = {0, 0, 0, 9};  // eight more majors: at most 6
  EXPECT_EQ(points_of(model().score(f), "risk_points"), 26);
  f.risk_points_by_level = {5, 0, 2, 0};  // worst significant: 12
  EXPECT_EQ(points_of(model().score(f), "risk_points"), 12);
  f.risk_points_by_level = {5, 2, 0, 0};  // worst general: 4
  EXPECT_EQ(points_of(model().score(f), "risk_points"), 4);

  f = base();
  f.open_alarms = {{"high_high", 1}, {"offline", 2}};  // 8 + 2×2
  EXPECT_EQ(points_of(model().score(f), "open_alarms"), 12);
  f.open_alarms = {{"power_off", 3}};  // 30, at most 20
  EXPECT_EQ(points_of(model().score(f), "open_alarms"), 20);

  f = base();
  f.alarms_7d = 4;
  f.alarms_30d = 100;  // 0.5 × 4; 0.1 × 100 capped at 5
  auto recent = model().score(f);
  EXPECT_EQ(points_of(recent, "alarms_7d"), 2);
  EXPECT_EQ(points_of(recent, "alarms_30d"), 5);

  f = base();
  f.licence_state = "expired";
  EXPECT_EQ(points_of(model().score(f), "licence"), 10);
  f.licence_state = "expiring";
  EXPECT_EQ(points_of(model().score(f), "licence"), 3);

  f = base();
  f.standardization_grade = "1";
  EXPECT_EQ(points_of(model().score(f), "standardization"), -4);
  f.standardization_grade.reset();
  EXPECT_EQ(points_of(model().score(f), "standardization"), 3);
}

TEST(EnterpriseScore, HiddenDangersEnforcementAndAccidentsAsTheModelSays) {
  auto f = base();
  f.open_hidden_dangers_general = 3;   // 1 each
  f.open_hidden_dangers_major = 2;     // 15 each, at most 25
  f.overdue_rectifications = 5;        // 3 each, at most 12
  auto s = model().score(f);
  EXPECT_EQ(points_of(s, "open_general"), 3);
  EXPECT_EQ(points_of(s, "open_major"), 25);
  EXPECT_EQ(points_of(s, "overdue"), 12);
  f = base();
  f.violations_12m = 4;  // 1 each
  f.penalties_12m = 3;   // 4 each, at most 8
  s = model().score(f);
  EXPECT_EQ(points_of(s, "violations_12m"), 4);
  EXPECT_EQ(points_of(s, "penalties_12m"), 8);
  f = base();
  f.accidents_3y = {{"general", 2}, {"larger", 0}};  // 8 each
  s = model().score(f);
  EXPECT_EQ(points_of(s, "accidents_3y"), 16);
  bool named = false;
  for (const auto& c : s.breakdown) named = named || (c.group == "accidents" && c.detail == "近 3 年：一般事故 2 起");
  EXPECT_TRUE(named);
  f.accidents_3y = {{"major", 1}, {"general", 1}};  // 30 + 8, at most 30
  EXPECT_EQ(points_of(model().score(f), "accidents_3y"), 30);
}

TEST(EnterpriseScore, AnUnrectifiedMajorHiddenDangerOrAFatalAccidentMakesItRed) {
  auto f = base();
  f.open_hidden_dangers_major = 1;
  auto s = model().score(f);
  EXPECT_LT(s.score, 75);
  EXPECT_EQ(s.level, RiskLevel::major);
  EXPECT_EQ(s.override_reason, "有未整改的重大事故隐患");
  f = base();
  f.fatal_accident_1y = true;
  f.accidents_3y = {{"general", 1}};
  s = model().score(f);
  EXPECT_EQ(s.level, RiskLevel::major);
  EXPECT_EQ(s.override_reason, "近一年发生过死亡事故");
  // Rules in order: the first that applies names the reason.
  f.hazard_source_grades = {1};
  EXPECT_EQ(model().score(f).override_reason, "有一级或二级重大危险源");
  // General hidden dangers and older accidents weigh, but decide nothing on their own.
  f = base();
  f.open_hidden_dangers_general = 5;
  f.accidents_3y = {{"general", 1}};
  EXPECT_TRUE(model().score(f).override_reason.empty());
}

TEST(EnterpriseScore, OverrideAndCutOffs) {
  auto f = base();
  f.hazard_source_grades = {2};
  auto s = model().score(f);
  EXPECT_LT(s.score, 50);
  EXPECT_EQ(s.level, RiskLevel::major) << "a 二级 major hazard source is red whatever the score";
  EXPECT_EQ(s.override_reason, "有一级或二级重大危险源");
  f.hazard_source_grades = {3};
  EXPECT_EQ(model().score(f).override_reason, "有三级或四级重大危险源（至少较大风险）");
  const Cutoffs& c = model().cutoffs();
  EXPECT_EQ(c.level(75), RiskLevel::major);
  EXPECT_EQ(c.level(74.9), RiskLevel::significant);
  EXPECT_EQ(c.level(50), RiskLevel::significant);
  EXPECT_EQ(c.level(49.9), RiskLevel::general);
  EXPECT_EQ(c.level(25), RiskLevel::general);
  EXPECT_EQ(c.level(24.9), RiskLevel::low);
  // Everything at once stays within 0–100.
  f.industry = "coal_mine";
  f.hazard_source_grades = {1, 1, 1, 1, 1};
  f.risk_points_by_level = {0, 0, 0, 9};
  f.open_alarms = {{"power_off", 9}};
  f.alarms_7d = f.alarms_30d = 999;
  f.licence_state = "expired";
  f.standardization_grade.reset();
  EXPECT_EQ(model().score(f).score, 100);
}

TEST(EnterpriseScore, AThirdOrFourthGradeSourceIsAtLeastOrange) {
  // The demo's enterprise a new user met: a 三级 tank farm (环氧乙烷 40 t, 液氨 12 t), risk points
  // identified, nothing else wrong — it showed 低风险 12.6 under 2026.2.
  auto f = base();
  f.industry = "hazchem_use";
  f.hazard_source_grades = {3};
  f.risk_points_by_level = {3, 2, 0, 0};
  auto s = model().score(f);
  EXPECT_LT(s.score, 50);
  EXPECT_EQ(s.level, RiskLevel::significant);
  EXPECT_EQ(s.override_reason, "有三级或四级重大危险源（至少较大风险）");
  f.hazard_source_grades = {4};
  EXPECT_EQ(model().score(f).level, RiskLevel::significant);
  // A floor never lowers: a 二级 source beside it stays red, by its own rule.
  f.hazard_source_grades = {2, 4};
  EXPECT_EQ(model().score(f).level, RiskLevel::major);
  EXPECT_EQ(model().score(f).override_reason, "有一级或二级重大危险源");
  // A score already above the floor keeps its level and says no floor.
  f = base();
  f.hazard_source_grades = {4, 4, 4, 4};
  f.risk_points_by_level = {0, 0, 0, 1};
  f.open_alarms = {{"power_off", 3}};
  f.alarms_7d = 10;
  f.alarms_30d = 50;
  f.licence_state = "expired";
  auto high = model().score(f);
  ASSERT_GE(high.score, 75);
  EXPECT_EQ(high.level, RiskLevel::major);
  EXPECT_TRUE(high.override_reason.empty());
  // The model refuses a floor it does not know, or a level that is no colour.
  std::string text(R"({"version":"x","cutoffs":{"red":75,"orange":50,"yellow":25},
      "risk_point_cutoffs":{"lec":{"red":320,"orange":160,"yellow":70},"matrix":{"red":20,"orange":15,"yellow":9}},
      "inherent":{},"monitoring":{},"management":{},"floors":[FLOOR]})");
  auto with = [&](const std::string& floor) { return RiskModel::parse(std::string(text).replace(text.find("FLOOR"), 5, floor)); };
  EXPECT_TRUE(with(R"({"rule":"major_hazard_source_grade_3_or_4","level":"orange"})").ok());
  EXPECT_FALSE(with(R"({"rule":"hazard_source_any","level":"orange"})").ok());
  EXPECT_FALSE(with(R"({"rule":"major_hazard_source_grade_3_or_4","level":"purple"})").ok());
}

TEST(EnterpriseScore, NoRiskPointIdentifiedIsADeficiency) {
  auto f = base();
  EXPECT_EQ(points_of(model().score(f), "risk_unidentified"), 0) << "machinery is no high-risk trade";
  f.hazard_source_grades = {4};  // a holder of a major hazard source, any trade
  auto s = model().score(f);
  EXPECT_EQ(points_of(s, "risk_unidentified"), 10);
  bool shown = false;
  for (const auto& c : s.breakdown) shown = shown || (c.factor == "risk_unidentified" && c.group == "management" && c.detail.find("风险未辨识") == 0);
  EXPECT_TRUE(shown);
  for (const char* trade : {"hazchem_production", "hazchem_operation", "hazchem_use", "coal_mine", "metal_nonmetal_mine", "fireworks"}) {
    f = base();
    f.industry = trade;
    EXPECT_EQ(points_of(model().score(f), "risk_unidentified"), 10) << trade;
    f.risk_points_by_level = {1, 0, 0, 0};  // one point identified, even a low one: the step is done
    EXPECT_EQ(points_of(model().score(f), "risk_unidentified"), 0) << trade;
  }
}

TEST(EnterpriseScore, MoreRiskNeverLowersTheScore) {
  std::mt19937 rng(20261129);
  const char* alarms[] = {"high", "high_high", "low", "low_low", "rate", "fault", "offline", "power_off"};
  const char* accident_grades[] = {"general", "larger", "major", "extraordinary"};
  for (int i = 0; i < 2000; ++i) {
    EnterpriseFacts f = base();
    f.industry = rng() % 2 ? "hazchem_use" : "coal_mine";
    for (int k = static_cast<int>(rng() % 3); k > 0; --k) f.hazard_source_grades.push_back(1 + static_cast<int>(rng() % 4));
    if (rng() % 3) for (auto& n : f.risk_points_by_level) n = static_cast<int>(rng() % 3);
    f.alarms_7d = static_cast<int>(rng() % 20);
    f.alarms_30d = f.alarms_7d + static_cast<int>(rng() % 50);
    f.open_hidden_dangers_general = static_cast<int>(rng() % 4);
    f.overdue_rectifications = static_cast<int>(rng() % 3);
    f.violations_12m = static_cast<int>(rng() % 3);
    const double before = model().score(f).score;
    const auto before_level = model().score(f).level;
    EnterpriseFacts more = f;
    switch (rng() % 10) {
      case 0: more.hazard_source_grades.push_back(1 + static_cast<int>(rng() % 4)); break;
      // A further risk point is more risk; the first one identified is 风险分级管控 begun (its own test).
      case 1: {
        const bool some = std::any_of(f.risk_points_by_level.begin(), f.risk_points_by_level.end(), [](int n) { return n > 0; });
        ++more.risk_points_by_level[some ? rng() % 4 : 3];
        break;
      }
      case 2: ++more.open_alarms[alarms[rng() % 8]]; break;
      case 3: ++more.alarms_7d, ++more.alarms_30d; break;
      case 4: ++more.open_hidden_dangers_major; break;  // a major hidden danger never lowers the score
      case 5: ++more.open_hidden_dangers_general, ++more.overdue_rectifications; break;
      case 6: ++more.violations_12m, ++more.penalties_12m; break;
      case 7: ++more.accidents_3y[accident_grades[rng() % 4]]; break;
      case 8: more.fatal_accident_1y = true; break;
      default: more.licence_state = "expired"; break;
    }
    EXPECT_GE(model().score(more).score, before) << i;
    EXPECT_GE(static_cast<int>(model().score(more).level), static_cast<int>(before_level)) << i;
  }
}

TEST(EnterpriseScore, TheShippedModelLevelsRiskPointsAsDomainSays) {
  // DOMAIN.md §4's defaults, which the vectors of risk_assessment_rules_test check exactly.
  const PointCutoffs& p = RiskModel::standard().point_cutoffs();
  for (const auto& [got, want] : {std::pair{p.lec, kLecCutoffs}, std::pair{p.matrix, kMatrixCutoffs}}) {
    EXPECT_EQ(got.red, want.red);
    EXPECT_EQ(got.orange, want.orange);
    EXPECT_EQ(got.yellow, want.yellow);
  }
}

TEST(EnterpriseScore, TheModelIsVersionedData) {
  boost::json::object doc = boost::json::parse(R"({"version":"2027.1","cutoffs":{"red":60,"orange":40,"yellow":20},
      "risk_point_cutoffs":{"lec":{"red":400,"orange":200,"yellow":70},"matrix":{"red":16,"orange":12,"yellow":6}},
      "inherent":{"industry":{"machinery":30}},"monitoring":{},"management":{}})").as_object();
  auto m = RiskModel::parse(boost::json::serialize(doc));
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto s = m->score(base());
  EXPECT_EQ(s.model_version, "2027.1");
  EXPECT_EQ(s.score, 30);
  EXPECT_EQ(s.level, RiskLevel::general);
  EXPECT_EQ(to_json(s).at("model_version").as_string(), "2027.1");
  // Its risk point bands are its own: L6·E6·C15 = 540 stays 红, 270 is 橙 under 400 too, 4×4 = 16 becomes 红.
  EXPECT_EQ(lec(6, 6, 15, m->point_cutoffs().lec)->level, RiskLevel::major);
  EXPECT_EQ(lec(3, 6, 15, m->point_cutoffs().lec)->level, RiskLevel::significant);
  EXPECT_EQ(lec(6, 10, 7, m->point_cutoffs().lec)->level, RiskLevel::major);        // 420
  EXPECT_EQ(lec(1, 10, 40, m->point_cutoffs().lec)->level, RiskLevel::major);       // 400: at the bound
  EXPECT_EQ(lec(6, 6, 7, m->point_cutoffs().lec)->level, RiskLevel::significant);   // 252
  EXPECT_EQ(matrix(4, 4, m->point_cutoffs().matrix)->level, RiskLevel::major);
  EXPECT_EQ(matrix(4, 4, RiskModel::standard().point_cutoffs().matrix)->level, RiskLevel::significant);
  // A broken model is refused, not half-read.
  for (const char* bad : {"[]", "{}", R"({"version":"x"})", R"({"version":"x","cutoffs":{"red":10,"orange":20,"yellow":5},"inherent":{},"monitoring":{},"management":{}})",
                          R"({"version":"x","cutoffs":{"red":60,"orange":40,"yellow":20},"inherent":{},"monitoring":{}})",
                          R"({"version":"x","cutoffs":{"red":60,"orange":40,"yellow":20},"inherent":{},"monitoring":{},"management":{}})",
                          R"({"version":"x","cutoffs":{"red":60,"orange":40,"yellow":20},"risk_point_cutoffs":{"lec":{"red":320,"orange":160,"yellow":70},"matrix":{"red":20,"orange":15,"yellow":9}},"inherent":{},"monitoring":{},"management":{},"overrides":[{"rule":"major_hazard_source_grade_1_or2"}]})",
                          R"({"version":"x","cutoffs":{"red":60,"orange":40,"yellow":20},"risk_point_cutoffs":{"lec":{"red":320,"orange":160,"yellow":70}},"inherent":{},"monitoring":{},"management":{}})",
                          R"({"version":"x","cutoffs":{"red":60,"orange":40,"yellow":20},"risk_point_cutoffs":{"lec":{"red":320,"orange":160,"yellow":70},"matrix":{"red":9,"orange":15,"yellow":20}},"inherent":{},"monitoring":{},"management":{}})"}) {
    auto r = RiskModel::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "invalid_data");
  }
}
