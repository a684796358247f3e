#pragma once
// 公开 of 双随机 results (DOMAIN.md §7): within 20 working days of the inspection's conclusion, by
// the working-day calendar (calendar_rules.h, 调休 included). Pure.
#include <cstdint>
#include <string_view>

namespace anjian::enforcement {

inline constexpr int kPublishWithinWorkingDays = 20;
// Flagged "due soon" when this many working days or fewer are left.
inline constexpr int kPublishWarnWorkingDays = 5;

struct PublicationDue {
  std::int64_t deadline = 0;  // the last day to publish (days since the epoch)
  int working_days_left = 0;  // negative when past
  std::string_view flag;      // ok | due_soon | overdue
};

// For an inspection concluded on `concluded` (a day), seen on `today`.
PublicationDue publication_due(std::int64_t concluded, std::int64_t today);

}  // namespace anjian::enforcement
