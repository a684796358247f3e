#pragma once
// A monitoring point (测点 / sensor) of an enterprise: what it measures and when it alarms.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "modules/monitoring/alarm_rules.h"

namespace anjian::monitoring {

struct Point {
  std::string id, enterprise_uscc, code, name, indicator, unit;
  std::optional<std::string> hazard_source_id;
  std::optional<double> range_min, range_max;
  std::int64_t period_s = 10;
  std::optional<double> high, high_high, low, low_low, power_off, restore;
  double deadband = 0;
  std::int64_t delay_s = 0;
  std::optional<double> rate_per_min;  // |Δvalue| per minute above this → rate alarm
  std::int64_t stuck_s = 0;            // the same value this long → fault "stuck" (0: off)
  std::int64_t offline_periods = 3;    // no reading for this many periods → offline
  bool active = true;
  std::int64_t version = 0;
  Millis created_at = 0, updated_at = 0;
};

// tank_level | temperature | pressure | flow | combustible_gas | toxic_gas | methane |
// carbon_monoxide | wind_speed | oxygen | dust | switch
const std::vector<std::string_view>& indicators();

// Validates the API's JSON onto a point (creating: enterprise_uscc, code, name, indicator required).
// Errors: invalid_field, unknown_field.
Status apply_point_fields(Point& p, const boost::json::object& fields, bool creating);
boost::json::object to_json(const Point& p);
// The alarm rules' view of the point.
PointConfig config_of(const Point& p);

}  // namespace anjian::monitoring
