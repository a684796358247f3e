#pragma once
// The audit log's wiring: the hash-chained log every other module records into, GET /audit, and
// the daily move of records past the online window into signed archive files.
#include "modules/audit/archive.h"
#include "modules/module.h"

namespace anjian::audit {
class AuditModule : public modules::Module {
 public:
  explicit AuditModule(ArchiveSettings archive) : archive_(std::move(archive)) {}
  std::string_view name() const override { return "audit"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  ArchiveSettings archive_;
};
}  // namespace anjian::audit
