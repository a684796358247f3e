// Accident grades, 较大涉险, the reporting chain's deadlines, 补报 and 续报 (DOMAIN.md §6), at every
// boundary: 以上 includes the number, 以下 excludes it.
#include <gtest/gtest.h>

#include "base/time.h"
#include "modules/accident/grade_rules.h"
#include "modules/accident/kind_rules.h"
#include "modules/accident/report_rules.h"
#include "modules/emergency/duty_rules.h"

using namespace anjian;
using namespace anjian::accident;

namespace {
Casualties dead(std::int64_t n) { return Casualties{.deaths = n}; }
Casualties hurt(std::int64_t n) { return Casualties{.serious_injuries = n}; }
Casualties lost(std::int64_t yuan) { return Casualties{.direct_loss_yuan = yuan}; }
}  // namespace

TEST(AccidentGrade, DomainVectors) {
  EXPECT_EQ(grade(dead(2)).grade, Grade::general);
  EXPECT_EQ(grade(dead(3)).grade, Grade::larger);
  const auto g = grade(Casualties{.deaths = 9, .serious_injuries = 60});
  EXPECT_EQ(g.grade, Grade::major);
  EXPECT_EQ(g.criterion, "serious_injuries") << "the injuries reach higher than the deaths";
  const auto loss = grade(lost(100'000'000));
  EXPECT_EQ(loss.grade, Grade::extraordinary);
  EXPECT_EQ(loss.criterion, "direct_loss");
  const auto missing = grade(Casualties{.deaths = 2, .missing = 1});
  EXPECT_EQ(missing.grade, Grade::larger);
  EXPECT_TRUE(missing.provisional);
  EXPECT_FALSE(grade(dead(2)).provisional);
}

TEST(AccidentGrade, DeathBoundaries) {
  for (auto [n, want] : {std::pair{0, Grade::general}, {2, Grade::general}, {3, Grade::larger}, {9, Grade::larger}, {10, Grade::major},
                         {29, Grade::major}, {30, Grade::extraordinary}, {300, Grade::extraordinary}}) {
    EXPECT_EQ(grade(dead(n)).grade, want) << n << " deaths";
    // Missing persons count the same while unresolved.
    EXPECT_EQ(grade(Casualties{.missing = n}).grade, want) << n << " missing";
  }
  EXPECT_EQ(grade(Casualties{.deaths = 28, .missing = 2}).grade, Grade::extraordinary) << "28 dead + 2 missing = 30";
}

TEST(AccidentGrade, InjuryBoundaries) {
  for (auto [n, want] : {std::pair{9, Grade::general}, {10, Grade::larger}, {49, Grade::larger}, {50, Grade::major}, {99, Grade::major},
                         {100, Grade::extraordinary}}) {
    const auto g = grade(hurt(n));
    EXPECT_EQ(g.grade, want) << n << " injured";
    EXPECT_EQ(g.criterion, "serious_injuries");
  }
}

TEST(AccidentGrade, LossBoundariesInYuan) {
  for (auto [y, want] : {std::pair<std::int64_t, Grade>{9'999'999, Grade::general}, {10'000'000, Grade::larger}, {49'999'999, Grade::larger},
                         {50'000'000, Grade::major}, {99'999'999, Grade::major}, {100'000'000, Grade::extraordinary}})
    EXPECT_EQ(grade(lost(y)).grade, want) << y << " 元";
}

TEST(AccidentGrade, TheHighestCriterionDecidesAndTiesGoToDeaths) {
  const auto tie = grade(Casualties{.deaths = 3, .serious_injuries = 10, .direct_loss_yuan = 10'000'000});
  EXPECT_EQ(tie.grade, Grade::larger);
  EXPECT_EQ(tie.criterion, "deaths");
  const auto loss = grade(Casualties{.deaths = 2, .serious_injuries = 9, .direct_loss_yuan = 50'000'000});
  EXPECT_EQ(loss.grade, Grade::major);
  EXPECT_EQ(loss.criterion, "direct_loss");
  EXPECT_EQ(grade(Casualties{}).criterion, "deaths");
  EXPECT_EQ(grade(hurt(1)).criterion, "serious_injuries");
  EXPECT_EQ(grade(lost(5)).criterion, "direct_loss");
}

