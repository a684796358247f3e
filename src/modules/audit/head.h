#pragma once
// The audit chain's head: the newest record's position and hash. The exchange sends it up with
// every batch for the parent to keep, so that a log rewritten together with its head is still found
// out above (the gap the foundation left open).
#include <string>
#include <utility>

#include "base/result.h"
#include "db/database.h"

namespace anjian::audit {

Result<std::pair<std::int64_t, std::string>> audit_head(db::Database& db);
// A point of the chain to anchor at, as near `seq` as the log can vouch for now: the record at
// `seq` with its hash today; once it was archived, the archive's boundary (the newest archived
// record, whose hash the head keeps — the archive itself is checked by `audit verify --archive`).
// `seq` with "" when the record is gone and no archive holds it (a deletion, for the parent to see).
Result<std::pair<std::int64_t, std::string>> audit_anchor_at(db::Database& db, std::int64_t seq);

}  // namespace anjian::audit
