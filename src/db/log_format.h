#pragma once
// The readings log as it is written at each group commit: one row per group holding the group's
// readings packed — the points named once, then for each reading its point's index, its time as a
// delta and its value's 8 bytes. One database row and a few bytes per reading instead of a row
// (and a B-tree cell) per reading: what lets a group commit cost little more than its fsync.
//
// A bulk writer's format, so it lives with storage (and migrations can use it); pure, fuzzed.
// decode() never trusts its input (rows can be edited by whoever holds the database).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace anjian::db {

using Millis = std::int64_t;

struct LoggedSample {
  Millis ts = 0;
  double value = 0;
  int quality = 0;
};

struct LogRow {
  const std::string* point_id;
  Millis ts;
  double value;
  int quality;
};

struct LogBatch {
  std::vector<std::string> points;  // the batch's dictionary
  struct Entry {
    std::uint32_t point;  // index into points
    LoggedSample sample;
  };
  std::vector<Entry> entries;
};

// REQUIRES: at most kMaxLogBatch rows.
std::string encode_log_batch(const std::vector<LogRow>& rows);
// Errors: invalid_log.
Result<LogBatch> decode_log_batch(std::string_view bytes);

inline constexpr size_t kMaxLogBatch = 10'000'000;

}  // namespace anjian::db
