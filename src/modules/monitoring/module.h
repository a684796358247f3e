#pragma once
// Monitoring's wiring: points, the ingestion pipeline (its state warmed from the log's tail), the
// readings store and alarms; live readings and alarms on the stream (subscriptions resolved within
// the user's scope), alarm.changed on the bus, an escalation notice to the regulator above; jobs:
// the offline check and escalation every 5 s, compaction every minute, retention every hour.
#include "modules/module.h"
#include "modules/monitoring/escalation.h"
#include "modules/monitoring/reading_store.h"

namespace anjian::monitoring {
class MonitoringModule : public modules::Module {
 public:
  MonitoringModule(ReadingSettings readings, EscalationSettings escalation) : readings_(readings), escalation_(escalation) {}
  std::string_view name() const override { return "monitoring"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  ReadingSettings readings_;
  EscalationSettings escalation_;
};
}  // namespace anjian::monitoring
