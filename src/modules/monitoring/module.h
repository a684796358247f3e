#pragma once
// Monitoring's wiring: points, the ingestion pipeline (its state warmed from the log's tail), the
// readings store and alarms; live readings and alarms on the stream (subscriptions resolved within
// the user's scope), alarm.changed on the bus, an escalation notice to the regulator above; jobs:
// the offline check and escalation every 5 s, compaction every minute, retention every hour.
#include "modules/module.h"
#include "modules/monitoring/reading_store.h"

namespace anjian::monitoring {
class MonitoringModule : public modules::Module {
 public:
  MonitoringModule(ReadingSettings readings, Millis escalate_after_ms) : readings_(readings), escalate_after_ms_(escalate_after_ms) {}
  std::string_view name() const override { return "monitoring"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  ReadingSettings readings_;
  Millis escalate_after_ms_;
};
}  // namespace anjian::monitoring
