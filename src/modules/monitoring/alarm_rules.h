#pragma once
// The alarm rules of online monitoring (DOMAIN.md §8), as pure functions over a point's
// configuration and state: threshold levels with deadband (hysteresis) and delay, rate of change,
// communication interruption judged on arrival time, sensor faults (bad quality, out of physical
// range, stuck value), the coal-mine methane power-off (断电) with its restore value (复电), and
// the coal-mine system's own states (CDSS bits): 报警, 断电 and 馈电异常 as alarms of their own,
// 超限未断电 when a reading at or above the power-off value is not cut, 标校 never alarmed.
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

// no_power_off: 超限未断电; reported_*: the coal-mine system's own bits; network_down: a whole
// mine, gateway or enterprise connection silent at once (one alarm, not one per point).
enum class AlarmType {
  threshold, rate, offline, fault, power_off,
  no_power_off, reported_alarm, reported_power_off, feed_abnormal, network_down
};
inline constexpr AlarmType kAlarmTypes[] = {AlarmType::threshold,      AlarmType::rate,          AlarmType::offline,
                                            AlarmType::fault,          AlarmType::power_off,     AlarmType::no_power_off,
                                            AlarmType::reported_alarm, AlarmType::reported_power_off,
                                            AlarmType::feed_abnormal,  AlarmType::network_down};
enum class Level { none, low_low, low, high, high_high };  // threshold levels; other types use none
// calibration: 标校 — stored and marked, never alarmed (stored as 3).
enum class Quality { good, uncertain, bad, calibration };

std::string_view to_string(AlarmType t);
std::optional<AlarmType> alarm_type_named(std::string_view name);
std::string_view to_string(Level l);

// The state bits of a coal-mine system's reading (CDSS, DOMAIN.md §8a).
namespace coal_state {
inline constexpr unsigned alarm = 1, power_off = 2, feed_abnormal = 4, fault = 8, calibration = 16, disconnected = 32;
}

struct PointConfig {
  std::optional<double> high, high_high, low, low_low;  // threshold levels
  double deadband = 0;         // a level is left only when the value is back past it by this much
  Millis delay_ms = 0;         // a condition must hold this long before its alarm is raised
  Millis period_ms = 10'000;   // sampling period
  int offline_periods = 3;     // no reading arrived for this many periods → offline (anjian default)
  std::optional<double> range_min, range_max;  // physical range: outside is a fault
  Millis stuck_ms = 0;         // the same value for this long → fault (0: off)
  std::optional<double> rate_per_min;          // |Δvalue| per minute above this → rate alarm
  // Coal-mine methane: 断电 at or above power_off, 复电 only below restore (煤矿安全规程 第四百九十八条).
  // A reading above the sensor's range counts as at or above power_off.
  std::optional<double> power_off, restore;
};

// One reading as the rules see it.
struct Input {
  Millis ts = 0;
  double value = 0;
  Quality quality = Quality::good;
  std::optional<unsigned> reported;   // the coal-mine system's state bits, when the door carries them
  std::optional<bool> feed_powered;   // the linked 馈电 point's latest reading (true: power still on)
};

// What changed: an alarm raised, or recovered (its condition ended), or moved to another level.
struct AlarmChange {
  enum class Kind { raised, recovered, level_changed };
  Kind kind;
  AlarmType type;
  Level level = Level::none;
  // for faults: bad_quality | out_of_range | stuck | reported_fault (bit 8) | disconnected (bit 32)
  std::string reason;
  double value = 0;
  Millis at = 0;
  bool operator==(const AlarmChange&) const = default;
};

// The state of one point between readings. Value-initialised for a point never seen.
struct PointState {
  bool seen = false;
  Millis last_ts = 0;                   // the device's time of the newest reading
  Millis last_arrival = 0;              // the server's clock when a newest reading came in (or watching began)
  double last_value = 0;
  Level level = Level::none;            // the raised threshold level
  Level pending = Level::none;          // a level waiting out its delay
  Millis pending_since = 0;
  bool rate_active = false, offline = false, power_off = false, no_power_off = false;
  unsigned reported = 0;                // the coal-mine bits raised as alarms (alarm, power_off, feed_abnormal)
  std::string fault;                    // the raised fault's reason, empty when none
  Millis same_value_since = 0;
};

// Applies one reading arrived at `arrived` (the server's clock). Readings at or before the last
// one seen change nothing (duplicates and late arrivals are stored but do not move the state
// backwards; the pipeline checks late ones with excursions()).
std::vector<AlarmChange> evaluate(const PointConfig& config, PointState& state, const Input& in, Millis arrived);
// Shorthand for a reading without coal-mine states, arrived at its own timestamp.
std::vector<AlarmChange> evaluate(const PointConfig& config, PointState& state, Millis ts, double value,
                                  Quality quality = Quality::good);

// Checked periodically: raises `offline` once no reading arrived for offline_periods × period_ms
// since the last one (or since watching began, for a point never seen: state.last_arrival).
std::optional<AlarmChange> check_offline(const PointConfig& config, PointState& state, Millis now);

// The threshold level of a value, ignoring hysteresis and delay.
Level level_of(const PointConfig& config, double value);

// Late (补传) readings of one point, in time order: the 超限 they show (threshold levels and
// power-off, without delay or hysteresis), each as [from, to) — `to` is the first reading back
// within limits, or the last reading's time when the excursion runs to the end of them.
struct Excursion {
  AlarmType type;
  Level level = Level::none;  // the worst level reached (threshold)
  Millis from = 0, to = 0;
  double peak = 0;            // the value furthest past the limit
  Millis peak_at = 0;
};
std::vector<Excursion> excursions(const PointConfig& config, const std::vector<Input>& late);

// Whether a value is further past its alarm than `than` (higher for high-side alarms, lower for
// low ones): how an alarm's peak is kept.
bool beyond(Level level, double value, double than);

}  // namespace anjian::monitoring
