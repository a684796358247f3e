#pragma once
// The registry's wiring: enterprise::Service (it announces enterprise.changed on the bus after
// each write) and the /enterprises routes.
#include "modules/enterprise/model.h"
#include "modules/module.h"

namespace anjian::enterprise {
class EnterpriseModule : public modules::Module {
 public:
  explicit EnterpriseModule(EnterpriseOptions options) : options_(options) {}
  std::string_view name() const override { return "enterprise"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  EnterpriseOptions options_;
};
}  // namespace anjian::enterprise
