#pragma once
// The demo's enforcement so far: each city's inspectors in the registry with their 执法证号, and a
// 双随机 draw of the quarter among the city's enterprises — made through the same services a
// regulator uses, so that the 双随机 page has a draw to open and verify.
#include "app/app.h"

namespace anjian::app {

// Returns how many draws were made.
Result<size_t> generate_demo_draws(App& app);

}  // namespace anjian::app
