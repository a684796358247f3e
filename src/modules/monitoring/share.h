#pragma once
// What the monitoring module shares between nodes (issue 17): alarms (not readings), up, kept above as replicas.
#include <vector>

#include "exchange/registry.h"

namespace anjian::monitoring {

std::vector<exchange::SharedType> shared_types();

}  // namespace anjian::monitoring
