#include "modules/risk/region_rules.h"

#include <algorithm>
#include <cmath>

namespace anjian::risk {

void RegionHistogram::add(double score, RiskLevel level, int sign) {
  const auto bucket = static_cast<size_t>(std::clamp(std::floor(score), 0.0, 100.0));
  count_[bucket] += sign;
  sum_[bucket] += sign * score;
  levels_[static_cast<size_t>(level)] += sign;
  total_ += sign;
}

void RegionHistogram::merge(const RegionHistogram& other) {
  for (size_t i = 0; i < count_.size(); ++i) {
    count_[i] += other.count_[i];
    sum_[i] += other.sum_[i];
  }
  for (size_t i = 0; i < levels_.size(); ++i) levels_[i] += other.levels_[i];
  total_ += other.total_;
}

double RegionHistogram::score() const {
  if (total_ <= 0) return 0;
  const std::int64_t top = std::min(total_, std::max<std::int64_t>(10, (total_ * 20 + 99) / 100));
  std::int64_t taken = 0;
  double sum = 0;
  for (size_t i = count_.size(); i-- > 0 && taken < top;) {
    if (count_[i] <= 0) continue;
    const std::int64_t n = std::min(count_[i], top - taken);
    // A bucket taken in part contributes its mean per enterprise (within one point of exact).
    sum += n == count_[i] ? sum_[i] : sum_[i] / static_cast<double>(count_[i]) * static_cast<double>(n);
    taken += n;
  }
  return std::round(sum / static_cast<double>(taken) * 10) / 10;
}

}  // namespace anjian::risk
