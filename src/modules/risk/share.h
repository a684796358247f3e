#pragma once
// What the risk module shares between nodes (issue 17): risk points and each enterprise's changes of risk level, up, kept above as replicas.
#include <vector>

#include "exchange/registry.h"

namespace anjian::risk {

// `registry`: which enterprises are replicas here (their levels are their owner's to send).
std::vector<exchange::SharedType> shared_types(const exchange::ShareRegistry& registry);

}  // namespace anjian::risk
