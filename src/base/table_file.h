#pragma once
// A table a person made, as imports receive it: XLSX (its first sheet) or CSV in UTF-8 (with or
// without BOM) or GB18030 — what Excel writes — and its header row mapped to the API's fields by
// their Chinese or English column names.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/csv.h"
#include "base/result.h"
#include "base/time.h"

namespace anjian {

// The limits of a table an importer takes: at most `max_records` rows (the header included) and
// `max_fields` columns, and in memory at most 16 times the file's size plus 32 MiB (a crafted
// file of a few kilobytes cannot become gigabytes); an XLSX unpacks to at most 256 MiB.
TableLimits import_limits(size_t file_bytes, size_t max_records, size_t max_fields);
// Columns a file may have beyond those the importer knows: registers exported from other systems
// carry many of their own (reported as ignored).
inline constexpr size_t kExtraColumns = 64;

// Errors: invalid_encoding (neither UTF-8 nor GB18030), invalid_xlsx, file_too_large (a limit passed).
Result<std::vector<CsvRecord>> read_table(std::string_view bytes, const TableLimits& limits);

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
// A row's known cells by field, trimmed, empty ones left out, each through `word` (the words
// people write mapped to the API's: 一般 → general).
std::map<std::string, std::string> row_cells(const CsvRecord& row, const HeaderMap& header,
                                             const std::function<std::string(const std::string& field, const std::string& value)>& word);

// A date or a date and time as a sheet holds it: 2025-03-01, 2025/3/1, 2025-03-01 10:20[:30],
// Excel's serial number (46031.5), or RFC 3339 with its offset; Asia/Shanghai unless it says.
// nullopt when it is none of these.
std::optional<Millis> sheet_instant(std::string_view cell);

// "缺少必需的列：…" for the required fields the header lacks, or "" when none.
std::string missing_columns(const HeaderMap& map, const ColumnNames& columns, const std::vector<std::string>& required);

}  // namespace anjian
