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

}  // namespace anjian
