#include "modules/enterprise/module.h"

#include <spdlog/spdlog.h>

#include "auth/identity.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/routes.h"
#include "modules/enterprise/service.h"

namespace anjian::enterprise {

Status EnterpriseModule::open(modules::Context& ctx) {
  auto& s = ctx.provide(std::make_unique<Service>(ctx.db, ctx.regions, ctx.need<audit::AuditLog>(), options_));
  s.set_bus(&ctx.bus);
  // Its organization moves with an enterprise (identity scopes the users by it).
  s.on_moved_in([&identity = ctx.need<auth::Identity>()](db::Connection& tx, const std::string& uscc, const std::string& region) {
    return identity.move_enterprise_org_in(tx, uscc, region);
  });
  // The home page's counts are taken once when the server starts, not by its first visitor.
  ctx.jobs.at_start([&s](Millis) {
    const Millis start = now_ms();
    if (auto c = s.summary(auth::Scope::all()); !c.ok()) spdlog::error("enterprise counts not taken: {}", c.error().message);
    else spdlog::info("enterprise counts taken in {} ms", now_ms() - start);
  });
  return {};
}

void EnterpriseModule::routes(http::Router& router, modules::Context& ctx) { register_routes(router, ctx.need<Service>()); }

}  // namespace anjian::enterprise
