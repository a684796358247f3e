#include "modules/audit/module.h"

#include "modules/audit/audit_log.h"
#include "modules/audit/routes.h"

namespace anjian::audit {

Status AuditModule::open(modules::Context& ctx) {
  ctx.provide(std::make_unique<AuditLog>(ctx.db));
  return {};
}

void AuditModule::routes(http::Router& router, modules::Context& ctx) { register_routes(router, ctx.need<AuditLog>()); }

}  // namespace anjian::audit
