#include "modules/hazard/module.h"

#include "exchange/registry.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/routes.h"
#include "modules/hazard/service.h"
#include "modules/hazard/share.h"

namespace anjian::hazard {

Status HazardModule::open(modules::Context& ctx) {
  ctx.provide(std::make_unique<Service>(ctx.db, ctx.need<enterprise::Service>(), ctx.need<audit::AuditLog>(), &ctx.bus));
  for (auto& t : shared_types()) ctx.need<exchange::ShareRegistry>().add(std::move(t));
  return {};
}

void HazardModule::routes(http::Router& router, modules::Context& ctx) { register_routes(router, ctx.need<Service>()); }

}  // namespace anjian::hazard
