#pragma once
// Accidents' wiring (事故信息报送, issue 16 §1): the reports and their chain (migration 31), the
// routes, and what a report changes elsewhere — the stream that rings the duty rooms, and the
// bus event that re-scores the enterprise's risk (accidents_3y, fatal_accident_1y).
#include "modules/module.h"

namespace anjian::accident {
class AccidentModule : public modules::Module {
 public:
  // auto_forward: a level that receives a report sends it on at once ([accidents] auto_forward).
  explicit AccidentModule(bool auto_forward = false) : auto_forward_(auto_forward) {}
  std::string_view name() const override { return "accident"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  bool auto_forward_;
};
}  // namespace anjian::accident
