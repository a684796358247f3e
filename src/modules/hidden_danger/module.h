#pragma once
// Hidden dangers' wiring (隐患排查治理): their tables (migration 21), the lifecycle service, the
// routes of the public contract, and each change on the bus (hidden_danger.changed, for the risk
// model) and the stream (hidden_danger.changed to the users in scope); the overdue check at start and
// every hour.
#include "modules/module.h"

namespace anjian::hidden_danger {
class HiddenDangerModule : public modules::Module {
 public:
  // A 一般 rectification overdue this long goes to the county regulator too ([hidden_dangers] report_overdue_general_days).
  explicit HiddenDangerModule(Millis report_general_after = 7 * 86'400'000LL) : report_general_after_(report_general_after) {}
  std::string_view name() const override { return "hidden_danger"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  Millis report_general_after_;
};
}  // namespace anjian::hidden_danger
