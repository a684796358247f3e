#include "modules/monitoring/module.h"

#include <boost/json.hpp>

#include <algorithm>
#include <spdlog/spdlog.h>

#include "exchange/registry.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/service.h"
#include "modules/monitoring/alarm_service.h"
#include "modules/monitoring/notices.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/point_service.h"
#include "modules/monitoring/routes.h"
#include "modules/monitoring/share.h"
#include "modules/notification/notifier.h"

namespace anjian::monitoring {
namespace json = boost::json;

namespace {
// A subscription names points or a hazard source; only what the user's scope sees is followed.
Result<std::vector<std::string>> resolve(PointService& points, hazard::Service& hazards, const auth::Principal& who,
                                         const json::object& request) {
  std::vector<std::string> ids;
  for (const auto& kv : request) {
    if (kv.key() == "points" && kv.value().is_array()) {
      if (kv.value().as_array().size() > http::StreamHub::kMaxSubscribed)
        return Error{"too_large", "一次最多订阅 " + std::to_string(http::StreamHub::kMaxSubscribed) + " 个测点", "points"};
      // One query for the whole list (it made one lookup a point, 500 a message).
      PointFilter f;
      for (const auto& v : kv.value().as_array()) {
        if (!v.is_string()) return Error::invalid_field("points", "points 须为测点 id 的数组");
        f.ids.emplace_back(v.as_string());
      }
      std::sort(f.ids.begin(), f.ids.end());
      f.ids.erase(std::unique(f.ids.begin(), f.ids.end()), f.ids.end());
      if (f.ids.empty()) continue;
      f.page_size = http::StreamHub::kMaxSubscribed;
      auto found = points.list(who.scope, f);
      if (!found.ok()) return found.take_error();
      if (found->items.size() != f.ids.size()) return Error{"not_found", "测点不存在或不在您的管辖范围内", "points"};
      for (const auto& p : found->items) ids.push_back(p.id);
    } else if (kv.key() == "hazard_source_id" && kv.value().is_string()) {
      auto h = hazards.get(who.scope, std::string(kv.value().as_string()));
      if (!h.ok()) return Error{"not_found", "重大危险源不存在或不在您的管辖范围内", "hazard_source_id"};
      PointFilter f;
      f.hazard_source_id = h->id;
      f.page_size = http::StreamHub::kMaxSubscribed;
      auto list = points.list(who.scope, f);
      if (!list.ok()) return list.take_error();
      for (const auto& p : list->items) ids.push_back(p.id);
    } else {
      return Error{"unknown_field", "未知字段 subscribe." + std::string(kv.key()), std::string(kv.key())};
    }
  }
  return ids;
}
}  // namespace

Status MonitoringModule::open(modules::Context& ctx) {
  for (auto& t : shared_types(readings_.rollup_retention_ms)) ctx.need<exchange::ShareRegistry>().add(std::move(t));
  auto& audit = ctx.need<audit::AuditLog>();
  auto& points = ctx.provide(std::make_unique<PointService>(ctx.db, ctx.need<enterprise::Service>(), audit));
  auto& pipeline = ctx.provide(std::make_unique<Pipeline>(ctx.db));
  auto& readings = ctx.provide(std::make_unique<ReadingStore>(ctx.db, readings_));
  auto& alarms = ctx.provide(std::make_unique<AlarmService>(ctx.db, audit));
  auto& hub = ctx.hub;
  pipeline.on_reading({[&hub] { return hub.wants_readings(); }, [&hub](const std::string& id) { return hub.follows(id); },
                       [&hub](const std::string& id, const std::string& text) { hub.publish_reading(id, text); }});
  hub.set_resolver([&points, &hazards = ctx.need<hazard::Service>()](const auth::Principal& who, const json::object& request) {
    return resolve(points, hazards, who, request);
  });
  alarms.on_escalate([&hub](const std::string& text, const std::string& region, const std::string& uscc) { hub.publish(text, region, uscc); });
  // The regulator an alarm went up to finds it in its inbox, kept with the escalation.
  alarms.on_escalate_in([&notifier = ctx.need<notification::Notifier>()](db::Connection& tx, const Alarm& alarm) -> Status {
    return notifier.notify_in(tx, escalation_notice(alarm));
  });
  points.on_change([&pipeline](const std::string& uscc) { pipeline.invalidate(uscc, true); });
  // An enterprise moved (or renamed): its live alarms go to its new county from the next reading.
  ctx.bus.subscribe("enterprise.changed", [&pipeline](const Event& e) {
    for (const auto& uscc : enterprises_of(e)) pipeline.invalidate(uscc);
  });
  pipeline.on_alarm([&hub, &bus = ctx.bus](const std::string& text, const std::string& region, const std::string& uscc) {
    hub.publish(text, region, uscc);
    bus.publish({"alarm.changed", json::object{{"enterprise_uscc", uscc}}});
  });
  // The state of the points that were sending before a restart (a crash included) comes back from
  // the log's uncompacted tail.
  ANJIAN_TRY(pipeline.warm_start(now_ms() - readings_.chunk_ms - readings_.settle_ms));

  // Every 5 s: a point silent for 3 periods (10 s by default) is reported within 5 s more, and an
  // alarm unacknowledged too long goes up a level.
  ctx.jobs.every(std::chrono::seconds(5), [&pipeline, &alarms, escalation = escalation_](Millis now) {
    auto n = pipeline.check_offline(now);
    if (!n.ok()) spdlog::error("offline check failed: {}", n.error().message);
    else if (*n > 0) spdlog::info("{} point(s) went offline", *n);
    auto up = alarms.escalate(now, escalation);
    if (!up.ok()) spdlog::error("escalation failed: {}", up.error().message);
    else if (*up > 0) spdlog::warn("{} alarm(s) went to the next level", *up);
  });
  ctx.jobs.every(std::chrono::minutes(1), [&readings](Millis now) {
    auto c = readings.compact(now);
    if (!c.ok()) spdlog::error("compaction failed: {}", c.error().message);
    else if (c->readings > 0)
      spdlog::info("compacted {} readings into {} chunks ({} bytes) and {} rollups", c->readings, c->chunks, c->chunk_bytes, c->rollups);
  });
  ctx.jobs.every(std::chrono::hours(1), [&readings](Millis now) {
    auto r = readings.apply_retention(now);
    if (!r.ok()) spdlog::error("retention failed: {}", r.error().message);
  });
  return {};
}

void MonitoringModule::routes(http::Router& router, modules::Context& ctx) {
  register_routes(router, {ctx.need<PointService>(), ctx.need<Pipeline>(), ctx.need<AlarmService>(), ctx.need<enterprise::Service>(),
                           ctx.need<hazard::Service>(), ctx.need<ReadingStore>()});
}

}  // namespace anjian::monitoring
