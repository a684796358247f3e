#pragma once
// The demo's enforcement: each city's inspectors in the registry with their 执法证号, a 双随机 draw
// of the quarter among the city's enterprises, its tasks, inspections, measures, 复查 and cases —
// made through the same services a regulator uses.
#include "app/app.h"

namespace anjian::app {

// Returns how many draws were made.
Result<size_t> generate_demo_draws(App& app);
// The draws' tasks, due today, and what became of them: some still to do, inspections with nothing found, inspections whose findings got a
// 责令限期整改 with its 复查 (one 复查 done), and penalty cases at several steps, one closed —
// every document numbered as a regulator's would be; and a complaint for every county inspector
// to check today (with a colleague of the city). Returns how many tasks were issued.
Result<size_t> generate_demo_inspections(App& app);

}  // namespace anjian::app
