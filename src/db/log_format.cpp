#include "db/log_format.h"

#include "base/varint.h"

#include <cstring>
#include <unordered_map>

namespace anjian::db {
using varint::put;
using varint::Reader;
using varint::unzigzag;
using varint::zigzag;

namespace {
constexpr std::uint8_t kVersion = 1;
const Error kBad{"invalid_log", "读数日志已损坏", ""};

}  // namespace

std::string encode_log_batch(const std::vector<LogRow>& rows) {
  std::unordered_map<const std::string*, std::uint32_t> index;
  std::vector<const std::string*> points;
  for (const auto& r : rows)
    if (index.emplace(r.point_id, static_cast<std::uint32_t>(points.size())).second) points.push_back(r.point_id);
  std::string out;
  out.reserve(rows.size() * 12 + points.size() * 28 + 16);
  out += static_cast<char>(kVersion);
  put(out, points.size());
  for (const auto* p : points) {
    put(out, p->size());
    out += *p;
  }
  put(out, rows.size());
  Millis prev = 0;
  for (const auto& r : rows) {
    put(out, index[r.point_id]);
    put(out, zigzag(varint::wrap_sub(r.ts, prev)));
    prev = r.ts;
    char value[8];
    std::memcpy(value, &r.value, 8);
    out.append(value, 8);
    out += static_cast<char>(r.quality);
  }
  return out;
}

Result<LogBatch> decode_log_batch(std::string_view bytes) {
  if (bytes.empty() || static_cast<std::uint8_t>(bytes[0]) != kVersion) return kBad;
  Reader r{bytes, 1};
  LogBatch batch;
  const std::uint64_t n_points = r.next();
  if (!r.ok || n_points > bytes.size()) return kBad;
  batch.points.reserve(n_points);
  for (std::uint64_t i = 0; i < n_points; ++i) {
    const std::uint64_t len = r.next();
    if (!r.ok || len > bytes.size() - r.at) return kBad;
    batch.points.emplace_back(bytes.substr(r.at, len));
    r.at += len;
  }
  const std::uint64_t n = r.next();
  // A reading takes at least 11 bytes: a count claiming more than the rest could hold is hostile.
  if (!r.ok || n > kMaxLogBatch || n > (bytes.size() - r.at) / 11 + 1) return kBad;
  batch.entries.resize(n);
  Millis prev = 0;
  for (auto& e : batch.entries) {
    const std::uint64_t p = r.next();
    const std::int64_t delta = unzigzag(r.next());
    double value = 0;
    std::uint8_t quality = 0;
    if (!r.ok || p >= n_points || !r.bytes(&value, 8) || !r.bytes(&quality, 1) || quality > 3) return kBad;  // 3: 标校
    prev = varint::wrap_add(prev, delta);
    e.point = static_cast<std::uint32_t>(p);
    e.sample = LoggedSample{prev, value, quality};
  }
  if (r.at != bytes.size()) return kBad;
  return batch;
}

}  // namespace anjian::db
