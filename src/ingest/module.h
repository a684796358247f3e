#pragma once
// The doors' wiring: readings over HTTP with an API key, coal-mine networking files (uploaded or
// dropped into a watched folder) and, when configured, the MQTT subscriber — started when the
// server listens and stopped first when it stops.
#include "ingest/mqtt_door.h"
#include "modules/module.h"

namespace anjian::ingest {
class IngestModule : public modules::Module {
 public:
  IngestModule(MqttOptions mqtt, std::string coal_dir) : mqtt_(std::move(mqtt)), coal_dir_(std::move(coal_dir)) {}
  std::string_view name() const override { return "ingest"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
  Status start(modules::Context& ctx) override;
  void stop() override;

 private:
  MqttOptions mqtt_;
  std::string coal_dir_;
  MqttDoor* door_ = nullptr;
  class CoalFiles* coal_ = nullptr;
};
}  // namespace anjian::ingest
