#pragma once
#include "http/router.h"
#include "modules/monitoring/point_service.h"

namespace anjian::monitoring {
// /api/v1/monitoring/points…
void register_routes(http::Router& router, PointService& points);
}  // namespace anjian::monitoring
