#pragma once
// The readings batch of the HTTP and MQTT doors (the public contract):
//   {"readings": [{"point": "T101-LT", "ts": 1764380000000, "value": 15.7, "quality": "good"}, …]}
// or one reading on its own, {"point": …, "ts": …, "value": …} (an MQTT message may carry either).
//
// Pure and fast: simdjson validates the whole text first (so a broken batch is refused before any
// reading is taken) and builds its tape without an allocation per value; the ingestion path's
// budget is a few hundred nanoseconds a reading. (Its DOM API, not On-Demand: the DOM picks the
// CPU's best kernel at run time, On-Demand only the one the compiler flags allow.) A reading that is wrong is
// rejected with its index and reason and the others are kept; a batch that is not JSON or not of
// this shape is refused whole.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "modules/monitoring/alarm_rules.h"

namespace anjian::monitoring {

struct Reading {
  std::string point;
  Millis ts = 0;
  double value = 0;
  Quality quality = Quality::good;
  size_t index = 0;  // its place in the batch, for the report
  std::optional<unsigned> reported;  // a coal-mine system's state bits (CDSS), when the door carries them
};

struct Rejected {
  size_t index = 0;
  std::string code, message;
};

struct ReadingBatch {
  std::vector<Reading> readings;
  std::vector<Rejected> rejected;
};

inline constexpr size_t kMaxBatch = 10'000;

// Errors (nothing taken): invalid_json, invalid_field (not a batch), unknown_field (at the top),
// too_large (over kMaxBatch readings). Per reading: invalid_reading, invalid_field, not_a_number,
// invalid_timestamp.
Result<ReadingBatch> parse_readings(std::string_view text);

}  // namespace anjian::monitoring
