#pragma once
// Enforcement's wiring (执法, issue 15 — built so far: 双随机 draws): their table (migration 26),
// the draw service and the routes of the public contract (POST /api/v1/draws, …/verify, …/record).
#include "modules/module.h"

namespace anjian::enforcement {
class EnforcementModule : public modules::Module {
 public:
  std::string_view name() const override { return "enforcement"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::enforcement
