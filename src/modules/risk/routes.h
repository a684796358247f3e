#pragma once
#include "auth/audit_sink.h"
#include "http/router.h"
#include "modules/risk/hazard_assessment.h"
#include "modules/risk/enterprise_risk.h"
#include "modules/risk/risk_point_service.h"

namespace anjian::risk {
// The calculators: POST /api/v1/gb18218/evaluate, /api/v1/risk/lec/evaluate,
// /api/v1/risk/matrix/evaluate — for any signed-in user (enterprises do their own identification);
// LEC and matrix levels by the model's cut-offs.
void register_calculator_routes(http::Router& router, const RiskModel& model);
// POST /api/v1/hazard-sources/{id}/assess, GET /api/v1/hazard-sources/{id}/assessment.
void register_assessment_routes(http::Router& router, HazardAssessments& assessments);
// /api/v1/risk-points… (CRUD; the list carries the four-colour distribution of its filter).
void register_risk_point_routes(http::Router& router, RiskPointService& points);
// GET /api/v1/enterprises/{uscc}/risk (score, level, breakdown, history); POST /api/v1/risk/recompute.
// POST /risk/recompute (every enterprise of the country) is the national or system administrator's,
// and audited.
void register_enterprise_risk_routes(http::Router& router, EnterpriseRiskService& risk, AuditSink& audit);
// The filter of GET /api/v1/risk-points from its query. Errors: invalid_field.
Result<RiskPointFilter> risk_point_filter(const http::Request& req, std::int64_t default_page_size);
boost::json::object distribution_json(const RiskPointPage& page);
}  // namespace anjian::risk
