#pragma once
// Bulk import of enterprises: 预入库 → 质检 → 正式入库. Every row is checked (the same checks as
// the API, plus duplicates within the file and against the database, and the caller's
// jurisdiction); the valid rows are committed in one transaction, or none when the caller asks for
// all-or-nothing or for a dry run.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "base/import_report.h"
#include "modules/enterprise/service.h"

namespace anjian::enterprise {

using anjian::ImportIssue;
using anjian::ImportOptions;
using anjian::ImportReport;

// The column names the importer knows, Chinese and English, by API field (for the docs and the UI).
const std::vector<std::pair<std::string, std::vector<std::string>>>& import_columns();

// The file is CSV (UTF-8 or GB18030) or XLSX (its first sheet).
// Errors (whole file refused): invalid_encoding (neither UTF-8 nor GB18030), invalid_xlsx,
// invalid_header (a required column is missing), file_too_large (more rows than max_rows, more
// columns than it knows plus kExtraColumns, or a file that would unpack or expand past its limits).
Result<ImportReport> import_enterprises(Service& service, const auth::Principal& who, std::string_view file_bytes,
                                        const ImportOptions& options);


}  // namespace anjian::enterprise
