#pragma once
// The demo province's monitoring: major hazard sources and their sensors for chemical
// enterprises, and methane, CO and airflow sensors for coal mines (with their networking codes),
// so that `make run` has something to watch.
#include <random>
#include <vector>

#include "app/app.h"
#include "modules/enterprise/model.h"

namespace anjian::app {

// Returns the number of points defined.
Result<size_t> generate_demo_monitoring(App& app, const auth::Principal& system,
                                        const std::vector<enterprise::Enterprise>& enterprises, std::mt19937_64& rng);

}  // namespace anjian::app
