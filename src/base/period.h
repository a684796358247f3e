#pragma once
// A statistics period of whole months, as the yearly, quarterly and monthly reports count them, in
// Asia/Shanghai time; with the period before it (环比) and the same one a year earlier (同比).
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"

namespace anjian {

// Months [from, to] (YYYYMM); from == 0: every month.
struct Period {
  int from = 0, to = 0;
  std::string label;  // 2026年第3季度, 2026年, 2026年7月, 全部
  Millis start() const;
  Millis end() const;  // exclusive
  // As many months just before (环比); the same months a year before (同比). REQUIRES: from != 0.
  Period previous() const;
  Period year_before() const;
};
// "2026", "2026Q3", "2026-07" or empty (every month). Errors: invalid_field (field "period").
Result<Period> parse_period(std::string_view text);
// The label of months [from, to]: 2026年, 2026年第3季度, 2026年7月, or 2026年2月至2026年4月.
std::string period_label(int from, int to);

}  // namespace anjian
