#include "modules/hidden_danger/module.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <tuple>

#include "base/json_text.h"
#include "exchange/registry.h"
#include "files/service.h"
#include "modules/audit/audit_log.h"
#include "modules/hidden_danger/routes.h"
#include "modules/hidden_danger/service.h"
#include "modules/hidden_danger/share.h"
#include "modules/hidden_danger/tally.h"

namespace anjian::hidden_danger {
namespace json = boost::json;

namespace {
// The tally is derived: a database whose records were loaded without it (an upgrade from before
// it, a bulk load) gets it counted at start.
Status heal_tally(db::Database& db) {
  auto r = db.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query_one("SELECT (SELECT COUNT(*) FROM hidden_danger_tally), (SELECT COUNT(*) FROM hidden_dangers)");
  if (!rows.ok()) return rows.take_error();
  if (rows->i64(0) > 0 || rows->i64(1) == 0) return {};
  auto done = db::with_transaction(db, [](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(tally_rebuild(c));
    return true;
  });
  if (!done.ok()) return done.take_error();
  spdlog::info("counted the hidden-danger tally of {} record(s)", rows->i64(1));
  return {};
}
}  // namespace

Status HiddenDangerModule::open(modules::Context& ctx) {
  for (auto& t : shared_types()) ctx.need<exchange::ShareRegistry>().add(std::move(t));
  auto& service = ctx.provide(std::make_unique<Service>(
      ctx.db, ctx.regions, ctx.need<auth::Identity>(), ctx.need<enterprise::Service>(), ctx.need<risk::RiskPointService>(), ctx.need<hazard::Service>(),
      ctx.need<files::FileService>(), ctx.need<notification::Notifier>(), ctx.need<audit::AuditLog>()));
  service.on_change([&bus = ctx.bus, &hub = ctx.hub, &service](const HiddenDanger& h, std::string_view action) {
    bus.publish({"hidden_danger.changed", json::object{{"enterprise_uscc", h.enterprise_uscc}, {"id", h.id}, {"action", action}}});
    // The risk point or hazard source it belongs to is 红 while a 重大 one is unrectified (DOMAIN.md
    // §4): the risk module is told how many there are now.
    if (h.risk_point_id || h.hazard_source_id) {
      json::object fact{{"enterprise_uscc", h.enterprise_uscc}};
      for (auto [column, id, key] : {std::tuple{"risk_point_id", &h.risk_point_id, "risk_point_open_major"},
                                     std::tuple{"hazard_source_id", &h.hazard_source_id, "hazard_source_open_major"}}) {
        if (!*id) continue;
        auto n = service.open_major(column, **id);
        if (!n.ok()) {
          spdlog::error("hidden dangers of {} not counted: {}", **id, n.error().message);
          continue;
        }
        fact[column] = **id;
        fact[key] = *n;
      }
      bus.publish({"hidden_danger.major_open", std::move(fact)});
    }
    hub.publish(json_text(json::object{{"type", "hidden_danger.changed"},
                                       {"data", {{"id", h.id}, {"enterprise_uscc", h.enterprise_uscc}, {"enterprise_name", h.enterprise_name},
                                                 {"region_code", h.region_code}, {"grade", h.grade}, {"state", h.state},
                                                 {"action", action}, {"description", h.description}}}}),
                h.region_code, h.enterprise_uscc);
  });
  auto overdue = [&service, after = report_general_after_](Millis now) {
    auto n = service.flag_overdue(now, after);
    if (!n.ok()) spdlog::error("overdue check of hidden dangers failed: {}", n.error().message);
    else if (*n > 0) spdlog::info("{} notice(s) of overdue rectifications", *n);
  };
  auto& checklists = ctx.provide(std::make_unique<ChecklistService>(ctx.db, ctx.regions, ctx.need<audit::AuditLog>()));
  ANJIAN_TRY(checklists.install_builtins());
  ctx.provide(std::make_unique<SelfInspectionService>(ctx.db, ctx.regions, ctx.need<enterprise::Service>(), checklists, service,
                                                      ctx.need<audit::AuditLog>()));
  ctx.provide(std::make_unique<StatsService>(ctx.db, ctx.regions, ctx.need<enterprise::Service>()));
  ANJIAN_TRY(heal_tally(ctx.db));
  // An enterprise moved to another county or changed its industry: its hidden dangers follow.
  ctx.bus.subscribe("enterprise.changed", [&service](const anjian::Event& e) {
    if (auto s = service.follow_enterprises(enterprises_of(e)); !s.ok())
      spdlog::error("hidden dangers did not follow their enterprise: {}", s.error().message);
  });
  ctx.jobs.at_start(overdue);
  ctx.jobs.every(std::chrono::hours(1), overdue);
  return {};
}

void HiddenDangerModule::routes(http::Router& router, modules::Context& ctx) {
  add_hidden_danger_routes(router, ctx.need<Service>(), ctx.need<StatsService>(), ctx.db, ctx.need<audit::AuditLog>());
  add_checklist_routes(router, ctx.need<ChecklistService>(), ctx.need<SelfInspectionService>());
}

}  // namespace anjian::hidden_danger
