#pragma once
// The exchange's access to the registry's table (no scope: the exchange decides what travels, by
// node and region). SQL in repo.cpp with the rest of the module's.
#include <string>
#include <vector>

#include "db/database.h"
#include "modules/enterprise/model.h"

namespace anjian::enterprise::repo {

Result<std::vector<Enterprise>> by_usccs(db::Connection& c, const std::vector<std::string>& usccs);
// A replica received from the node that owns it: inserted, or replacing the held one whole.
Status put_replica(db::Connection& c, Enterprise& e);
// Several at once (a batch's worth): those not held inserted by multi-row statements — on SQLite
// the full-text index then flushes once a statement, not once a row — the held ones replaced.
// REQUIRES: no uscc twice.
Status put_replicas(db::Connection& c, std::vector<Enterprise>& es);
Status remove_replica(db::Connection& c, const std::string& uscc);

}  // namespace anjian::enterprise::repo
