// The working-day calendar (DOMAIN.md §7): weekends off, the State Council's holidays off, its
// 调休 weekend days on; 20 working days across 春节 and 国庆.
#include <gtest/gtest.h>

#include "base/time.h"
#include "modules/enforcement/calendar_rules.h"

using namespace anjian;
using namespace anjian::enforcement;

namespace {
std::int64_t d(const char* s) { return *parse_date(s); }
}  // namespace

TEST(Calendar, HolidaysAndAdjustedWorkingDays) {
  struct Case { const char* day; bool working; };
  const Case cases[] = {
      {"2025-01-01", false},  // 元旦, a Wednesday
      {"2025-01-26", true},   // Sunday, 调休上班 for 春节
      {"2025-01-27", true},   {"2025-01-28", false}, {"2025-02-04", false}, {"2025-02-05", true},
      {"2025-02-08", true},   // Saturday, 调休上班
      {"2025-02-09", false},  // an ordinary Sunday
      {"2025-10-08", false},  {"2025-10-11", true},  // 国庆中秋 to the 8th; Saturday the 11th works
      {"2026-02-14", true},   {"2026-02-15", false}, {"2026-02-23", false}, {"2026-02-24", true}, {"2026-02-28", true},
      {"2026-11-30", true},   // a Monday
      {"2026-12-05", false},  // a Saturday
  };
  for (const auto& c : cases) EXPECT_EQ(working_day(d(c.day)), c.working) << c.day;
  EXPECT_EQ(calendar_note(d("2025-01-26")), "春节调休上班");
  EXPECT_EQ(calendar_note(d("2026-02-16")), "春节放假");
  EXPECT_EQ(calendar_note(d("2026-03-02")), "");
  EXPECT_TRUE(calendar_covers(2025) && calendar_covers(2026));
  EXPECT_FALSE(calendar_covers(2027)) << "not announced when shipped: weekdays alone";
}

TEST(Calendar, TwentyWorkingDays) {
  // Concluded on Monday 2025-01-20: 1/21–1/24 (4), 1/26 Sunday 调休 (5), 1/27 (6), 春节 1/28–2/4 off,
  // 2/5–2/7 (9), 2/8 Saturday 调休 (10), 2/10–2/14 (15), 2/17–2/21 (20).
  EXPECT_EQ(format_date(add_working_days(d("2025-01-20"), 20)), "2025-02-21");
  EXPECT_EQ(working_days_between(d("2025-01-20"), d("2025-02-21")), 20);
  // An ordinary stretch: 20 working days are four weeks.
  EXPECT_EQ(format_date(add_working_days(d("2026-11-02"), 20)), "2026-11-30");
  EXPECT_EQ(add_working_days(d("2026-11-02"), 0), d("2026-11-02"));
}
