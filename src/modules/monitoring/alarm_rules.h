#pragma once
// The alarm rules of online monitoring (DOMAIN.md §8), as pure functions over a point's
// configuration and state: threshold levels with deadband (hysteresis) and delay, rate of change,
// communication interruption, sensor faults (bad quality, out of physical range, stuck value) and
// the coal-mine methane power-off (断电) with its restore value (复电).
//
// No I/O: the ingestion pipeline keeps one PointState per point in memory, feeds each reading to
// evaluate() in timestamp order, and stores and pushes the changes it returns.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace anjian::monitoring {

enum class AlarmType { threshold, rate, offline, fault, power_off };
enum class Level { none, low_low, low, high, high_high };  // threshold levels; other types use none
enum class Quality { good, uncertain, bad };

std::string_view to_string(AlarmType t);
std::string_view to_string(Level l);

struct PointConfig {
  std::optional<double> high, high_high, low, low_low;  // threshold levels
  double deadband = 0;         // a level is left only when the value is back past it by this much
  Millis delay_ms = 0;         // a condition must hold this long before its alarm is raised
  Millis period_ms = 10'000;   // sampling period
  int offline_periods = 3;     // no reading for this many periods → offline (anjian default)
  std::optional<double> range_min, range_max;  // physical range: outside is a fault
  Millis stuck_ms = 0;         // the same value for this long → fault (0: off)
  std::optional<double> rate_per_min;          // |Δvalue| per minute above this → rate alarm
  // Coal-mine methane: 断电 at or above power_off, 复电 below restore (煤矿安全规程 第498条).
  std::optional<double> power_off, restore;
};

// What changed: an alarm raised, or recovered (its condition ended), or moved to another level.
struct AlarmChange {
  enum class Kind { raised, recovered, level_changed };
  Kind kind;
  AlarmType type;
  Level level = Level::none;
  std::string reason;  // for faults: "bad_quality", "out_of_range", "stuck"
  double value = 0;
  Millis at = 0;
  bool operator==(const AlarmChange&) const = default;
};

// The state of one point between readings. Value-initialised for a point never seen.
struct PointState {
  bool seen = false;
  Millis last_ts = 0;
  double last_value = 0;
  Level level = Level::none;            // the raised threshold level
  Level pending = Level::none;          // a level waiting out its delay
  Millis pending_since = 0;
  bool rate_active = false, offline = false, power_off = false;
  std::string fault;                    // the raised fault's reason, empty when none
  Millis same_value_since = 0;
};

// Applies one reading. Readings at or before the last one seen change nothing (duplicates and late
// arrivals are stored but do not move the state backwards).
std::vector<AlarmChange> evaluate(const PointConfig& config, PointState& state, Millis ts, double value,
                                  Quality quality = Quality::good);

// Checked periodically: raises `offline` once no reading came for offline_periods × period_ms.
std::optional<AlarmChange> check_offline(const PointConfig& config, PointState& state, Millis now);

// The threshold level of a value, ignoring hysteresis and delay.
Level level_of(const PointConfig& config, double value);

}  // namespace anjian::monitoring
