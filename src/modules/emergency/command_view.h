#pragma once
// The command view (指挥一张图) of an incident: what lies within a radius of the place — rescue
// resources, enterprises, their major hazard sources and monitoring points — with the basics of
// the enterprise concerned (its record, hazard sources and substances, its plans) and the report
// behind the response, in one answer the console draws at once. Everything through the owners'
// services, in the reader's scope.
#include <boost/json/object.hpp>

#include "auth/principal.h"
#include "modules/accident/service.h"
#include "modules/emergency/incident.h"
#include "modules/emergency/plans.h"
#include "modules/emergency/resources.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/service.h"
#include "modules/monitoring/alarm_service.h"
#include "modules/monitoring/point_service.h"

namespace anjian::emergency {

struct CommandSources {
  ResourceService& resources;
  enterprise::Service& enterprises;
  hazard::Service& hazards;
  monitoring::PointService& points;
  PlanService& plans;
  accident::AccidentService& accidents;
  monitoring::AlarmService& alarms;
};

// At most this many of each kind of object around the place (the nearest kept).
inline constexpr size_t kCommandViewLimit = 5'000;

// Errors: those of the sources (storage).
Result<boost::json::object> command_view(const CommandSources& s, const auth::Principal& who, const Incident& incident, double radius_m);

}  // namespace anjian::emergency
