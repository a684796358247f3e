#pragma once
// A month of duty shifts (值班表) from a rotation: the shifts of a day (白班 08:30–17:30, 夜班
// 17:30–08:30 next morning …), the officers taking them in turn, shift after shift, and the leaders
// on duty (带班领导) in turn, day after day. Times are Beijing time.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace anjian::emergency {

struct ShiftPattern {
  std::string name;
  int start_min = 0, end_min = 0;  // minutes after midnight; an end not after the start is the next day
};

struct PlannedShift {
  std::int64_t day = 0;  // days since the epoch
  std::string name;
  Millis starts_at = 0, ends_at = 0;
  std::string officer, leader;
};

// "08:30" → 510; none when not a time of day.
std::optional<int> minutes_of(std::string_view hhmm);
// The instant of a Beijing time of day on `day`.
Millis beijing(std::int64_t day, int minutes);
// Every shift of `days` days from `first_day`. REQUIRES: patterns, officers and leaders not empty.
std::vector<PlannedShift> rotate(std::int64_t first_day, int days, const std::vector<ShiftPattern>& patterns,
                                 const std::vector<std::string>& officers, const std::vector<std::string>& leaders);

}  // namespace anjian::emergency