TEST(AccidentGrade, LargerEndangermentByItsOwnRules) {
  EXPECT_FALSE(grade(Casualties{.endangered = 9}).larger_endangerment);
  EXPECT_TRUE(grade(Casualties{.endangered = 10}).larger_endangerment);
  EXPECT_FALSE(grade(Casualties{.trapped = 2}).larger_endangerment);
  EXPECT_TRUE(grade(Casualties{.trapped = 3}).larger_endangerment);
  EXPECT_TRUE(grade(Casualties{.missing = 1, .trapped = 2}).larger_endangerment) << "trapped or missing";
  EXPECT_FALSE(grade(Casualties{.evacuated = 499}).larger_endangerment);
  EXPECT_TRUE(grade(Casualties{.evacuated = 500}).larger_endangerment);
  // It is reported as far as a 较大 accident, and no further than the grade when that is higher.
  EXPECT_EQ(reporting_grade(grade(Casualties{.evacuated = 500})), Grade::larger);
  EXPECT_EQ(reporting_grade(grade(Casualties{.deaths = 10, .evacuated = 500})), Grade::major);
}

TEST(AccidentGrade, ReasonsNameTheCriterionAndItsThreshold) {
  const Casualties c{.deaths = 2, .missing = 1};
  EXPECT_EQ(grade_reason(c, grade(c)), "死亡（含下落不明 1 人）3 人，达到较大事故标准（3 人以上）");
  EXPECT_EQ(grade_reason(lost(50'000'000), grade(lost(50'000'000))), "直接经济损失 5000 万元，达到重大事故标准（5000 万元以上）");
  const Casualties e{.evacuated = 600};
  EXPECT_NE(grade_reason(e, grade(e)).find("较大涉险"), std::string::npos);
}

TEST(AccidentChain, LevelsByGrade) {
  EXPECT_EQ(top_level(Grade::general), Level::city);
  EXPECT_EQ(top_level(Grade::larger), Level::province);
  EXPECT_EQ(top_level(Grade::major), Level::nation);
  EXPECT_EQ(top_level(Grade::extraordinary), Level::nation);
}

