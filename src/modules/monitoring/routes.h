#pragma once
#include "http/router.h"
#include "auth/api_keys.h"
#include "modules/monitoring/alarm_service.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/point_service.h"

namespace anjian::monitoring {
// /api/v1/monitoring/…, /api/v1/alarms…
void register_routes(http::Router& router, PointService& points, Pipeline& pipeline, AlarmService& alarms,
                     auth::ApiKeys& keys, enterprise::Service& enterprises);
}  // namespace anjian::monitoring
