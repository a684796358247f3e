#include "modules/identity/module.h"

#include <spdlog/spdlog.h>

#include "auth/api_keys.h"
#include "auth/personal_data.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"
#include "modules/identity/routes.h"

namespace anjian::identity {

Status IdentityModule::open(modules::Context& ctx) {
  auto& audit = ctx.need<audit::AuditLog>();
  auto& identity = ctx.provide(std::make_unique<auth::Identity>(ctx.db, ctx.regions, audit, security_));
  ctx.provide(std::make_unique<auth::ApiKeys>(ctx.db, audit));
  // The authenticator secrets are sealed as personal data is (a copy of the database opens no account).
  auth::PersonalData::instance().add_column({"user_second_factors", "user_id", "secret"});
  // Accounts nobody uses are an open door (等保 8.1.4.2 c): disabled after the set number of days.
  auto stale = [&identity](Millis now) {
    auto n = identity.disable_stale_accounts(now);
    if (!n.ok()) spdlog::warn("stale accounts: {}", n.error().message);
    else if (*n) spdlog::info("{} accounts unused for long disabled", *n);
  };
  ctx.jobs.at_start(stale);
  ctx.jobs.every(std::chrono::hours(24), stale);
  return {};
}

void IdentityModule::routes(http::Router& router, modules::Context& ctx) {
  register_routes(router, ctx.need<auth::Identity>(), ctx.need<auth::ApiKeys>(), ctx.need<enterprise::Service>());
}

}  // namespace anjian::identity
