#pragma once
// The risk of a region (county, city, province) from its enterprises' scores:
//   - the distribution of their levels (红/橙/黄/蓝 counts);
//   - a regional score: the mean score of its riskiest enterprises — the top 20 %, and at least
//     10 (or all, when fewer) — so that a county's few dangerous plants are not diluted by
//     thousands of shops, and a province with many of them stands out; its level by the model's
//     cut-offs.
// Kept as a histogram of scores in 1-point buckets with each bucket's exact sum: regions merge by
// adding histograms (a province from its counties in microseconds), and an enterprise's new score
// moves one count.
#include <array>
#include <cstdint>

#include "modules/risk/assessment_rules.h"

namespace anjian::risk {

class RegionHistogram {
 public:
  void add(double score, RiskLevel level, int sign = 1);
  void merge(const RegionHistogram& other);
  std::int64_t enterprises() const { return total_; }
  std::int64_t count(RiskLevel l) const { return levels_[static_cast<size_t>(l)]; }
  // The mean of the top 20 % (at least 10, or all) scores; 0 for an empty region.
  double score() const;

 private:
  std::array<std::int64_t, 101> count_{};
  std::array<double, 101> sum_{};
  std::array<std::int64_t, 4> levels_{};
  std::int64_t total_ = 0;
};

}  // namespace anjian::risk
