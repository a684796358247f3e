#include "modules/monitoring/readings_format.h"

#include <simdjson.h>

#include <cmath>
#include <optional>

namespace anjian::monitoring {
namespace dom = simdjson::dom;

namespace {
const Error kNotJson{"invalid_json", "请求体不是合法的 JSON", ""};
const char* const kShape = "请求体须为 {\"readings\": [...]}";

std::optional<Quality> quality_named(std::string_view q) {
  if (q == "good") return Quality::good;
  if (q == "bad") return Quality::bad;
  if (q == "uncertain") return Quality::uncertain;
  if (q == "calibration") return Quality::calibration;  // 标校: stored and marked, never alarmed
  return std::nullopt;
}

// Reads one reading; returns why it is refused, or nothing when `out` is filled. The document is
// already validated, so only the content can be wrong here.
std::optional<Rejected> read_one(dom::element e, size_t index, Reading& out) {
  dom::object obj;
  if (e.get_object().get(obj)) return Rejected{index, "invalid_reading", "读数须为对象"};
  out.index = index;
  std::string_view point;
  if (obj["point"].get_string().get(point) || point.empty()) return Rejected{index, "invalid_field", "point 须为测点编码"};
  double value;
  if (obj["value"].get_double().get(value) || !std::isfinite(value)) return Rejected{index, "not_a_number", "value 须为数字"};
  dom::element ts;
  bool ts_ok = !obj["ts"].get(ts);
  if (ts_ok) {
    std::int64_t ms;
    std::string_view text;
    if (!ts.get_int64().get(ms) && ms >= 0) {
      out.ts = ms;
    } else if (!ts.get_string().get(text)) {
      auto at = parse_instant(text);
      ts_ok = at.has_value();
      if (at) out.ts = *at;
    } else {
      ts_ok = false;
    }
  }
  if (!ts_ok) return Rejected{index, "invalid_timestamp", "ts 须为毫秒时间戳或带时区的 ISO 8601 时间"};
  dom::element q;
  if (!obj["quality"].get(q)) {
    std::string_view name;
    std::optional<Quality> quality;
    if (!q.get_string().get(name)) quality = quality_named(name);
    if (!quality) return Rejected{index, "invalid_field", "quality 须为 good、bad、uncertain 或 calibration（标校）"};
    out.quality = *quality;
  }
  out.point = std::string(point);
  out.value = value;
  // Other fields (a gateway's own annotations) are ignored.
  return std::nullopt;
}

void take(dom::element e, size_t index, ReadingBatch& batch) {
  Reading r;
  if (auto why = read_one(e, index, r)) batch.rejected.push_back(std::move(*why));
  else batch.readings.push_back(std::move(r));
}
}  // namespace

Result<ReadingBatch> parse_readings(std::string_view text) {
  // simdjson reads a few bytes past the end: it needs its own padded copy. A parser per thread
  // keeps its buffers between batches.
  simdjson::padded_string padded(text);
  thread_local dom::parser parser;
  dom::element doc;
  if (parser.parse(padded).get(doc)) return kNotJson;
  dom::object top;
  if (doc.get_object().get(top)) return Error::invalid_field("readings", kShape);
  ReadingBatch batch;
  dom::element readings;
  if (top["readings"].get(readings)) {
    // One reading on its own (an MQTT message may carry just one).
    if (top["point"].error() && top["value"].error()) return Error::invalid_field("readings", kShape);
    take(doc, 0, batch);
    return batch;
  }
  // A typo beside "readings" should not silently lose readings: unknown top-level fields are refused.
  for (auto field : top)
    if (field.key != "readings")
      return Error{"unknown_field", "未知字段 " + std::string(field.key), std::string(field.key)};
  dom::array items;
  if (readings.get_array().get(items)) return Error::invalid_field("readings", kShape);
  if (items.size() > kMaxBatch) return Error{"too_large", "一批最多 " + std::to_string(kMaxBatch) + " 条读数", "readings"};
  batch.readings.reserve(items.size());
  size_t i = 0;
  for (dom::element e : items) take(e, i++, batch);
  return batch;
}

}  // namespace anjian::monitoring
