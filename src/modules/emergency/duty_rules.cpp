#include "modules/emergency/duty_rules.h"

namespace anjian::emergency {

std::optional<int> minutes_of(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

Millis beijing(std::int64_t day, int minutes) { return day * 86'400'000 + static_cast<Millis>(minutes) * 60'000 - 8 * 3'600'000; }

std::vector<PlannedShift> rotate(std::int64_t first_day, int days, const std::vector<ShiftPattern>& patterns,
                                 const std::vector<std::string>& officers, const std::vector<std::string>& leaders) {
  std::vector<PlannedShift> out;
  size_t officer = 0;
  for (int d = 0; d < days; ++d) {
    const std::int64_t day = first_day + d;
    for (const auto& p : patterns) {
      PlannedShift s;
      s.day = day;
      s.name = p.name;
      s.starts_at = beijing(day, p.start_min);
      s.ends_at = beijing(p.end_min > p.start_min ? day : day + 1, p.end_min);
      s.officer = officers[officer++ % officers.size()];
      s.leader = leaders[static_cast<size_t>(d) % leaders.size()];
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace anjian::emergency
