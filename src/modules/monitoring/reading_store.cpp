#include "modules/monitoring/reading_store.h"

#include "db/log_format.h"
#include "exchange/outbox.h"
#include "modules/monitoring/alarm_rules.h"
#include "modules/monitoring/share.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

namespace anjian::monitoring {
using db::Value;

namespace {
constexpr Millis kMinute = 60'000;

Millis floor_to(Millis t, Millis step) { return t >= 0 ? t / step * step : (t - step + 1) / step * step; }

void sort_unique(std::vector<Sample>& s) {
  std::stable_sort(s.begin(), s.end(), [](const Sample& a, const Sample& b) { return a.ts < b.ts; });
  s.erase(std::unique(s.begin(), s.end(), [](const Sample& a, const Sample& b) { return a.ts == b.ts; }), s.end());
}

void add(Rollup& r, const Sample& s) {
  if (r.count == 0) {
    r.min = r.max = s.value;
  } else {
    r.min = std::min(r.min, s.value);
    r.max = std::max(r.max, s.value);
  }
  ++r.count;
  r.sum += s.value;
  if (s.ts >= r.last_ts) {
    r.last_ts = s.ts;
    r.last = s.value;
  }
}

void merge(Rollup& into, const Rollup& r) {
  if (r.count == 0) return;
  if (into.count == 0) {
    into = Rollup{into.minute, r.count, r.min, r.max, r.sum, r.last, r.last_ts};
    return;
  }
  into.count += r.count;
  into.min = std::min(into.min, r.min);
  into.max = std::max(into.max, r.max);
  into.sum += r.sum;
  if (r.last_ts >= into.last_ts) {
    into.last_ts = r.last_ts;
    into.last = r.last;
  }
}
}  // namespace

Status scan_log(db::Connection& c, Millis from, Millis to,
                const std::function<void(const std::string& point_id, const Sample& s)>& fn) {
  auto rows = c.query("SELECT data FROM readings_batches WHERE max_ts >= ? AND min_ts <= ?", {from, to});
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) {
    auto batch = db::decode_log_batch(row.str(0));
    if (!batch.ok()) return batch.take_error();
    for (const auto& e : batch->entries)
      if (e.sample.ts >= from && e.sample.ts <= to) fn(batch->points[e.point], Sample{e.sample.ts, e.sample.value, e.sample.quality});
  }
  return {};
}

Result<std::pair<size_t, size_t>> ReadingStore::stored_count(const std::string& point_id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Millis> times;
  ANJIAN_TRY(scan_log(**r, std::numeric_limits<Millis>::min(), std::numeric_limits<Millis>::max(),
                      [&](const std::string& p, const Sample& s) { if (p == point_id) times.push_back(s.ts); }));
  auto chunks = (*r)->query("SELECT data FROM reading_chunks WHERE point_id = ?", {point_id});
  if (!chunks.ok()) return chunks.take_error();
  for (const auto& row : *chunks) {
    auto samples = decode_chunk(row.str(0));
    if (!samples.ok()) return samples.take_error();
    for (const auto& x : *samples) times.push_back(x.ts);
  }
  const size_t all = times.size();
  std::sort(times.begin(), times.end());
  return std::make_pair(all, static_cast<size_t>(std::unique(times.begin(), times.end()) - times.begin()));
}

