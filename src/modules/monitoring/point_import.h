#pragma once
// Bulk definition of monitoring points from a table (CSV in UTF-8 or GB18030, or XLSX), as a
// design institute or an enterprise hands them over: one row a point, Chinese or English column
// names; a row whose point exists (same enterprise and code) updates it. Every row is checked as
// the API checks it; bad rows are reported with their line and column and the others are taken
// (or none, with dry_run).
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "modules/hazard/service.h"
#include "modules/monitoring/point_service.h"

namespace anjian::monitoring {

struct PointImportIssue {
  size_t line = 0;
  std::string column, field, code, message;
};

struct PointImportReport {
  size_t rows = 0, created = 0, updated = 0;
  bool dry_run = false;
  std::vector<std::string> ignored_columns;
  std::vector<PointImportIssue> issues;
};

// Errors (the whole file refused): invalid_encoding, invalid_xlsx, invalid_header, too_large.
Result<PointImportReport> import_points(PointService& points, hazard::Service& hazards, const auth::Principal& who,
                                        std::string_view file_bytes, bool dry_run, std::string_view source);
boost::json::object to_json(const PointImportReport& r);

}  // namespace anjian::monitoring
