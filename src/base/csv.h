#pragma once
// RFC 4180 CSV reading: quoted fields, doubled quotes, CRLF or LF, embedded new lines.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian {

struct CsvRecord {
  size_t line = 0;  // 1-based line on which the record starts, for error reports
  std::vector<std::string> fields;
};

// What a table read from outside may make the server hold (imports: docs/DESIGN-NOTES.md has the
// figures). A file past one of them is refused whole the moment it passes it (file_too_large,
// naming the limit), before it can take the memory a few crafted kilobytes would otherwise take.
struct TableLimits {
  size_t max_records = SIZE_MAX;  // records, the header included
  size_t max_fields = SIZE_MAX;   // fields of a record: the highest column
  // Bytes the records may take in memory (each field's string, the records' vectors); the
  // caller sets it from the file's size, so that a small file cannot become a large table.
  size_t max_memory = SIZE_MAX;
  size_t max_unpacked = SIZE_MAX;  // XLSX: bytes of the sheet and shared strings, unpacked
};

// The memory a field's text takes beyond its string (past the short-string buffer); the strings
// themselves are counted by the capacity of their record's vector.
inline size_t text_memory(const std::string& s) { return s.size() > 15 ? s.capacity() + 1 : 0; }

// Parses all records of UTF-8 text. A stray quote inside an unquoted field is kept as text; an
// unterminated quoted field runs to the end of the input (reported by callers as a bad row).
std::vector<CsvRecord> parse_csv(std::string_view text);
// The same within limits; nullopt and `why` (naming the limit) when the text passes one.
std::optional<std::vector<CsvRecord>> parse_csv(std::string_view text, const TableLimits& limits, std::string& why);

// A CSV cell: quoted when it holds a comma, quote or line break; a leading = + - @ tab or CR
// (a formula to Excel) is prefixed with ' so that it stays text.
std::string csv_field(std::string_view value);

}  // namespace anjian
