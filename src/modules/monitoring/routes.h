#pragma once
#include "http/router.h"
#include "modules/hazard/service.h"
#include "modules/monitoring/alarm_service.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/point_service.h"
#include "modules/monitoring/reading_store.h"

namespace anjian::monitoring {

struct Services {
  PointService& points;
  Pipeline& pipeline;
  AlarmService& alarms;
  enterprise::Service& enterprises;
  hazard::Service& hazards;
  ReadingStore& readings;
};

// /api/v1/monitoring/points…, /api/v1/monitoring/latest, /api/v1/alarms…
void register_routes(http::Router& router, const Services& services);

}  // namespace anjian::monitoring
