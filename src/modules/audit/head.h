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
// The hash of the record at `seq` as the log holds it now ("" when there is none).
Result<std::string> audit_hash_at(db::Database& db, std::int64_t seq);

}  // namespace anjian::audit
