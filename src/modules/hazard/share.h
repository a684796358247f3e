#pragma once
// What the hazard module shares between nodes (issue 17): major hazard sources and their GB 18218
// assessments, up, kept above as replicas.
#include <vector>

#include "exchange/registry.h"

namespace anjian::hazard {

std::vector<exchange::SharedType> shared_types();

}  // namespace anjian::hazard
