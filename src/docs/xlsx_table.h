#pragma once
// One table as an XLSX workbook (libxlsxwriter): a bold header row, a row per record, columns
// sized to their text — what an inventory export needs, readable by Excel and WPS.
#include <string>
#include <vector>

#include "base/result.h"

namespace anjian::docs {

struct XlsxTable {
  std::string sheet;                              // at most 31 characters (Excel's limit)
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;     // cells as text
  // Per column (absent: text): 'n' a number, 'p' a fraction shown as a percentage (0.333 → 33.3%),
  // written as numbers so that Excel sums them; a cell that does not parse stays text ("—", "").
  std::string kinds;
};

// The workbook's bytes. Errors: internal (the library could not write).
Result<std::string> write_xlsx(const XlsxTable& table);
// A workbook of several sheets, in order (sheet names unique).
Result<std::string> write_xlsx(const std::vector<XlsxTable>& tables);

}  // namespace anjian::docs
