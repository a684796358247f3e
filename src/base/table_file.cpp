#include "base/table_file.h"

#include <algorithm>

#include "base/text.h"
#include "base/xlsx.h"

namespace anjian {

TableLimits import_limits(size_t file_bytes, size_t max_records, size_t max_fields) {
  TableLimits l;
  l.max_records = max_records;
  l.max_fields = max_fields;
  l.max_memory = 16 * file_bytes + 32 * 1024 * 1024;
  l.max_unpacked = 256 * 1024 * 1024;
  return l;
}

Result<std::vector<CsvRecord>> read_table(std::string_view bytes, const TableLimits& limits) {
  if (looks_like_zip(bytes)) {
    auto sheet = read_xlsx_first_sheet(bytes, limits);
    if (!sheet.ok()) return sheet.take_error();
    for (const auto& r : *sheet)
      for (const auto& f : r.fields)
        if (!is_valid_utf8(f)) return Error{"invalid_xlsx", "XLSX 文件中有非 UTF-8 文本", "file"};
    return sheet;
  }
  auto text = decode_utf8_or_gb18030(bytes);
  if (!text) return Error{"invalid_encoding", "文件既不是 UTF-8 也不是 GB18030（GBK）编码的文本", "file"};
  std::string why;
  auto records = parse_csv(*text, limits, why);
  if (!records) return Error{"file_too_large", "文件超过导入上限：" + why, "file"};
  return std::move(*records);
}

bool HeaderMap::has(std::string_view field) const {
  return std::find(field_of.begin(), field_of.end(), field) != field_of.end();
}

std::string HeaderMap::column_of(const CsvRecord& header, const std::string& field) const {
  for (size_t i = 0; i < field_of.size() && i < header.fields.size(); ++i)
    if (field_of[i] == field || (field.find('.') == std::string::npos && field_of[i].starts_with(field + ".")))
      return header.fields[i];
  return {};
}

std::map<std::string, std::string> row_cells(const CsvRecord& row, const HeaderMap& header,
                                             const std::function<std::string(const std::string&, const std::string&)>& word) {
  std::map<std::string, std::string> cells;
  for (size_t i = 0; i < header.field_of.size() && i < row.fields.size(); ++i) {
    if (header.field_of[i].empty()) continue;
    std::string v(trim(row.fields[i]));
    if (!v.empty()) cells[header.field_of[i]] = word(header.field_of[i], v);
  }
  return cells;
}

HeaderMap map_header(const CsvRecord& header, const ColumnNames& columns) {
  HeaderMap map;
  map.field_of.resize(header.fields.size());
  for (size_t i = 0; i < header.fields.size(); ++i) {
    std::string h(trim(header.fields[i]));
    for (const auto& [field, names] : columns)
      for (const auto& n : names)
        if (h == n && !map.has(field) && map.field_of[i].empty()) map.field_of[i] = field;
    if (map.field_of[i].empty() && !h.empty()) map.ignored.push_back(h);
  }
  return map;
}

std::string missing_columns(const HeaderMap& map, const ColumnNames& columns, const std::vector<std::string>& required) {
  std::string missing;
  for (const auto& req : required) {
    if (map.has(req)) continue;
    for (const auto& [field, names] : columns)
      if (field == req) missing += (missing.empty() ? "" : "、") + names[0];
  }
  return missing.empty() ? "" : "缺少必需的列：" + missing;
}

std::optional<Millis> sheet_instant(std::string_view cell) {
  std::string v(trim(cell));
  if (v.empty() || v.size() > 40) return std::nullopt;
  if (v.find_first_not_of("0123456789.") == std::string::npos) {
    // Excel's serial: whole days since 1899-12-30 and the time of day as the fraction.
    const std::string date = excel_serial_to_date(v.substr(0, v.find('.')));
    if (date.empty()) return std::nullopt;
    double fraction = 0;
    if (auto dot = v.find('.'); dot != std::string::npos) fraction = std::stod("0" + v.substr(dot));
    const auto day = parse_instant(date + "T00:00:00+08:00");
    if (!day) return std::nullopt;
    return *day + static_cast<Millis>(fraction * 86'400'000.0 + 0.5);
  }
  if (auto t = parse_instant(v); t && v.size() > 10 && (v.back() == 'Z' || v.find('+', 10) != std::string::npos ||
                                                        v.find('-', 10) != std::string::npos))
    return t;
  // 2025/3/1 10:20 → 2025-03-01T10:20:00+08:00
  for (auto& c : v)
    if (c == '/' || c == '.') c = '-';
  const auto space = v.find_first_of(" T");
  std::string date = v.substr(0, space), time = space == std::string::npos ? "" : std::string(trim(v.substr(space + 1)));
  auto a = date.find('-'), b = a == std::string::npos ? a : date.find('-', a + 1);
  if (a != 4 || b == std::string::npos || b == a + 1 || b + 1 >= date.size()) return std::nullopt;
  std::string m = date.substr(a + 1, b - a - 1), d = date.substr(b + 1);
  if (m.size() > 2 || d.size() > 2) return std::nullopt;
  date = date.substr(0, 4) + "-" + (m.size() == 1 ? "0" : "") + m + "-" + (d.size() == 1 ? "0" : "") + d;
  if (time.empty()) time = "00:00:00";
  if (time.size() == 4 || time.size() == 7) time = "0" + time;  // 9:30 → 09:30
  if (time.size() == 5) time += ":00";
  if (time.size() != 8) return std::nullopt;
  return parse_instant(date + "T" + time + "+08:00");
}

}  // namespace anjian
