#pragma once
#include "http/router.h"
#include "modules/risk/hazard_assessment.h"

namespace anjian::risk {
// The calculators: POST /api/v1/gb18218/evaluate, /api/v1/risk/lec/evaluate,
// /api/v1/risk/matrix/evaluate — for any signed-in user (enterprises do their own identification).
void register_calculator_routes(http::Router& router);
// POST /api/v1/hazard-sources/{id}/assess, GET /api/v1/hazard-sources/{id}/assessment.
void register_assessment_routes(http::Router& router, HazardAssessments& assessments);
}  // namespace anjian::risk
