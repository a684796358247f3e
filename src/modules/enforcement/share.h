#pragma once
// What the enforcement module shares between nodes (issue 17): inspections with their results and enforcement cases, up, kept above as replicas.
#include <vector>

#include "exchange/registry.h"

namespace anjian::enforcement {

std::vector<exchange::SharedType> shared_types();

}  // namespace anjian::enforcement
