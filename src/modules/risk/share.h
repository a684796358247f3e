#pragma once
// What the risk module shares between nodes (issue 17): risk points and each enterprise's changes of risk level, up, kept above as replicas.
#include <vector>

#include "exchange/registry.h"

namespace anjian::risk {

std::vector<exchange::SharedType> shared_types();

}  // namespace anjian::risk
