// The regional aggregation: the mean of the riskiest 20 % (at least 10), level counts, merging.
#include <gtest/gtest.h>

#include "modules/risk/region_rules.h"

using namespace anjian::risk;

TEST(RegionRisk, TheRiskiestFifthDecides) {
  RegionHistogram h;
  EXPECT_EQ(h.score(), 0);
  for (int i = 0; i < 5; ++i) h.add(80, RiskLevel::major);
  EXPECT_EQ(h.score(), 80) << "fewer than 10: all of them";
  for (int i = 0; i < 95; ++i) h.add(10, RiskLevel::low);
  // 100 enterprises: the top 20 are 5 × 80 and 15 × 10 → 27.5 (not diluted to 13.5 by the 80 others).
  EXPECT_EQ(h.score(), 27.5);
  EXPECT_EQ(h.enterprises(), 100);
  EXPECT_EQ(h.count(RiskLevel::major), 5);
  EXPECT_EQ(h.count(RiskLevel::low), 95);
  // A county of 1,000 small shops at 5 and 10 plants at 90: still the plants that show.
  RegionHistogram county;
  for (int i = 0; i < 1000; ++i) county.add(5, RiskLevel::low);
  for (int i = 0; i < 10; ++i) county.add(90, RiskLevel::major);
  EXPECT_NEAR(county.score(), (10 * 90 + 192 * 5) / 202.0, 0.05);
}

TEST(RegionRisk, MergingAndMovingScoresAreExact) {
  RegionHistogram a, b, all;
  for (int i = 0; i < 30; ++i) a.add(40.5 + i, RiskLevel::general);
  for (int i = 0; i < 20; ++i) b.add(12.25 + i, RiskLevel::low);
  for (int i = 0; i < 30; ++i) all.add(40.5 + i, RiskLevel::general);
  for (int i = 0; i < 20; ++i) all.add(12.25 + i, RiskLevel::low);
  RegionHistogram merged = a;
  merged.merge(b);
  EXPECT_EQ(merged.score(), all.score());
  EXPECT_EQ(merged.enterprises(), 50);
  // An enterprise's score moves: removed at the old, added at the new.
  merged.add(69.5, RiskLevel::general, -1);
  merged.add(99, RiskLevel::major);
  EXPECT_EQ(merged.count(RiskLevel::major), 1);
  EXPECT_EQ(merged.enterprises(), 50);
  EXPECT_GT(merged.score(), all.score());
  // Scores at the edges stay in range.
  RegionHistogram edges;
  edges.add(100, RiskLevel::major);
  edges.add(0, RiskLevel::low);
  EXPECT_EQ(edges.score(), 50);
}
