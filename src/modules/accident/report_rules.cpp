#include "modules/accident/report_rules.h"

#include <algorithm>
#include <map>

namespace anjian::accident {

std::string_view to_string(Level l) {
  switch (l) {
    case Level::county: return "county";
    case Level::city: return "city";
    case Level::province: return "province";
    case Level::nation: return "nation";
  }
  return "county";
}

std::string_view level_label(Level l) {
  switch (l) {
    case Level::county: return "县级";
    case Level::city: return "市级";
    case Level::province: return "省级";
    case Level::nation: return "国家";
  }
  return "县级";
}

bool parse_level(std::string_view s, Level& out) {
  for (Level l : {Level::county, Level::city, Level::province, Level::nation})
    if (s == to_string(l)) return out = l, true;
  return false;
}

Grade reporting_grade(const Grading& g) {
  return g.larger_endangerment && g.grade < Grade::larger ? Grade::larger : g.grade;
}

Level top_level(Grade reporting) {
  switch (reporting) {
    case Grade::general: return Level::city;
    case Grade::larger: return Level::province;
    default: return Level::nation;
  }
}

Millis hop_due(Level level, bool first, Grade reporting, Millis occurred_at, std::optional<Millis> below) {
  if (first || !below) return occurred_at + kFirstHopMs;
  Millis due = *below + kHopMs;
  if (level == Level::province && reporting >= Grade::larger) due = std::min(due, occurred_at + kProvinceDirectMs);
  return due;
}

bool hop_late(Millis due_at, std::optional<Millis> received_at, Millis now) { return received_at ? *received_at > due_at : now > due_at; }

int supplement_days(bool fire_or_road_traffic) { return fire_or_road_traffic ? 7 : 30; }

bool supplement_open(std::int64_t accident_day, std::int64_t day, bool fire_or_road_traffic) {
  return day >= accident_day && day - accident_day <= supplement_days(fire_or_road_traffic);
}

int follow_ups_per_day(Grade reporting) { return reporting >= Grade::major ? 2 : 1; }

std::vector<std::int64_t> missed_follow_up_days(Grade reporting, std::int64_t accident_day, std::optional<std::int64_t> stable_day,
                                                std::int64_t today, const std::vector<std::int64_t>& follow_up_days) {
  std::map<std::int64_t, int> per_day;
  for (auto d : follow_up_days) ++per_day[d];
  // A day is judged once it is over; the day it became stable no longer needs one.
  const std::int64_t last = std::min(today, stable_day.value_or(today)) - 1;
  std::vector<std::int64_t> missed;
  for (std::int64_t d = accident_day + 1; d <= last; ++d)
    if (per_day[d] < follow_ups_per_day(reporting)) missed.push_back(d);
  return missed;
}

Level investigation_level(Grade g) {
  switch (g) {
    case Grade::extraordinary: return Level::nation;
    case Grade::major: return Level::province;
    case Grade::larger: return Level::city;
    default: return Level::county;
  }
}

int reply_days(Grade g) { return g == Grade::extraordinary ? 30 : 15; }
int max_reply_extension_days(Grade g) { return g == Grade::extraordinary ? 30 : 0; }

}  // namespace anjian::accident
