#include "modules/monitoring/point_import.h"

#include <boost/json.hpp>

#include <charconv>
#include <map>

#include "base/json_fields.h"
#include "base/table_file.h"
#include "base/text.h"

namespace anjian::monitoring {
namespace json = boost::json;

namespace {
constexpr size_t kMaxRows = 100'000;

const ColumnNames& columns() {
  static const ColumnNames c = {
      {"enterprise_uscc", {"统一社会信用代码", "企业统一社会信用代码", "enterprise_uscc", "uscc"}},
      {"code", {"测点编码", "测点编号", "code"}},
      {"name", {"测点名称", "名称", "name"}},
      {"indicator", {"监测类型", "指标", "indicator"}},
      {"unit", {"单位", "unit"}},
      {"range.min", {"量程下限", "range_min"}},
      {"range.max", {"量程上限", "range_max"}},
      {"period_s", {"采样周期（秒）", "采样周期", "period_s"}},
      {"thresholds.high", {"高限", "一级报警值", "high"}},
      {"thresholds.high_high", {"高高限", "二级报警值", "high_high"}},
      {"thresholds.low", {"低限", "low"}},
      {"thresholds.low_low", {"低低限", "low_low"}},
      {"thresholds.power_off", {"断电值", "power_off"}},
      {"thresholds.restore", {"复电值", "restore"}},
      {"deadband", {"死区", "回差", "deadband"}},
      {"delay_s", {"延时（秒）", "延时", "delay_s"}},
      {"hazard_source_code", {"重大危险源编码", "危险源编码", "hazard_source_code"}},
  };
  return c;
}

// The indicator's Chinese names, as people write them in a table.
const std::map<std::string, std::string, std::less<>>& indicator_names() {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"储罐液位", "tank_level"}, {"液位", "tank_level"}, {"温度", "temperature"}, {"压力", "pressure"}, {"流量", "flow"},
      {"可燃气体浓度", "combustible_gas"}, {"可燃气体", "combustible_gas"}, {"有毒气体浓度", "toxic_gas"}, {"有毒气体", "toxic_gas"},
      {"甲烷", "methane"}, {"一氧化碳", "carbon_monoxide"}, {"风速", "wind_speed"}, {"氧气", "oxygen"}, {"粉尘", "dust"},
      {"开关量", "switch"}};
  return m;
}

// A cell as the API would take it: numbers for numeric fields (a cell that is not one stays text,
// and the field's check names it), text otherwise.
json::value cell(const std::string& field, const std::string& text) {
  const bool numeric = field.starts_with("range.") || field.starts_with("thresholds.") || field == "period_s" ||
                       field == "deadband" || field == "delay_s";
  if (!numeric) {
    if (field == "indicator")
      if (auto it = indicator_names().find(text); it != indicator_names().end()) return json::value(it->second);
    return json::value(text);
  }
  double d = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || ptr != text.data() + text.size()) return json::value(text);
  if ((field == "period_s" || field == "delay_s") && d == static_cast<double>(static_cast<std::int64_t>(d)))
    return json::value(static_cast<std::int64_t>(d));
  return json::value(d);
}
}  // namespace

Result<PointImportReport> import_points(PointService& points, hazard::Service& hazards, const auth::Principal& who,
                                        std::string_view bytes, bool dry_run, std::string_view source) {
  auto table = read_table(bytes, import_limits(bytes.size(), kMaxRows + 1, columns().size() + kExtraColumns));
  if (!table.ok()) return table.take_error();
  const auto& records = *table;
  if (records.empty()) return Error{"invalid_header", "文件为空", "file"};
  const HeaderMap header = map_header(records[0], columns());
  if (auto missing = missing_columns(header, columns(), {"enterprise_uscc", "code", "name", "indicator"}); !missing.empty())
    return Error{"invalid_header", missing, "file"};
  PointImportReport report;
  report.dry_run = dry_run;
  report.ignored_columns = header.ignored;
  std::map<std::pair<std::string, std::string>, size_t> first_line;  // (enterprise, code) → line
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    ++report.rows;
    json::object row;
    std::string source_code;
    for (size_t i = 0; i < header.field_of.size() && i < rec.fields.size(); ++i) {
      const std::string& field = header.field_of[i];
      std::string v(trim(rec.fields[i]));
      if (field.empty() || v.empty()) continue;
      if (field == "hazard_source_code") source_code = v;
      else set_json_path(row, field, cell(field, v));
    }
    auto fail = [&](const Error& e) {
      report.issues.push_back({rec.line, header.column_of(records[0], e.field == "hazard_source_id" ? "hazard_source_code" : e.field),
                               e.field, e.code, e.message});
    };
    const std::string uscc = row.contains("enterprise_uscc") && row["enterprise_uscc"].is_string()
                                 ? std::string(row["enterprise_uscc"].as_string()) : "";
    const std::string code = row.contains("code") && row["code"].is_string() ? std::string(row["code"].as_string()) : "";
    auto [it, fresh] = first_line.emplace(std::make_pair(uscc, code), rec.line);
    if (!fresh) {
      fail(Error{"duplicate_in_file", "与第 " + std::to_string(it->second) + " 行的测点编码重复", "code"});
      continue;
    }
    if (!source_code.empty()) {
      hazard::Filter f;
      f.enterprise_uscc = uscc;
      f.code = source_code;
      f.page_size = 1;
      auto found = hazards.list(who.scope, f);
      if (!found.ok()) return found.take_error();
      if (found->items.empty()) {
        fail(Error::invalid_field("hazard_source_id", "该企业没有编码为 " + source_code + " 的重大危险源"));
        continue;
      }
      row["hazard_source_id"] = found->items[0].id;
    }
    // The point as the API would take it (and the enterprise in the caller's scope).
    if (auto s = points.validate(who, row); !s.ok()) { fail(s.error()); continue; }
    PointFilter pf;
    pf.enterprise_uscc = uscc;
    pf.code = code;
    pf.page_size = 1;
    auto existing = points.list(who.scope, pf);
    if (!existing.ok()) return existing.take_error();
    if (dry_run) {
      ++(existing->items.empty() ? report.created : report.updated);
      continue;
    }
    Result<Point> done = Error{"internal", "", ""};
    if (existing->items.empty()) {
      done = points.create(who, row, source);
    } else {
      row.erase("enterprise_uscc");  // not changeable; the same enterprise anyway
      done = points.update(who, existing->items[0].id, existing->items[0].version, row, source);
    }
    if (!done.ok()) {
      if (done.error().code == "storage_error" || done.error().code == "unavailable") return done.take_error();
      fail(done.error());
      continue;
    }
    ++(existing->items.empty() ? report.created : report.updated);
  }
  return report;
}

json::object to_json(const PointImportReport& r) {
  json::array issues, ignored;
  for (const auto& i : r.issues)
    issues.push_back(json::object{{"line", i.line}, {"column", i.column}, {"field", i.field}, {"code", i.code}, {"message", i.message}});
  for (const auto& c : r.ignored_columns) ignored.push_back(json::value(c));
  return {{"rows", r.rows}, {"created", r.created}, {"updated", r.updated}, {"dry_run", r.dry_run},
          {"ignored_columns", std::move(ignored)}, {"issues", std::move(issues)}};
}

}  // namespace anjian::monitoring
