#pragma once
// Exports of the risk module that need the document layer (docs/), wired here because modules
// do not depend on it: GET /api/v1/enterprises/{uscc}/risk-inventory.xlsx (风险清单).
#include "http/router.h"
#include "modules/enterprise/service.h"
#include "modules/risk/risk_point_service.h"

namespace anjian::app {
void register_risk_exports(http::Router& router, risk::RiskPointService& points, enterprise::Service& enterprises);
}  // namespace anjian::app
