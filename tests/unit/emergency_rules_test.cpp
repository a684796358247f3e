// The dispatch steps (forward only, cancelled until done), the plans' three-year review (a leap
// day lands on 28 February), and the statistics periods with their 环比 and 同比.
#include <gtest/gtest.h>

#include "base/period.h"
#include "modules/emergency/incident_rules.h"
#include "modules/emergency/plan_rules.h"

using namespace anjian;
using namespace anjian::emergency;

TEST(DispatchSteps, MoveForwardOnlyAndEndAtDoneOrCancelled) {
  EXPECT_TRUE(dispatch_may_move("assigned", "accepted"));
  EXPECT_TRUE(dispatch_may_move("assigned", "on_site")) << "a team reached on its way skips steps";
  EXPECT_TRUE(dispatch_may_move("on_site", "done"));
  EXPECT_FALSE(dispatch_may_move("on_site", "en_route")) << "never backwards";
  EXPECT_FALSE(dispatch_may_move("accepted", "accepted")) << "not to itself";
  EXPECT_FALSE(dispatch_may_move("accepted", "assigned"));
  for (auto from : {"assigned", "accepted", "en_route", "on_site"}) EXPECT_TRUE(dispatch_may_move(from, "cancelled")) << from;
  for (auto to : dispatch_statuses()) {
    EXPECT_FALSE(dispatch_may_move("done", to)) << to;
    EXPECT_FALSE(dispatch_may_move("cancelled", to)) << to;
  }
  EXPECT_FALSE(dispatch_may_move("assigned", "arrived"));
  EXPECT_FALSE(dispatch_may_move("flying", "done"));
  EXPECT_TRUE(dispatch_active("on_site"));
  EXPECT_FALSE(dispatch_active("done"));
  EXPECT_FALSE(dispatch_active("cancelled"));
  for (auto s : dispatch_statuses()) EXPECT_NE(dispatch_status_label(s), s) << "a Chinese label for " << s;
}

TEST(PlanReview, IsDueThreeYearsOnTheSameDay) {
  auto due = [](const char* d) { return format_date(review_due(*parse_date(d))); };
  EXPECT_EQ(due("2023-12-01"), "2026-12-01");
  EXPECT_EQ(due("2024-02-29"), "2027-02-28") << "no 29 February in 2027";
  EXPECT_EQ(due("2025-02-28"), "2028-02-28");
  EXPECT_EQ(due("2021-03-01"), "2024-03-01");
  EXPECT_EQ(plan_levels("government").size(), 3u);
  EXPECT_EQ(plan_levels("enterprise").front(), "comprehensive");
  EXPECT_EQ(plan_level_label("onsite"), "现场处置方案");
}

TEST(StatisticsPeriod, PreviousAndYearBefore) {
  auto p = [](const char* s) { return *parse_period(s); };
  EXPECT_EQ(p("2026-03").previous().label, "2026年2月");
  EXPECT_EQ(p("2026-01").previous().label, "2025年12月") << "across the new year";
  EXPECT_EQ(p("2026Q1").previous().label, "2025年第4季度");
  EXPECT_EQ(p("2026Q3").previous().label, "2026年第2季度");
  EXPECT_EQ(p("2026").previous().label, "2025年");
  EXPECT_EQ(p("2026Q2").year_before().label, "2025年第2季度");
  EXPECT_EQ(p("2026-07").year_before().from, 202507);
  // Beijing months: March starts at 16:00 UTC on the last day of February.
  EXPECT_EQ(format_iso(p("2026-03").start()), "2026-03-01T00:00:00+08:00");
  EXPECT_EQ(p("2026-03").end(), p("2026-04").start());
  EXPECT_EQ(p("2026-12").end(), p("2027-01").start());
  EXPECT_EQ(period_label(202602, 202604), "2026年2月至2026年4月");
  for (auto bad : {"26", "2026-13", "2026Q5", "2026-1", "1999", "２０２６", "2026-07x"}) EXPECT_FALSE(parse_period(bad).ok()) << bad;
}