TEST(AccidentChain, DeadlinesOneHourThenTwoPerLevelAndTheProvinceWithinAnHourForLarger) {
  const Millis t = 1'700'000'000'000;
  EXPECT_EQ(hop_due(Level::county, true, Grade::general, t, std::nullopt), t + kHour);
  // The city: 2 hours after the county received it (or, not yet, after the county's deadline).
  EXPECT_EQ(hop_due(Level::city, false, Grade::general, t, t + 20 * 60'000), t + 20 * 60'000 + 2 * kHour);
  EXPECT_EQ(hop_due(Level::city, false, Grade::general, t, std::nullopt), t + kHour);
  EXPECT_EQ(hop_due(Level::province, false, Grade::general, t, t + 3 * kHour), t + 5 * kHour) << "an 一般 re-graded one goes up by hops";
  EXPECT_EQ(hop_due(Level::province, false, Grade::larger, t, t + 3 * kHour), t + kHour) << "较大: straight to the province within 1 h";
  EXPECT_EQ(hop_due(Level::nation, false, Grade::major, t, t + kHour), t + 3 * kHour);
  EXPECT_FALSE(hop_late(t + kHour, t + kHour, t + 5 * kHour)) << "on the minute is in time";
  EXPECT_TRUE(hop_late(t + kHour, t + kHour + 1, t + 5 * kHour));
  EXPECT_FALSE(hop_late(t + kHour, std::nullopt, t + kHour));
  EXPECT_TRUE(hop_late(t + kHour, std::nullopt, t + kHour + 1)) << "not received and past due";
}

TEST(AccidentFollowUp, SupplementWindowAtItsEdges) {
  const std::int64_t day = *parse_date("2026-11-01");
  EXPECT_TRUE(supplement_open(day, day, false));
  EXPECT_TRUE(supplement_open(day, day + 30, false)) << "day 30";
  EXPECT_FALSE(supplement_open(day, day + 31, false)) << "day 31";
  EXPECT_TRUE(supplement_open(day, day + 7, true)) << "fire / road traffic: day 7";
  EXPECT_FALSE(supplement_open(day, day + 8, true)) << "day 8";
  EXPECT_FALSE(supplement_open(day, day - 1, false)) << "before the accident";
}

TEST(AccidentFollowUp, FrequencyOnceADayTwiceForMajor) {
  const std::int64_t d = *parse_date("2026-11-01");
  EXPECT_EQ(follow_ups_per_day(Grade::general), 1);
  EXPECT_EQ(follow_ups_per_day(Grade::larger), 1);
  EXPECT_EQ(follow_ups_per_day(Grade::major), 2);
  // Today is 11-05: days 02, 03, 04 are judged.
  EXPECT_EQ(missed_follow_up_days(Grade::larger, d, std::nullopt, d + 4, {d + 1, d + 3}), (std::vector<std::int64_t>{d + 2}));
  EXPECT_EQ(missed_follow_up_days(Grade::major, d, std::nullopt, d + 4, {d + 1, d + 1, d + 2, d + 3, d + 3}), (std::vector<std::int64_t>{d + 2}));
  // Stable from 11-03: only 11-02 was owed.
  EXPECT_TRUE(missed_follow_up_days(Grade::general, d, d + 2, d + 10, {d + 1}).empty());
  EXPECT_TRUE(missed_follow_up_days(Grade::general, d, std::nullopt, d + 1, {}).empty()) << "the accident's own day has its 快报";
}

TEST(AccidentInvestigation, LedByTheLevelOfTheGradeWithItsDeadlines) {
  EXPECT_EQ(investigation_level(Grade::general), Level::county);
  EXPECT_EQ(investigation_level(Grade::larger), Level::city);
  EXPECT_EQ(investigation_level(Grade::major), Level::province);
  EXPECT_EQ(investigation_level(Grade::extraordinary), Level::nation) << "the State Council";
  EXPECT_EQ(kReportDays, 60);
  EXPECT_EQ(kMaxReportExtensionDays, 60);
  EXPECT_EQ(reply_days(Grade::major), 15);
  EXPECT_EQ(reply_days(Grade::extraordinary), 30);
  EXPECT_EQ(max_reply_extension_days(Grade::extraordinary), 30);
  EXPECT_EQ(max_reply_extension_days(Grade::larger), 0);
}

TEST(AccidentKinds, Gb6441CategoriesByNameAliasOrCode) {
  EXPECT_EQ(accident_kinds().size(), 20u);
  EXPECT_EQ(find_kind("坍塌")->code, "10");
  EXPECT_EQ(find_kind("10")->name, "坍塌");
  EXPECT_EQ(find_kind("瓦斯")->name, "瓦斯爆炸");
  EXPECT_EQ(find_kind("爆炸")->name, "其他爆炸");
  EXPECT_EQ(find_kind("其他")->name, "其他伤害");
  EXPECT_EQ(find_kind("中毒和窒息")->code, "19");
  EXPECT_FALSE(find_kind("地震").has_value());
  EXPECT_FALSE(find_kind("").has_value());
  EXPECT_TRUE(fire_kind(find_kind("火灾")->code));
}

TEST(DutyRoster, AMonthFromARotation) {
  using namespace anjian::emergency;
  EXPECT_EQ(minutes_of("08:30"), 510);
  EXPECT_EQ(minutes_of("23:59"), 1439);
  EXPECT_FALSE(minutes_of("24:00"));
  EXPECT_FALSE(minutes_of("8:30"));
  EXPECT_FALSE(minutes_of("08:60"));
  const std::int64_t dec1 = *parse_date("2026-12-01");
  const auto month = rotate(dec1, 31, {{"白班", 510, 1050}, {"夜班", 1050, 510}}, {"a", "b", "c"}, {"L1", "L2"});
  ASSERT_EQ(month.size(), 62u);
  EXPECT_EQ(format_iso(month[0].starts_at), "2026-12-01T08:30:00+08:00");
  EXPECT_EQ(format_iso(month[1].ends_at), "2026-12-02T08:30:00+08:00") << "the night ends the next morning";
  EXPECT_EQ(month[1].starts_at, month[0].ends_at);
  EXPECT_EQ(month[0].officer, "a");
  EXPECT_EQ(month[1].officer, "b");
  EXPECT_EQ(month[2].officer, "c") << "shift after shift";
  EXPECT_EQ(month[3].officer, "a");
  EXPECT_EQ(month[0].leader, "L1");
  EXPECT_EQ(month[1].leader, "L1") << "a leader a day";
  EXPECT_EQ(month[2].leader, "L2");
  EXPECT_EQ(month.back().day, dec1 + 30);
}
