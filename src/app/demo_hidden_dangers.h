#pragma once
// The demo's hidden dangers (隐患排查治理): what chemical plants and coal mines find in their
// self-inspections and what inspectors find on their rounds, in every state of the lifecycle — a
// few 重大 ones under 挂牌督办, some overdue — taken through the same service steps a user would
// take, so that a regulator logging in sees the board, the inbox and the effect on risk at once.
#include <random>
#include <vector>

#include "app/app.h"
#include "modules/enterprise/model.h"

namespace anjian::app {

// Returns how many were recorded.
Result<size_t> generate_demo_hidden_dangers(App& app, const std::vector<enterprise::Enterprise>& enterprises, std::mt19937_64& rng);

}  // namespace anjian::app
