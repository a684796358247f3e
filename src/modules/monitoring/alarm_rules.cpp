#include "modules/monitoring/alarm_rules.h"

#include <algorithm>
#include <cmath>

namespace anjian::monitoring {

std::string_view to_string(AlarmType t) {
  switch (t) {
    case AlarmType::threshold: return "threshold";
    case AlarmType::rate: return "rate";
    case AlarmType::offline: return "offline";
    case AlarmType::fault: return "fault";
    case AlarmType::power_off: return "power_off";
    case AlarmType::no_power_off: return "no_power_off";
    case AlarmType::reported_alarm: return "reported_alarm";
    case AlarmType::reported_power_off: return "reported_power_off";
    case AlarmType::feed_abnormal: return "feed_abnormal";
    case AlarmType::network_down: return "network_down";
  }
  return "threshold";
}

std::optional<AlarmType> alarm_type_named(std::string_view name) {
  for (AlarmType t : kAlarmTypes)
    if (to_string(t) == name) return t;
  return std::nullopt;
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

bool beyond(Level level, double value, double than) {
  return level == Level::low || level == Level::low_low ? value < than : value > than;
}

namespace {
bool high_side(Level l) { return l == Level::high || l == Level::high_high; }

// The level a value holds while `current` is raised: it stays until the value is back past the
// level's limit by the deadband, so a value hovering at the limit does not chatter.
Level with_hysteresis(const PointConfig& c, Level current, double v) {
  Level raw = level_of(c, v);
  if (current == Level::none || raw == current) return raw;
  const bool high = high_side(current);
  if (high && (raw == Level::none || raw == Level::high)) {
    // Falling from high_high: stays until below high_high − deadband; from high: below high − deadband.
    const double limit = current == Level::high_high ? *c.high_high : *c.high;
    if (v > limit - c.deadband) return current;
  }
  if (!high && (raw == Level::none || raw == Level::low)) {
    const double limit = current == Level::low_low ? *c.low_low : *c.low;
    if (v < limit + c.deadband) return current;
  }
  return raw;
}

AlarmChange change(AlarmChange::Kind k, AlarmType t, Level l, double v, Millis at, std::string reason = {}) {
  return AlarmChange{k, t, l, std::move(reason), v, at};
}

bool above_range(const PointConfig& c, double v) { return c.range_max && v > *c.range_max; }
}  // namespace

std::vector<AlarmChange> evaluate(const PointConfig& c, PointState& s, Millis ts, double value, Quality quality) {
  return evaluate(c, s, Input{ts, value, quality, std::nullopt, std::nullopt}, ts);
}

std::vector<AlarmChange> evaluate(const PointConfig& c, PointState& s, const Input& in, Millis arrived) {
  std::vector<AlarmChange> out;
  using K = AlarmChange::Kind;
  const Millis ts = in.ts;
  const double value = in.value;
  if (s.seen && ts <= s.last_ts) return out;
  const bool first = !s.seen;
  const Millis prev_ts = s.last_ts;
  const double prev_value = s.last_value;
  s.seen = true;
  s.last_ts = ts;
  s.last_arrival = std::max(s.last_arrival, arrived);

  // A reading came: the point communicates again, whatever its value.
  if (s.offline) {
    s.offline = false;
    out.push_back(change(K::recovered, AlarmType::offline, Level::none, value, ts));
  }

  // 标校: calibration gas on the sensor. Stored and marked; it raises, recovers and moves nothing.
  const unsigned bits = in.reported.value_or(0);
  if (in.quality == Quality::calibration || (bits & coal_state::calibration)) return out;

  // The coal-mine system's own 报警, 断电 and 馈电异常: each raised and recovered by its bit.
  if (in.reported) {
    for (auto [bit, type] : {std::pair{coal_state::alarm, AlarmType::reported_alarm},
                             std::pair{coal_state::power_off, AlarmType::reported_power_off},
                             std::pair{coal_state::feed_abnormal, AlarmType::feed_abnormal}}) {
      const bool on = bits & bit, was = s.reported & bit;
      if (on == was) continue;
      out.push_back(change(on ? K::raised : K::recovered, type, Level::none, value, ts));
      s.reported ^= bit;
    }
  }

  // Faults come first: a bad value decides nothing else — except that a methane reading above
  // the sensor's range is at or above its power-off value (the gas is there, past what it measures).
  std::string fault;
  if (bits & coal_state::disconnected) fault = "disconnected";
  else if (bits & coal_state::fault) fault = "reported_fault";
  else if (in.quality == Quality::bad || !std::isfinite(value)) fault = "bad_quality";
  else if ((c.range_min && value < *c.range_min) || above_range(c, value)) fault = "out_of_range";
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

  // Coal-mine methane: 断电 at power_off, 复电 only below restore; and 超限未断电 when the system's
  // record says the power was not cut (no 断电 bit, and the linked 馈电 point, if any, shows power on).
  auto power = [&](bool at_or_above) {
    if (!c.power_off) return;
    const double restore = c.restore.value_or(*c.power_off);
    if (!s.power_off && at_or_above) {
      s.power_off = true;
      out.push_back(change(K::raised, AlarmType::power_off, Level::none, value, ts));
    } else if (s.power_off && !at_or_above && value < restore) {
      s.power_off = false;
      out.push_back(change(K::recovered, AlarmType::power_off, Level::none, value, ts));
    }
    // Judged only on records that carry the system's bits; but it ends with the power-off condition.
    if (in.reported || (s.no_power_off && !s.power_off)) {
      const bool cut = (bits & coal_state::power_off) || (in.feed_powered && !*in.feed_powered);
      const bool missed = s.power_off && !cut;
      if (missed != s.no_power_off) {
        out.push_back(change(missed ? K::raised : K::recovered, AlarmType::no_power_off, Level::none, value, ts));
        s.no_power_off = missed;
      }
    }
  };
  if (!fault.empty() && fault != "stuck") {
    if (fault == "out_of_range" && above_range(c, value)) power(true);
    return out;
  }

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

  // Power-off on the reading itself, never delayed.
  power(c.power_off && value >= *c.power_off);
  return out;
}

std::optional<AlarmChange> check_offline(const PointConfig& c, PointState& s, Millis now) {
  if (s.offline || (!s.seen && s.last_arrival == 0)) return std::nullopt;
  if (now - s.last_arrival < static_cast<Millis>(c.offline_periods) * c.period_ms) return std::nullopt;
  s.offline = true;
  return AlarmChange{AlarmChange::Kind::raised, AlarmType::offline, Level::none, {}, s.last_value, now};
}

std::vector<Excursion> excursions(const PointConfig& c, const std::vector<Input>& late) {
  std::vector<Excursion> out;
  std::optional<Excursion> th, po;
  auto worse = [](Level a, Level b) { return (a == Level::high_high || a == Level::low_low) && b != a; };
  for (const Input& in : late) {
    const unsigned bits = in.reported.value_or(0);
    if (in.quality == Quality::calibration || (bits & coal_state::calibration)) continue;
    const bool over = above_range(c, in.value);
    const bool bad = in.quality == Quality::bad || !std::isfinite(in.value) || (bits & (coal_state::fault | coal_state::disconnected));
    if (bad && !over) continue;
    if (!bad) {
      const Level l = level_of(c, in.value);
      if (th && (l == Level::none || high_side(l) != high_side(th->level))) {
        th->to = in.ts;
        out.push_back(*th);
        th.reset();
      }
      if (th) {
        if (worse(l, th->level)) th->level = l;
        if (beyond(th->level, in.value, th->peak)) {
          th->peak = in.value;
          th->peak_at = in.ts;
        }
      } else if (l != Level::none) {
        th = Excursion{AlarmType::threshold, l, in.ts, in.ts, in.value, in.ts};
      }
    }
    if (c.power_off) {
      const bool above = over || in.value >= *c.power_off;
      if (po && !above && in.value < c.restore.value_or(*c.power_off)) {
        po->to = in.ts;
        out.push_back(*po);
        po.reset();
      } else if (po && in.value > po->peak) {
        po->peak = in.value;
        po->peak_at = in.ts;
      } else if (!po && above) {
        po = Excursion{AlarmType::power_off, Level::none, in.ts, in.ts, in.value, in.ts};
      }
    }
  }
  const Millis end = late.empty() ? 0 : late.back().ts;
  for (auto* open : {&th, &po})
    if (*open) {
      (*open)->to = end;
      out.push_back(**open);
    }
  std::sort(out.begin(), out.end(), [](const Excursion& a, const Excursion& b) { return a.from < b.from; });
  return out;
}

}  // namespace anjian::monitoring
