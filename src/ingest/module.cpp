#include "ingest/module.h"

#include "auth/api_keys.h"
#include "ingest/coal_files.h"
#include "ingest/routes.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"

namespace anjian::ingest {

Status IngestModule::open(modules::Context& ctx) {
  coal_ = &ctx.provide(std::make_unique<CoalFiles>(ctx.db, ctx.need<enterprise::Service>(), ctx.need<PointService>(),
                                                   ctx.need<Pipeline>(), ctx.need<audit::AuditLog>()));
  return {};
}

void IngestModule::routes(http::Router& router, modules::Context& ctx) {
  register_routes(router, ctx.need<Pipeline>(), ctx.need<CoalFiles>(), ctx.need<auth::ApiKeys>());
}

Status IngestModule::start(modules::Context& ctx) {
  if (!mqtt_.url.empty()) {
    door_ = &ctx.provide(std::make_unique<MqttDoor>(ctx.need<Pipeline>(), mqtt_));
    ANJIAN_TRY(door_->start());
  }
  if (!coal_dir_.empty()) coal_->watch(coal_dir_);
  return {};
}

void IngestModule::stop() {
  if (door_) door_->stop();
  if (coal_) coal_->stop_watching();
}

}  // namespace anjian::ingest
