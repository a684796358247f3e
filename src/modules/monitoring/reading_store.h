#pragma once
// Where readings live after the pipeline: the append-only log (no index per reading), compacted
// by a background job into compressed per-point chunks and 1-minute rollups, kept for the
// retention the settings say; and the series queries over all three.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "db/database.h"
#include "modules/monitoring/chunk_format.h"

namespace anjian::monitoring {

struct ReadingSettings {
  Millis chunk_ms = 10 * 60'000;        // one chunk per point per 10 minutes
  Millis settle_ms = 2 * 60'000;        // a window is compacted 2 minutes after it ends (late readings)
  Millis raw_retention_ms = 180LL * 86'400'000;     // chunks: 180 days (hazchem ≥ 30 days, coal ≥ 3 months)
  Millis rollup_retention_ms = 3LL * 365 * 86'400'000;  // rollups: 3 years (coal statistics ≥ 2 years)
  // The rollups of the points of major hazard sources also travel to the parent node (the plan's
  // "at most 1-minute rollups"; readings never do). Off: only alarms go up.
  bool share_rollups = false;
};

struct CompactionReport {
  size_t readings = 0, chunks = 0, rollups = 0, chunk_bytes = 0;
};

struct Rollup {
  Millis minute = 0;  // the start of the bucket
  std::int64_t count = 0;
  double min = 0, max = 0, sum = 0, last = 0;
  Millis last_ts = 0;
};

// Calls fn(point_id, sample) for every logged (not yet compacted) reading with ts in [from, to].
// The log is small (compaction empties it every few minutes): this reads it whole for the span.
// Errors: invalid_log, storage errors.
Status scan_log(db::Connection& c, Millis from, Millis to,
                const std::function<void(const std::string& point_id, const Sample& s)>& fn);

class ReadingStore {
 public:
  ReadingStore(db::Database& db, ReadingSettings settings) : db_(db), settings_(settings) {}
  const ReadingSettings& settings() const { return settings_; }

  // Moves every logged reading of a window that ended settle_ms ago into chunks and rollups, in
  // one transaction (a crash leaves either the log rows or the chunks, never both, never neither).
  Result<CompactionReport> compact(Millis now);
  // Deletes chunks and rollups older than their retention. Returns rows deleted.
  Result<size_t> apply_retention(Millis now);

  // How many readings of a point storage holds (log and chunks), and how many distinct times.
  Result<std::pair<size_t, size_t>> stored_count(const std::string& point_id);
  // Raw readings of a point in [from, to], from chunks and the log, sorted, one per timestamp.
  // Errors: too_large (more than `limit`).
  Result<std::vector<Sample>> raw(const std::string& point_id, Millis from, Millis to, size_t limit);
  // Rollups of a point in [from, to] in buckets of step_ms (a multiple of a minute), the
  // uncompacted part computed from the log.
  Result<std::vector<Rollup>> rollups(const std::string& point_id, Millis from, Millis to, Millis step_ms);

 private:
  db::Database& db_;
  ReadingSettings settings_;
};

}  // namespace anjian::monitoring
