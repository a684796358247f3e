#pragma once
// The demo province's monitoring: major hazard sources and their sensors for chemical
// enterprises, and methane, CO and airflow sensors for coal mines (with their networking codes),
// so that `make run` has something to watch.
#include <random>
#include <vector>

#include "app/app.h"
#include "modules/enterprise/model.h"

namespace anjian::app {

// Returns the number of points defined. The first mines get a history a regulator should find:
// a 超限未断电 two hours ago (escalated at once), a 标校 period an hour ago; the third mine's
// network is down (demo_silent_mines).
Result<size_t> generate_demo_monitoring(App& app, const auth::Principal& system,
                                        const std::vector<enterprise::Enterprise>& enterprises, std::mt19937_64& rng);

// The enterprises the demo's simulator leaves silent (a mine whose network is down: 联网中断).
Result<std::vector<std::string>> demo_silent_mines(App& app);

}  // namespace anjian::app
