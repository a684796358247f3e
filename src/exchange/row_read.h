#pragma once
// The read of a shared type whose record is one row of its module's table: the shared fields are
// columns of that row (JSON text parsed, instants as ISO text like the rest of the API, 0/1 as
// booleans), and the record's region an SQL expression over the row. Modules that share what they
// keep as plain rows declare their columns and get the read; the SQL stays in one place.
#include <string>
#include <vector>

#include "exchange/registry.h"

namespace anjian::exchange {

struct RowShape {
  std::string table, key_column;
  // SQL over the row, aliased `r`: its region code ("r.region_code", or the enterprise's).
  std::string region_sql;
  std::vector<SharedField> fields;  // name = column of `table`
};

// SQL giving the region of the enterprise a row belongs to by its `enterprise_uscc` column.
inline constexpr const char* kEnterpriseRegionSql = "(SELECT e.region_code FROM enterprises e WHERE e.uscc = r.enterprise_uscc)";

decltype(SharedType::read) read_rows(RowShape shape);

// A shared type made of one table's rows, kept above as replicas (no apply): the type, its
// label, direction up, lane bulk; the caller sets what differs.
SharedType row_type(std::string type, std::string label, RowShape shape);

}  // namespace anjian::exchange
