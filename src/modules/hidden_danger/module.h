#pragma once
// Hidden dangers' wiring (隐患排查治理): their tables (migration 21), the lifecycle service, the
// routes of the public contract, and each change on the bus (hidden_danger.changed, for the risk
// model) and the stream (hidden_danger.changed to the users in scope).
#include "modules/module.h"

namespace anjian::hidden_danger {
class HiddenDangerModule : public modules::Module {
 public:
  std::string_view name() const override { return "hidden_danger"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::hidden_danger
