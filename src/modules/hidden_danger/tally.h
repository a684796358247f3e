#pragma once
// The hidden-danger tally: by county, industry, month found (Asia/Shanghai, YYYYMM) and grade, how
// many were found, closed, withdrawn, are open and are open under 挂牌督办 — changed in the
// transaction of each change so that the statistics of a province read a few thousand rows, not a
// million. A change takes the record's contribution away as it was and adds it as it is now.
// Derived data: rebuild() counts it again from the records (after a bulk load, or when found
// empty beside records).
#include <string>

#include "base/time.h"
#include "db/database.h"

namespace anjian::hidden_danger {

struct TallyKey {
  std::string region_code, industry;
  Millis found_at = 0;
  std::string grade;
  bool operator==(const TallyKey&) const = default;
};

struct TallyCounts {
  int found = 0, closed = 0, withdrawn = 0, open = 0, supervised = 0;
  bool operator==(const TallyCounts&) const = default;
};

// One record's contribution: found 1, and closed, withdrawn, open or open-and-supervised by its state.
TallyCounts tally_of(const std::string& state, bool supervised);
// Adds `sign` times the counts to the key's row (made when missing).
Status tally_add(db::Connection& c, const TallyKey& key, const TallyCounts& counts, int sign = 1);
// A record changed from (before, was) to (after, is): its contribution moves. Nothing when equal.
Status tally_move(db::Connection& c, const TallyKey& before, const TallyCounts& was, const TallyKey& after, const TallyCounts& is);
// Counts every hidden danger again. REQUIRES: inside a transaction.
Status tally_rebuild(db::Connection& c);

}  // namespace anjian::hidden_danger
