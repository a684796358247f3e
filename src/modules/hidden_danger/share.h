#pragma once
// What the hidden_danger module shares between nodes (issue 17): hidden dangers, up — 重大 ones in the priority lane, at once; the others with the bulk — kept above as replicas.
#include <vector>

#include "exchange/registry.h"

namespace anjian::hidden_danger {

std::vector<exchange::SharedType> shared_types();

}  // namespace anjian::hidden_danger
