#pragma once
// Emergency's wiring (应急, issue 16 §2–4 — built so far: the rescue resources and the nearest of
// them to a place): the table (migration 32), the in-memory index loaded at start, the routes.
#include "modules/emergency/resources.h"
#include "modules/module.h"

namespace anjian::emergency {
class EmergencyModule : public modules::Module {
 public:
  explicit EmergencyModule(Settings settings = {}) : settings_(std::move(settings)) {}
  std::string_view name() const override { return "emergency"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  Settings settings_;
};
}  // namespace anjian::emergency
