#pragma once
// The hidden-danger tally: found, closed and withdrawn counted by county, industry, month found
// (Asia/Shanghai, YYYYMM) and grade, changed in the transaction of each change so that the
// statistics of a province read a few thousand rows, not a million. Derived data: rebuild() makes
// it again from the records (after a bulk load, or when found empty beside records).
#include <string>

#include "base/time.h"
#include "db/database.h"

namespace anjian::hidden_danger {

struct TallyKey {
  std::string region_code, industry;
  Millis found_at = 0;
  std::string grade;
};

// Adds the deltas to the key's row (made when missing).
Status tally_add(db::Connection& c, const TallyKey& key, int found, int closed, int withdrawn);
// Counts every hidden danger again. REQUIRES: inside a transaction.
Status tally_rebuild(db::Connection& c);

}  // namespace anjian::hidden_danger