namespace {
// The rollups just written of the points of major hazard sources, noted for the parent node (a
// late reading merged into a minute notes it again: it travels with its new figures).
Status note_shared_rollups(db::Connection& c, const std::vector<std::pair<const std::string*, Millis>>& rolled) {
  std::vector<std::string> points;
  for (const auto& [point, minute] : rolled)
    if (points.empty() || points.back() != *point) points.push_back(*point);
  std::set<std::string> of_sources;
  constexpr size_t kChunk = 500;
  for (size_t i = 0; i < points.size(); i += kChunk) {
    std::vector<db::Value> ids(points.begin() + static_cast<std::ptrdiff_t>(i),
                               points.begin() + static_cast<std::ptrdiff_t>(std::min(points.size(), i + kChunk)));
    ANJIAN_ASSIGN(auto rows, c.query("SELECT id FROM monitoring_points WHERE hazard_source_id IS NOT NULL AND id IN (" +
                                         db::placeholders(ids.size()) + ")",
                                     ids));
    for (const auto& r : rows) of_sources.insert(r.str(0));
  }
  std::vector<std::string> ids;
  for (const auto& [point, minute] : rolled)
    if (of_sources.count(*point)) ids.push_back(rollup_record_id(*point, minute));
  return exchange::note_outbox(c, exchange::Lane::bulk, std::string(kRollupType), ids);
}
}  // namespace

Result<CompactionReport> ReadingStore::compact(Millis now) {
  const Millis cutoff = floor_to(now - settings_.settle_ms, settings_.chunk_ms);
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<CompactionReport> {
    CompactionReport report;
    // Whole log rows whose newest reading is before the cutoff (a row with a reading after it waits).
    auto rows = c.query("DELETE FROM readings_batches WHERE max_ts < ? RETURNING data", {cutoff});
    if (!rows.ok()) return rows.take_error();
    if (rows->empty()) return report;
    std::unordered_map<std::string, std::vector<Sample>> by_point;
    for (const auto& row : *rows) {
      auto batch = db::decode_log_batch(row.str(0));
      if (!batch.ok()) return batch.take_error();
      for (const auto& e : batch->entries)
        by_point[batch->points[e.point]].push_back(Sample{e.sample.ts, e.sample.value, e.sample.quality});
      report.readings += batch->entries.size();
    }
    rows->clear();
    struct Chunk { const std::string* point_id; Millis start, end; std::int64_t count; std::string data; };
    std::vector<Chunk> chunks;
    std::vector<std::pair<const std::string*, Millis>> rolled;  // (point, minute) written
    for (auto& [point_id, samples] : by_point) {
      sort_unique(samples);
      // One chunk per window; and the window's minutes into rollups.
      for (size_t i = 0; i < samples.size();) {
        const Millis window = floor_to(samples[i].ts, settings_.chunk_ms);
        size_t j = i;
        while (j < samples.size() && floor_to(samples[j].ts, settings_.chunk_ms) == window) ++j;
        std::vector<Sample> part(samples.begin() + static_cast<std::ptrdiff_t>(i), samples.begin() + static_cast<std::ptrdiff_t>(j));
        std::string data = encode_chunk(part);
        report.chunk_bytes += data.size();
        chunks.push_back({&point_id, part.front().ts, part.back().ts, static_cast<std::int64_t>(part.size()), std::move(data)});
        std::map<Millis, Rollup> minutes;
        for (const auto& s : part) {
          if (s.quality == static_cast<int>(Quality::calibration)) continue;  // 标校 gas is no statistic of the air
          Rollup& r = minutes[floor_to(s.ts, kMinute)];
          add(r, s);
        }
        for (const auto& [minute, r] : minutes) {
          // Late readings meet a rollup already there: the two merge.
          ANJIAN_TRY(c.exec(
              "INSERT INTO reading_rollups (point_id, minute, count, min, max, sum, last, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (point_id, minute) DO UPDATE SET count = reading_rollups.count + excluded.count, "
              "min = CASE WHEN excluded.min < reading_rollups.min THEN excluded.min ELSE reading_rollups.min END, "
              "max = CASE WHEN excluded.max > reading_rollups.max THEN excluded.max ELSE reading_rollups.max END, "
              "sum = reading_rollups.sum + excluded.sum, "
              "last = CASE WHEN excluded.last_ts >= reading_rollups.last_ts THEN excluded.last ELSE reading_rollups.last END, "
              "last_ts = CASE WHEN excluded.last_ts >= reading_rollups.last_ts THEN excluded.last_ts ELSE reading_rollups.last_ts END",
              {point_id, minute, r.count, r.min, r.max, r.sum, r.last, r.last_ts}));
          ++report.rollups;
          rolled.emplace_back(&point_id, minute);
        }
        i = j;
      }
    }
    // The chunks in bulk (COPY on PostgreSQL).
    static constexpr std::string_view kChunkColumns[] = {"point_id", "start_ts", "end_ts", "count", "data"};
    ANJIAN_TRY(c.append("reading_chunks", kChunkColumns, chunks.size(), [&](size_t i, db::CellWriter& cell) {
      cell.text(*chunks[i].point_id);
      cell.integer(chunks[i].start);
      cell.integer(chunks[i].end);
      cell.integer(chunks[i].count);
      cell.blob(chunks[i].data);
    }));
    report.chunks = chunks.size();
    if (settings_.share_rollups) ANJIAN_TRY(note_shared_rollups(c, rolled));
    return report;
  });
}

