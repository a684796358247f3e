#include "modules/risk/module.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "base/json_text.h"
#include "exchange/registry.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/service.h"
#include "modules/notification/notifier.h"
#include "modules/risk/enterprise_risk.h"
#include "modules/risk/hazard_assessment.h"
#include "modules/risk/notices.h"
#include "modules/risk/risk_point_service.h"
#include "modules/risk/routes.h"
#include "modules/risk/share.h"

namespace anjian::risk {
namespace json = boost::json;

Status RiskModule::open(modules::Context& ctx) {
  auto& enterprises = ctx.need<enterprise::Service>();
  auto& hazards = ctx.need<hazard::Service>();
  auto& assessments = ctx.provide(std::make_unique<HazardAssessments>(ctx.db, hazards));
  auto& points = ctx.provide(std::make_unique<RiskPointService>(ctx.db, enterprises, hazards, ctx.need<audit::AuditLog>(), &ctx.bus));
  for (auto& t : shared_types(ctx.need<exchange::ShareRegistry>())) ctx.need<exchange::ShareRegistry>().add(std::move(t));
  auto& risk = ctx.provide(std::make_unique<EnterpriseRiskService>(ctx.db, enterprises, ctx.regions));
  // Rising to 红 is what the county regulator must not miss: a notice in its inbox, kept in the
  // same transaction as the change (the stream below reaches only those connected).
  risk.on_level_change_in([&notifier = ctx.need<notification::Notifier>()](db::Connection& tx, const LevelChange& ch) -> Status {
    if (ch.score.level != RiskLevel::major) return {};
    return notifier.notify_in(tx, rose_to_red_notice(ch));
  });
  ANJIAN_TRY(risk.load_regions());
  // What feeds an enterprise's risk marks it; the job below recomputes what is marked.
  for (const char* topic : {"enterprise.changed", "hazard_source.changed", "risk_point.changed", "alarm.changed", "hidden_danger.changed", "enforcement.changed",
                          "accident.changed"})
    ctx.bus.subscribe(topic, [&risk](const Event& e) {
      for (const auto& uscc : enterprises_of(e)) risk.mark(uscc);
    });
  risk.on_level_change([&hub = ctx.hub](const LevelChange& ch) {
    auto data = to_json(ch.score);
    data.erase("breakdown");
    data["enterprise_uscc"] = ch.uscc;
    data["enterprise_name"] = ch.enterprise_name;
    data["previous_level"] = ch.previous ? json::value(to_string(*ch.previous)) : json::value(nullptr);
    // Rising to 红 is the one the county regulator must not miss: the console raises it as a notice.
    data["rose_to_red"] = ch.score.level == RiskLevel::major;
    hub.publish(json_text(json::object{{"type", "risk.level_changed"}, {"data", std::move(data)}}), ch.region_code, ch.uscc);
  });
  ctx.bus.subscribe("hazard_source.changed", [&assessments](const Event& e) { assessments.on_changed(e); });
  ctx.bus.subscribe("hidden_danger.major_open", [&points](const Event& e) {
    if (auto s = points.hidden_dangers_changed(e.data); !s.ok())
      spdlog::error("risk points not levelled after a hidden danger changed: {}", s.error().message);
  });

  // At start: scores made by another model version (or none yet) are all recomputed, after the
  // risk points are levelled by the model's cut-offs (a new version may have moved them).
  ctx.jobs.at_start([&risk, &points](Millis) {
    if (auto stale = risk.stale_model(); stale.ok() && *stale) {
      if (auto moved = points.relevel_all(auth::system_principal("risk-model")); !moved.ok())
        spdlog::error("risk points not levelled by model {}: {}", RiskModel::standard().version(), moved.error().message);
      else if (*moved > 0)
        spdlog::info("{} risk point(s) levelled anew by model {}", *moved, RiskModel::standard().version());
      const Millis start = now_ms();
      auto n = risk.recompute_all(start, "model");
      if (!n.ok()) spdlog::error("risk recomputation failed: {}", n.error().message);
      else spdlog::info("risk of {} enterprise(s) computed by model {} in {} ms", *n, RiskModel::standard().version(), now_ms() - start);
    }
    if (auto w = risk.snapshot_week(now_ms()); !w.ok()) spdlog::error("regional risk snapshot failed: {}", w.error().message);
  });
  // Every 5 s the enterprises whose facts changed; every hour all (time-based factors), and the
  // week's regional snapshot.
  ctx.jobs.every(std::chrono::seconds(5), [&risk](Millis now) {
    auto n = risk.recompute_marked(now);
    if (!n.ok()) spdlog::error("risk recomputation failed: {}", n.error().message);
  });
  ctx.jobs.every(std::chrono::hours(1), [&risk](Millis now) {
    auto n = risk.recompute_all(now, "periodic");
    if (!n.ok()) spdlog::error("risk recomputation failed: {}", n.error().message);
    if (auto w = risk.snapshot_week(now); !w.ok()) spdlog::error("regional risk snapshot failed: {}", w.error().message);
  });
  return {};
}

void RiskModule::routes(http::Router& router, modules::Context& ctx) {
  register_calculator_routes(router, RiskModel::standard());
  register_assessment_routes(router, ctx.need<HazardAssessments>());
  register_risk_point_routes(router, ctx.need<RiskPointService>());
  register_enterprise_risk_routes(router, ctx.need<EnterpriseRiskService>(), ctx.need<audit::AuditLog>());
}

}  // namespace anjian::risk
