#pragma once
// Enforcement's wiring (执法, issue 15 — built so far: the inspectors' registry and 双随机 draws):
// their tables (migration 26), the services and the routes (the contract's POST /api/v1/draws,
// …/verify, …/record; /api/v1/inspectors).
#include "modules/module.h"

namespace anjian::enforcement {
class EnforcementModule : public modules::Module {
 public:
  std::string_view name() const override { return "enforcement"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::enforcement
