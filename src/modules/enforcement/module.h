#pragma once
// Enforcement's wiring (执法, issue 15 — built so far: the inspectors' registry, 双随机 draws,
// inspection tasks and records, measures with their 复查, penalty cases and the documents they
// issue): tables (migrations 26, 27), services, routes, and the bus event that re-scores an
// enterprise's risk when an inspection or a penalty decision lands.
#include "modules/module.h"

namespace anjian::enforcement {
class EnforcementModule : public modules::Module {
 public:
  // recheck_days: a measure's 复查 is due this many days after its deadline ([enforcement] recheck_days).
  // double_random_share: the share of a plan to be drawn 双随机, in percent ([enforcement] double_random_share).
  explicit EnforcementModule(int recheck_days = 10, int double_random_share = 70)
      : recheck_days_(recheck_days), double_random_share_(double_random_share) {}
  std::string_view name() const override { return "enforcement"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  int recheck_days_;
  int double_random_share_;
};
}  // namespace anjian::enforcement
