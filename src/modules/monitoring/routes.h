#pragma once
#include "auth/api_keys.h"
#include "http/router.h"
#include "modules/monitoring/alarm_service.h"
#include "modules/monitoring/coal_files.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/point_service.h"

namespace anjian::monitoring {

struct Services {
  PointService& points;
  Pipeline& pipeline;
  AlarmService& alarms;
  CoalFiles& coal;
  auth::ApiKeys& keys;
  enterprise::Service& enterprises;
};

// /api/v1/monitoring/…, /api/v1/alarms…
void register_routes(http::Router& router, const Services& services);
// /api/v1/monitoring/coal-files, /api/v1/enterprises/{uscc}/coal-mine
void register_coal_routes(http::Router& router, CoalFiles& coal, auth::ApiKeys& keys);

}  // namespace anjian::monitoring
