#include "modules/hazard/module.h"

#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/routes.h"
#include "modules/hazard/service.h"

namespace anjian::hazard {

Status HazardModule::open(modules::Context& ctx) {
  ctx.provide(std::make_unique<Service>(ctx.db, ctx.need<enterprise::Service>(), ctx.need<audit::AuditLog>(), &ctx.bus));
  return {};
}

void HazardModule::routes(http::Router& router, modules::Context& ctx) { register_routes(router, ctx.need<Service>()); }

}  // namespace anjian::hazard
