#pragma once
// The risk inventory (风险清单) as an XLSX table: GET /api/v1/enterprises/{uscc}/risk-inventory.xlsx.
// A module of the document layer (docs/): the risk module does not depend on it, it depends on
// the risk module.
#include "modules/module.h"

namespace anjian::docs {
class RiskInventoryModule : public modules::Module {
 public:
  std::string_view name() const override { return "risk-inventory"; }
  Status open(modules::Context&) override { return {}; }
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::docs
