#pragma once
// Import of hidden dangers found in earlier systems (CSV in UTF-8 or GB18030, or XLSX): 预入库 →
// 质检 → 正式入库 like the enterprise import. Every row is checked as the API checks a report (the
// enterprise in the caller's scope, the 判定标准 item, times), plus its state as the earlier system
// left it (已销号 with its 销号时间, a plan's 整改期限 after the finding), duplicates within the file
// and against what is recorded; the valid rows are written in one transaction (or none, for a dry
// run or all-or-nothing), with one audit record for the import.
#include <string_view>
#include <utility>
#include <vector>

#include "auth/principal.h"
#include "base/import_report.h"
#include "modules/hidden_danger/service.h"

namespace anjian::hidden_danger {

// The columns the importer knows, Chinese and English, by field (for the docs and the console).
const std::vector<std::pair<std::string, std::vector<std::string>>>& import_columns();

// Errors (the whole file refused): invalid_encoding, invalid_xlsx, invalid_header, file_too_large.
Result<ImportReport> import_hidden_dangers(Service& service, db::Database& db, AuditSink& audit, const auth::Principal& who,
                                           std::string_view file_bytes, const ImportOptions& options, std::string_view source);

}  // namespace anjian::hidden_danger
