// The nightly backups' keeping rule (docs/DEPLOY.md §6): the newest N, then one a week for M weeks.
#include "base/retention.h"

#include <gtest/gtest.h>

namespace anjian {
namespace {

constexpr Millis kDay = 86'400'000;
// 2026-12-03 02:30 Beijing time (a Thursday) is 2026-12-02 18:30 UTC.
constexpr Millis kThursday = 1796236200000;

TEST(Retention, KeepsTheNewestDailyThenOneAWeek) {
  std::vector<Millis> nightly;
  for (int d = 0; d < 60; ++d) nightly.push_back(kThursday - d * kDay);  // 60 nights, newest first
  const auto keep = copies_to_keep(nightly, 7, 4);
  // The 7 newest (Thu 12-03 back to Fri 11-27)…
  for (size_t i = 0; i < 7; ++i) EXPECT_TRUE(keep.count(i)) << i;
  // …and the newest of each of the 4 newest weeks: this one's and last one's are daily copies
  // already (Thu 12-03, Sun 11-29); then Sun 11-22 and Sun 11-15.
  EXPECT_EQ(keep.size(), 9u);
  for (size_t i : {11u, 18u}) EXPECT_TRUE(keep.count(i)) << i;
  EXPECT_FALSE(keep.count(7));
  EXPECT_FALSE(keep.count(25)) << "a fifth week is not kept";
}

TEST(Retention, ManualCopiesAndOddCounts) {
  // Two copies the same night (one by hand): the newer of the week is the one kept weekly.
  std::vector<Millis> made = {kThursday, kThursday - 3600'000, kThursday - 10 * kDay, kThursday - 10 * kDay + 60'000};
  auto keep = copies_to_keep(made, 1, 2);
  EXPECT_EQ(keep, (std::set<size_t>{0, 3}));  // 0: the newest (and this week's); 3: the newest of the week before
  EXPECT_TRUE(copies_to_keep(made, 0, 0).empty());
  EXPECT_EQ(copies_to_keep(made, 100, 0).size(), 4u);
  EXPECT_TRUE(copies_to_keep({}, 7, 4).empty());
}

}  // namespace
}  // namespace anjian
