#include "modules/monitoring/alarm_rules.h"

#include <cmath>

namespace anjian::monitoring {

std::string_view to_string(AlarmType t) {
  switch (t) {
    case AlarmType::threshold: return "threshold";
    case AlarmType::rate: return "rate";
    case AlarmType::offline: return "offline";
    case AlarmType::fault: return "fault";
    case AlarmType::power_off: return "power_off";
  }
  return "threshold";
}

std::string_view to_string(Level l) {
  switch (l) {
    case Level::none: return "none";
    case Level::low_low: return "low_low";
    case Level::low: return "low";
    case Level::high: return "high";
    case Level::high_high: return "high_high";
  }
  return "none";
}

Level level_of(const PointConfig& c, double v) {
  if (c.high_high && v >= *c.high_high) return Level::high_high;
  if (c.high && v >= *c.high) return Level::high;
  if (c.low_low && v <= *c.low_low) return Level::low_low;
  if (c.low && v <= *c.low) return Level::low;
  return Level::none;
}

namespace {
// The level a value holds while `current` is raised: it stays until the value is back past the
// level's limit by the deadband, so a value hovering at the limit does not chatter.
Level with_hysteresis(const PointConfig& c, Level current, double v) {
  Level raw = level_of(c, v);
  if (current == Level::none || raw == current) return raw;
  const bool high_side = current == Level::high || current == Level::high_high;
  if (high_side && (raw == Level::none || raw == Level::high)) {
    // Falling from high_high: stays until below high_high − deadband; from high: below high − deadband.
    const double limit = current == Level::high_high ? *c.high_high : *c.high;
    if (v > limit - c.deadband) return current;
  }
  if (!high_side && (raw == Level::none || raw == Level::low)) {
    const double limit = current == Level::low_low ? *c.low_low : *c.low;
    if (v < limit + c.deadband) return current;
  }
  return raw;
}

AlarmChange change(AlarmChange::Kind k, AlarmType t, Level l, double v, Millis at, std::string reason = {}) {
  return AlarmChange{k, t, l, std::move(reason), v, at};
}
}  // namespace

std::vector<AlarmChange> evaluate(const PointConfig& c, PointState& s, Millis ts, double value, Quality quality) {
  std::vector<AlarmChange> out;
  using K = AlarmChange::Kind;
  if (s.seen && ts <= s.last_ts) return out;
  const bool first = !s.seen;
  const Millis prev_ts = s.last_ts;
  const double prev_value = s.last_value;
  s.seen = true;
  s.last_ts = ts;

  if (s.offline) {
    s.offline = false;
    out.push_back(change(K::recovered, AlarmType::offline, Level::none, value, ts));
  }

  // Faults come first: a bad value decides nothing else.
  std::string fault;
  if (quality == Quality::bad || !std::isfinite(value)) fault = "bad_quality";
  else if ((c.range_min && value < *c.range_min) || (c.range_max && value > *c.range_max)) fault = "out_of_range";
  if (fault.empty() && c.stuck_ms > 0) {
    if (first || value != prev_value) s.same_value_since = ts;
    else if (ts - s.same_value_since >= c.stuck_ms) fault = "stuck";
  } else if (first || value != prev_value) {
    s.same_value_since = ts;
  }
  s.last_value = value;
  if (fault != s.fault) {
    if (!s.fault.empty()) out.push_back(change(K::recovered, AlarmType::fault, Level::none, value, ts, s.fault));
    if (!fault.empty()) out.push_back(change(K::raised, AlarmType::fault, Level::none, value, ts, fault));
    s.fault = fault;
  }
  if (fault == "bad_quality" || fault == "out_of_range") return out;

  // Threshold levels, with hysteresis and delay.
  const Level target = with_hysteresis(c, s.level, value);
  if (target == s.level) {
    s.pending = Level::none;
  } else {
    if (target != s.pending) {
      s.pending = target;
      s.pending_since = ts;
    }
    // Recovery (back to none) is immediate; a new level waits out the delay.
    if (target == Level::none || ts - s.pending_since >= c.delay_ms) {
      if (s.level == Level::none) out.push_back(change(K::raised, AlarmType::threshold, target, value, ts));
      else if (target == Level::none) out.push_back(change(K::recovered, AlarmType::threshold, s.level, value, ts));
      else out.push_back(change(K::level_changed, AlarmType::threshold, target, value, ts));
      s.level = target;
      s.pending = Level::none;
    }
  }

  // Rate of change against the previous reading.
  if (c.rate_per_min && !first && ts > prev_ts) {
    const double per_min = std::fabs(value - prev_value) / (static_cast<double>(ts - prev_ts) / 60000.0);
    const bool over = per_min > *c.rate_per_min;
    if (over != s.rate_active) {
      out.push_back(change(over ? K::raised : K::recovered, AlarmType::rate, Level::none, value, ts));
      s.rate_active = over;
    }
  }

  // Coal-mine methane: 断电 at power_off, 复电 only below restore.
  if (c.power_off) {
    const double restore = c.restore.value_or(*c.power_off);
    if (!s.power_off && value >= *c.power_off) {
      s.power_off = true;
      out.push_back(change(K::raised, AlarmType::power_off, Level::none, value, ts));
    } else if (s.power_off && value < restore) {
      s.power_off = false;
      out.push_back(change(K::recovered, AlarmType::power_off, Level::none, value, ts));
    }
  }
  return out;
}

std::optional<AlarmChange> check_offline(const PointConfig& c, PointState& s, Millis now) {
  if (!s.seen || s.offline) return std::nullopt;
  if (now - s.last_ts < static_cast<Millis>(c.offline_periods) * c.period_ms) return std::nullopt;
  s.offline = true;
  return AlarmChange{AlarmChange::Kind::raised, AlarmType::offline, Level::none, {}, s.last_value, now};
}

}  // namespace anjian::monitoring
