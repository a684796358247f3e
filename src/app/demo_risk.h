#pragma once
// The demo's risk inventories (风险分级管控): the risk points an enterprise of each high-risk
// industry identifies — places, activities, equipment — with their hazards, LEC assessments drawn
// from what such points typically score, control measures and who is responsible. They give the
// demo province enterprise levels and regional risk that look like a real province's.
#include <random>
#include <vector>

#include "app/app.h"
#include "modules/enterprise/model.h"

namespace anjian::app {

// Adds the points in one transaction and announces them (the risk pass scores them). Returns how many.
Result<size_t> generate_demo_risk_points(App& app, const auth::Principal& system, const std::vector<enterprise::Enterprise>& enterprises,
                                         std::mt19937_64& rng);

}  // namespace anjian::app
