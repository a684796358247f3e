#pragma once
// Import of rescue resources from a table (CSV in UTF-8 or GB18030, or XLSX) as an emergency
// bureau keeps its 应急资源台账: 预入库 → 质检 → 正式入库 like the enterprise import. One row a
// resource, Chinese or English column names, its kind's own columns (队伍类型, 人数, 专业领域,
// 床位数, 容纳人数, 物资 as "防化服:200:套；吸附棉:5:吨"); every row checked as the API checks a
// registration, duplicates (same kind, name and region) refused within the file and against what
// is recorded; the valid rows written in one transaction (or none: dry run, all or nothing) with
// one audit record, and in the index after the commit.
#include <string_view>
#include <utility>
#include <vector>

#include "auth/audit_sink.h"
#include "base/import_report.h"
#include "modules/emergency/resources.h"

namespace anjian::emergency {

const std::vector<std::pair<std::string, std::vector<std::string>>>& resource_import_columns();

// Errors (the whole file refused): forbidden, invalid_encoding, invalid_xlsx, invalid_header, file_too_large.
Result<ImportReport> import_resources(ResourceService& resources, db::Database& db, AuditSink& audit, const auth::Principal& who,
                                      std::string_view file_bytes, const ImportOptions& options, std::string_view source);

}  // namespace anjian::emergency
