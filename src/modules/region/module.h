#pragma once
// Regions' wiring: the GB/T 2260 tree (loaded by the App before any module) and /regions.
#include "modules/module.h"

namespace anjian::region {
class RegionModule : public modules::Module {
 public:
  std::string_view name() const override { return "region"; }
  Status open(modules::Context&) override { return {}; }
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::region
