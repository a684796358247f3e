#pragma once
// `anjian demo --federation`: a province node and one of its county nodes in one process, each on
// its own database under the data folder, registered with each other (their public keys
// exchanged), the county pushing to the province over HTTP every second. The demo's logins work
// on both; what a county user records appears at the province, marked as the county's.
#include <string>

#include "app/config.h"
#include "app/demo.h"

namespace anjian::app {

// Runs until SIGINT/SIGTERM. Returns the process's exit code.
int run_federation_demo(const Config& base, const DemoOptions& demo);

}  // namespace anjian::app