Result<size_t> ReadingStore::apply_retention(Millis now) {
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<size_t> {
    auto chunks = c.exec("DELETE FROM reading_chunks WHERE end_ts < ?", {now - settings_.raw_retention_ms});
    if (!chunks.ok()) return chunks.take_error();
    auto rollups = c.exec("DELETE FROM reading_rollups WHERE minute < ?", {now - settings_.rollup_retention_ms});
    if (!rollups.ok()) return rollups.take_error();
    return static_cast<size_t>(*chunks + *rollups);
  });
}

Result<std::vector<Sample>> ReadingStore::raw(const std::string& point_id, Millis from, Millis to, size_t limit) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Sample> out;
  auto chunks = (*r)->query("SELECT data FROM reading_chunks WHERE point_id = ? AND start_ts <= ? AND end_ts >= ? ORDER BY start_ts",
                            {point_id, to, from});
  if (!chunks.ok()) return chunks.take_error();
  for (const auto& row : *chunks) {
    auto samples = decode_chunk(row.str(0));
    if (!samples.ok()) return samples.take_error();
    for (const auto& s : *samples)
      if (s.ts >= from && s.ts <= to) out.push_back(s);
    if (out.size() > limit) break;
  }
  // The log holds only what compaction has not reached (minutes): scanning it is cheap.
  ANJIAN_TRY(scan_log(**r, from, to, [&](const std::string& p, const Sample& s) { if (p == point_id) out.push_back(s); }));
  sort_unique(out);
  if (out.size() > limit)
    return Error{"too_large", "该时段原始读数超过 " + std::to_string(limit) + " 条，请缩短时段或指定 step", "to"};
  return out;
}

Result<std::vector<Rollup>> ReadingStore::rollups(const std::string& point_id, Millis from, Millis to, Millis step_ms) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::map<Millis, Rollup> buckets;
  auto bucket = [&](Millis t) -> Rollup& {
    const Millis b = floor_to(t, step_ms);
    Rollup& x = buckets[b];
    x.minute = b;
    return x;
  };
  auto stored = (*r)->query("SELECT minute, count, min, max, sum, last, last_ts FROM reading_rollups "
                            "WHERE point_id = ? AND minute >= ? AND minute <= ? ORDER BY minute",
                            {point_id, floor_to(from, kMinute), to});
  if (!stored.ok()) return stored.take_error();
  for (const auto& row : *stored)
    merge(bucket(row.i64(0)), Rollup{row.i64(0), row.i64(1), row.f64(2), row.f64(3), row.f64(4), row.f64(5), row.i64(6)});
  ANJIAN_TRY(scan_log(**r, from, to, [&](const std::string& p, const Sample& s) { if (p == point_id) add(bucket(s.ts), s); }));
  std::vector<Rollup> out;
  for (auto& [b, x] : buckets) out.push_back(x);
  return out;
}

}  // namespace anjian::monitoring
