#pragma once
// A monitoring point (测点 / sensor) of an enterprise: what it measures and when it alarms.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "modules/monitoring/alarm_rules.h"
#include "modules/monitoring/gas_rules.h"

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
  // Coal-mine methane: the place of 第四百九十八条 it is set for; a toxic-gas point: the gas it
  // measures (as the OEL table names it); a methane point: the code of the 馈电 point that shows
  // whether the power it cuts is really off.
  std::string place, gas, feed_point;
  std::vector<gas::Finding> findings;  // its settings against the rules, when written
  std::int64_t version = 0;
  Millis created_at = 0, updated_at = 0;
};

// tank_level | temperature | pressure | flow | combustible_gas | toxic_gas | methane |
// carbon_monoxide | wind_speed | oxygen | dust | switch | feed (馈电: 1 power on, 0 off)
const std::vector<std::string_view>& indicators();

// What a setting looser than a mandatory rule does: refused (the API), or kept with its finding
// (a mine's own CDDY file defines the point; the regulator sees the finding).
enum class Looser { refuse, record };

// Validates the API's JSON onto a point (creating: enterprise_uscc, code, name, indicator required)
// and judges its settings (p.findings). A methane point names its place, or it is recognised in
// its name. Errors: invalid_field, unknown_field; a refusing finding under Looser::refuse.
Status apply_point_fields(Point& p, const boost::json::object& fields, bool creating, Looser looser = Looser::refuse);
std::string findings_text(const std::vector<gas::Finding>& f);  // as stored
std::vector<gas::Finding> findings_from(std::string_view text);
boost::json::object to_json(const Point& p);
// The alarm rules' view of the point.
PointConfig config_of(const Point& p);

}  // namespace anjian::monitoring
