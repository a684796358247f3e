#include "modules/notification/module.h"

#include "modules/notification/notifier.h"
#include "modules/notification/routes.h"

namespace anjian::notification {

Status NotificationModule::open(modules::Context& ctx) {
  auto& inbox = ctx.provide(std::make_unique<NotificationService>(ctx.db));
  ctx.provide(std::make_unique<Notifier>(inbox, ctx.need<auth::Identity>()));
  return {};
}

void NotificationModule::routes(http::Router& router, modules::Context& ctx) {
  register_routes(router, ctx.need<NotificationService>());
}

}  // namespace anjian::notification
