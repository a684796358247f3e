#pragma once
// RFC 4180 CSV reading: quoted fields, doubled quotes, CRLF or LF, embedded new lines.
#include <string>
#include <string_view>
#include <vector>

namespace anjian {

struct CsvRecord {
  size_t line = 0;  // 1-based line on which the record starts, for error reports
  std::vector<std::string> fields;
};

// Parses all records of UTF-8 text. A stray quote inside an unquoted field is kept as text; an
// unterminated quoted field runs to the end of the input (reported by callers as a bad row).
std::vector<CsvRecord> parse_csv(std::string_view text);

// A CSV cell: quoted when it holds a comma, quote or line break; a leading = + - @ tab or CR
// (a formula to Excel) is prefixed with ' so that it stays text.
std::string csv_field(std::string_view value);

}  // namespace anjian
