#pragma once
// A table a person made, as imports receive it: XLSX (its first sheet) or CSV in UTF-8 (with or
// without BOM) or GB18030 — what Excel writes — and its header row mapped to the API's fields by
// their Chinese or English column names.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/csv.h"
#include "base/result.h"

namespace anjian {

// Errors: invalid_encoding (neither UTF-8 nor GB18030), invalid_xlsx.
Result<std::vector<CsvRecord>> read_table(std::string_view bytes);

// Known columns: API field → the names a header may give it (the first is the one to show).
using ColumnNames = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct HeaderMap {
  std::vector<std::string> field_of;  // per column: the field, or "" when not known
  std::vector<std::string> ignored;   // the header texts of unknown columns
  bool has(std::string_view field) const;
  // The column's name as the file wrote it, for a field (or a field's parent, "range" for "range.min").
  std::string column_of(const CsvRecord& header, const std::string& field) const;
};
HeaderMap map_header(const CsvRecord& header, const ColumnNames& columns);

// "缺少必需的列：…" for the required fields the header lacks, or "" when none.
std::string missing_columns(const HeaderMap& map, const ColumnNames& columns, const std::vector<std::string>& required);

}  // namespace anjian
