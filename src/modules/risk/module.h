#pragma once
// Risk's wiring: GB 18218 assessments of hazard sources, risk points, every enterprise's dynamic
// score and regional risk. What feeds a score (enterprise, hazard source, risk point and alarm
// changes on the bus) marks the enterprise; a job recomputes the marked every 5 s and all every
// hour; a rise to 红 is a notice to the county regulator (in the level change's transaction) and a
// message on the stream.
#include "modules/module.h"

namespace anjian::risk {
class RiskModule : public modules::Module {
 public:
  std::string_view name() const override { return "risk"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::risk
