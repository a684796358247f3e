#include "modules/enforcement/calendar_rules.h"

#include <map>
#include <set>
#include <stdexcept>

#include "base/embedded_table.h"
#include "base/time.h"

namespace anjian::enforcement {

namespace {
struct Calendar {
  std::map<std::int64_t, std::pair<bool, std::string>> days;  // day → (a working day?, holiday name)
  std::set<int> years;
};

const Calendar& calendar() {
  static const Calendar c = [] {
    Calendar out;
    for (const auto& r : embedded::csv_rows("calendar/cn-holidays.csv", 4)) {
      const auto day = parse_date(r[0]);
      if (!day || (r[1] != "off" && r[1] != "work")) throw std::runtime_error("calendar/cn-holidays.csv: bad row " + r[0]);
      out.days[*day] = {r[1] == "work", r[2]};
      out.years.insert(std::stoi(r[0].substr(0, 4)));
    }
    return out;
  }();
  return c;
}

// 1970-01-01 was a Thursday: Monday is 0.
int weekday(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }
}  // namespace

bool working_day(std::int64_t day) {
  const auto& c = calendar();
  if (auto it = c.days.find(day); it != c.days.end()) return it->second.first;
  return weekday(day) < 5;
}

std::int64_t add_working_days(std::int64_t day, int n) {
  while (n > 0) {
    ++day;
    if (working_day(day)) --n;
  }
  return day;
}

int working_days_between(std::int64_t from, std::int64_t to) {
  int n = 0;
  for (std::int64_t d = from + 1; d <= to; ++d) n += working_day(d);
  return n;
}

bool calendar_covers(int year) { return calendar().years.count(year) > 0; }

std::string calendar_note(std::int64_t day) {
  const auto& c = calendar();
  auto it = c.days.find(day);
  if (it == c.days.end()) return "";
  return it->second.second + (it->second.first ? "调休上班" : "放假");
}

}  // namespace anjian::enforcement
