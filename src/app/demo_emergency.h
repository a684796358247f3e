#pragma once
// The demo's rescue resources: for every regulator of the province a few teams of the kinds its
// trades need (危化, 矿山, 消防, 医疗 …), an expert and a depot near its enterprises, and for the
// cities a hospital and a shelter — so that the nearest can be found around any accident.
#include "app/app.h"

namespace anjian::app {
// Returns how many resources were registered.
Result<size_t> generate_demo_resources(App& app);
// Every regulator's duty roster for this month and the next: its people in turn, a leader a day.
Result<size_t> generate_demo_rosters(App& app);
// Emergency plans (each county's and city's government plans, the first enterprises' own, one
// overdue for review) and, in the first county, an open drill (演练) with a team on its way.
Result<size_t> generate_demo_plans_and_drill(App& app);
}  // namespace anjian::app
