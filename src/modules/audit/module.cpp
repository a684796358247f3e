#include "modules/audit/module.h"

#include <spdlog/spdlog.h>

#include "modules/audit/audit_log.h"
#include "modules/audit/routes.h"
#include "modules/enterprise/service.h"

namespace anjian::audit {

Status AuditModule::open(modules::Context& ctx) {
  auto& log = ctx.provide(std::make_unique<AuditLog>(ctx.db));
  auto archive = [&log, settings = archive_](Millis now) {
    auto run = archive_old_records(log, settings, now);
    if (!run.ok()) spdlog::error("audit archive: {}", run.error().message);
    else if (run->files) spdlog::info("audit archive: {} records older than {} days moved to {} files in {}", run->records,
                                      settings.online_days, run->files, settings.dir);
  };
  ctx.jobs.at_start(archive);
  ctx.jobs.every(std::chrono::hours(24), archive);
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
