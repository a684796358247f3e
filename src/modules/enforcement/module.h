#pragma once
// Enforcement's wiring (执法, issue 15 — built so far: the inspectors' registry, 双随机 draws,
// inspection tasks and records, measures with their 复查, penalty cases and the documents they
// issue): tables (migrations 26, 27), services, routes, and the bus event that re-scores an
// enterprise's risk when an inspection or a penalty decision lands.
#include "modules/enforcement/settings.h"
#include "modules/module.h"

namespace anjian::enforcement {
class EnforcementModule : public modules::Module {
 public:
  explicit EnforcementModule(Settings settings = {}) : settings_(settings) {}
  std::string_view name() const override { return "enforcement"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  Settings settings_;
};
}  // namespace anjian::enforcement
