#pragma once
// The report of a staged import (预入库 → 质检 → 正式入库), the same for every importer: how many
// rows, how many valid and imported, and each refused row with its line, column and reason.
#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace anjian {

struct ImportOptions {
  bool dry_run = false;
  bool all_or_nothing = false;
  size_t max_rows = 1'000'000;
};

struct ImportIssue {
  size_t line = 0;        // line in the file (1 is the header)
  std::string column;     // the column as named in the file, when one is at fault
  std::string field;      // the API field
  std::string code, message;
};

struct ImportReport {
  size_t rows = 0, valid = 0, imported = 0;
  bool dry_run = false, committed = false;
  std::vector<std::string> ignored_columns;
  std::vector<ImportIssue> issues;
};

boost::json::object to_json(const ImportReport& r);
// A table for the command line.
std::string to_text(const ImportReport& r);

}  // namespace anjian
