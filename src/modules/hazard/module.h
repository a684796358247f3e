#pragma once
// Major hazard sources' wiring: hazard::Service (hazard_source.changed on the bus) and routes.
#include "modules/module.h"

namespace anjian::hazard {
class HazardModule : public modules::Module {
 public:
  std::string_view name() const override { return "hazard"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::hazard
