#pragma once
// Open data (开放, issue 17 §4): every entry marked open is written, with its metadata, as JSON and
// as CSV (UTF-8 with a BOM, Chinese headers, for Excel) into a folder a public portal serves —
// daily and on demand. Items marked personal (法定代表人, 联系电话, 身份证号 …) never leave.
#include <string>
#include <vector>

#include "modules/catalog/service.h"

namespace anjian::catalog {

struct OpenFile {
  std::string entry_code, name, file;  // file: the name in the folder
  std::int64_t records = 0;
};

// The file stem of an entry: its code, anything but letters, digits and "-" made "-".
std::string open_file_stem(const std::string& code);
// Writes the open entries' files (and index.json), each whole or not at all; removes the files of
// entries no longer open. Returns what was written.
Result<std::vector<OpenFile>> export_open_data(CatalogService& catalog, const std::string& dir);

}  // namespace anjian::catalog
