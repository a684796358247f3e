#pragma once
// Notifications' wiring: the inbox (NotificationService), the Notifier other modules send through,
// and the /notifications routes.
#include "modules/module.h"

namespace anjian::notification {
class NotificationModule : public modules::Module {
 public:
  std::string_view name() const override { return "notification"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::notification
