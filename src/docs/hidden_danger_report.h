#pragma once
// The quarterly and yearly hidden-danger report (隐患排查治理情况统计, DOMAIN.md §5) as XLSX:
// GET /api/v1/hidden-dangers/report.xlsx. A module of the document layer: the hidden-danger module
// does not depend on it.
#include "modules/module.h"

namespace anjian::docs {
class HiddenDangerReportModule : public modules::Module {
 public:
  std::string_view name() const override { return "hidden-danger-report"; }
  Status open(modules::Context&) override { return {}; }
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::docs
