#pragma once
// Accident statistics as XLSX (事故统计表): GET /api/v1/accidents/stats.xlsx, the same query as
// GET /api/v1/accidents/stats. A module of the document layer: the accident module does not
// depend on it.
#include "modules/module.h"

namespace anjian::docs {
class AccidentReportModule : public modules::Module {
 public:
  std::string_view name() const override { return "accident-report"; }
  Status open(modules::Context&) override { return {}; }
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::docs
