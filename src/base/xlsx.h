#pragma once
// Reading the first worksheet of an XLSX workbook (Office Open XML), from memory, as rows of
// cell texts — what an import of a spreadsheet needs, nothing more (no formulas are evaluated;
// a formula cell gives its cached value).
#include <string_view>
#include <vector>

#include "base/csv.h"
#include "base/result.h"

namespace anjian {

// True when the bytes start like a ZIP archive (XLSX, DOCX, …).
bool looks_like_zip(std::string_view bytes);

// Rows of the first sheet; `line` is the spreadsheet's row number, cells are placed by their
// column letters (gaps are empty strings). Numbers come as written in the file ("46031", "35.5"):
// a date cell is its serial day number. The sheet is read as it is unpacked, within `limits`.
// Errors: invalid_xlsx, file_too_large (naming the limit passed).
Result<std::vector<CsvRecord>> read_xlsx_first_sheet(std::string_view bytes, const TableLimits& limits = {});

// Excel's serial day number (1900 date system) → "YYYY-MM-DD", or "" if not a plausible date.
std::string excel_serial_to_date(std::string_view serial);

}  // namespace anjian
