#include "modules/identity/module.h"

#include "auth/api_keys.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"
#include "modules/identity/routes.h"

namespace anjian::identity {

Status IdentityModule::open(modules::Context& ctx) {
  auto& audit = ctx.need<audit::AuditLog>();
  ctx.provide(std::make_unique<auth::Identity>(ctx.db, ctx.regions, audit, security_));
  ctx.provide(std::make_unique<auth::ApiKeys>(ctx.db, audit));
  return {};
}

void IdentityModule::routes(http::Router& router, modules::Context& ctx) {
  register_routes(router, ctx.need<auth::Identity>(), ctx.need<auth::ApiKeys>(), ctx.need<enterprise::Service>());
}

}  // namespace anjian::identity
