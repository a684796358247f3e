#pragma once
// The demo's accident reports: a few of each grade across the province with their chains (taken
// and sent on, one hop late, one level skipped), 续报, and one reported minutes ago that still
// rings in its county's duty room — made through the service, then moved back to their days.
#include "app/app.h"

namespace anjian::app {
// Returns how many reports were made.
Result<size_t> generate_demo_accidents(App& app);
}  // namespace anjian::app
