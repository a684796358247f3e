#include "modules/audit/module.h"

#include "modules/audit/audit_log.h"
#include "modules/audit/routes.h"
#include "modules/enterprise/service.h"

namespace anjian::audit {

Status AuditModule::open(modules::Context& ctx) {
  ctx.provide(std::make_unique<AuditLog>(ctx.db));
  return {};
}

void AuditModule::routes(http::Router& router, modules::Context& ctx) {
  register_routes(router, ctx.need<AuditLog>(), [&enterprises = ctx.need<enterprise::Service>()](const auth::Scope& scope,
                                                                                                  const std::vector<std::string>& usccs) {
    auto names = enterprises.names(scope, usccs);
    return names.ok() ? std::move(names).value() : std::map<std::string, std::string>{};
  });
}

}  // namespace anjian::audit
