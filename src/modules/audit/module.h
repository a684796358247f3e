#pragma once
// The audit log's wiring: the hash-chained log every other module records into, and GET /audit.
#include "modules/module.h"

namespace anjian::audit {
class AuditModule : public modules::Module {
 public:
  std::string_view name() const override { return "audit"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::audit
