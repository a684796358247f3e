#include "modules/enforcement/module.h"

#include "auth/personal_data.h"

#include <boost/json.hpp>

#include "exchange/registry.h"
#include "http/params.h"
#include "modules/audit/audit_log.h"
#include "modules/enforcement/draw_service.h"
#include "modules/enforcement/inspection_items.h"
#include "modules/enforcement/inspectors.h"
#include "modules/enforcement/routes.h"
#include "modules/enforcement/share.h"
#include "modules/enforcement/target_lists.h"
#include "modules/hidden_danger/checklists.h"
#include "modules/hidden_danger/service.h"

namespace anjian::enforcement {
namespace json = boost::json;
using http::Request;
using http::Response;

Status EnforcementModule::open(modules::Context& ctx) {
  // Sealed at rest: the names and phones of the people present at an inspection.
  auth::PersonalData::instance().add_column({"inspections", "id", "present"});
  for (auto& t : shared_types()) ctx.need<exchange::ShareRegistry>().add(std::move(t));
  auto& registry = ctx.provide(std::make_unique<InspectorRegistry>(ctx.db, ctx.need<auth::Identity>(), ctx.need<audit::AuditLog>()));
  ctx.provide(std::make_unique<DrawService>(ctx.db, ctx.regions, ctx.need<auth::Identity>(), ctx.need<enterprise::Service>(),
                                            ctx.need<risk::EnterpriseRiskService>(), registry, ctx.need<audit::AuditLog>()));
  auto& audit = ctx.need<audit::AuditLog>();
  auto& enterprises = ctx.need<enterprise::Service>();
  auto& documents = ctx.provide(std::make_unique<DocumentService>(ctx.db, ctx.regions, audit));
  auto& tasks = ctx.provide(std::make_unique<TaskService>(ctx.db, ctx.regions, enterprises, registry, audit));
  auto& measures = ctx.provide(std::make_unique<MeasureService>(ctx.db, tasks, documents, enterprises, audit, settings_.recheck_days));
  ctx.provide(std::make_unique<InspectionService>(ctx.db, tasks, measures, documents, enterprises, ctx.need<hidden_danger::ChecklistService>(),
                                                  ctx.need<hidden_danger::Service>(), audit));
  ctx.provide(std::make_unique<PublicationService>(ctx.db, audit));
  auto& lists = ctx.provide(std::make_unique<TargetListService>(ctx.db, ctx.regions, ctx.need<DrawService>(), audit));
  ctx.need<DrawService>().use_target_lists(lists);
  auto& items = ctx.provide(std::make_unique<InspectionItemService>(ctx.db, ctx.regions, audit));
  ctx.need<DrawService>().use_inspection_items(items);
  auto& plans = ctx.provide(std::make_unique<PlanService>(ctx.db, ctx.regions, enterprises, tasks, audit, settings_.double_random_share));
  plans.use_inspection_items(items);
  auto& cases = ctx.provide(std::make_unique<CaseService>(ctx.db, documents, enterprises, audit, settings_));
  // A penalty decided (or revoked) moves the enterprise's risk (penalties_12m).
  cases.on_change([&bus = ctx.bus](const Case& c, std::string_view action) {
    bus.publish({"enforcement.changed", json::object{{"enterprise_uscc", c.enterprise_uscc}, {"case_id", c.id}, {"action", action}}});
  });
  return {};
}

void EnforcementModule::routes(http::Router& router, modules::Context& ctx) {
  add_inspection_routes(router, ctx.need<TaskService>(), ctx.need<InspectionService>(), ctx.need<MeasureService>(),
                        ctx.need<hidden_danger::ChecklistService>(), ctx.need<hidden_danger::Service>(), ctx.need<enterprise::Service>());
  add_case_routes(router, ctx.need<CaseService>(), ctx.need<DocumentService>());
  add_publication_routes(router, ctx.need<PublicationService>());
  add_plan_routes(router, ctx.need<PlanService>());
  add_target_list_routes(router, ctx.need<TargetListService>());
  add_inspection_item_routes(router, ctx.need<InspectionItemService>());
  auto& draws = ctx.need<DrawService>();
  auto& registry = ctx.need<InspectorRegistry>();
  router.get("/api/v1/inspectors", [&registry](Request& req) {
    return http::respond(registry.list(req.who()), [](const std::vector<Inspector>& list) {
      json::array items;
      for (const auto& i : list) items.push_back(to_json(i));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/inspectors/{id}", [&registry](Request& req) {
    return http::respond(registry.get(req.who(), req.param("id")), [](const Inspector& i) { return to_json(i); });
  }, {.permission = auth::Action::enterprise_read});
  router.put("/api/v1/inspectors/{id}", [&registry](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(registry.put(req.who(), req.param("id"), *body, req.remote), [](const Inspector& i) { return to_json(i); });
  }, {.permission = auth::Action::enterprise_create});
  router.post("/api/v1/inspectors/{id}/conflicts", [&registry](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(registry.declare_conflict(req.who(), req.param("id"), *body, req.remote),
                         [](const Inspector& i) { return to_json(i); }, 201);
  }, {.permission = auth::Action::enterprise_create});

  router.post("/api/v1/draws", [&draws](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(draws.create(req.who(), *body, req.remote), [](const Draw& d) { return to_json(d); }, 201);
  }, {.permission = auth::Action::enterprise_create});

  router.get("/api/v1/draws", [&draws](Request& req) {
    return http::respond(draws.list(req.who(), 200), [](const std::vector<Draw>& list) {
      json::array items;
      for (const auto& d : list) items.push_back(to_json(d));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/draws/{id}", [&draws](Request& req) {
    return http::respond(draws.get(req.who(), req.param("id")), [](const Draw& d) { return to_json(d); });
  }, {.permission = auth::Action::enterprise_read});

  // The self-contained record: what `anjian draw verify FILE.json` checks.
  router.get("/api/v1/draws/{id}/record", [&draws](Request& req) {
    auto d = draws.get(req.who(), req.param("id"));
    if (!d.ok()) return Response::error(d.error());
    return Response::json(to_json(d->record))
        .with_header("Content-Disposition", "attachment; filename=\"draw-" + d->id + ".json\"");
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/draws/{id}/verify", [&draws](Request& req) {
    auto d = draws.get(req.who(), req.param("id"));
    if (!d.ok()) return Response::error(d.error());
    const std::string differs = verify(d->record);
    json::object out{{"matches", differs.empty()}};
    if (!differs.empty()) out["differs"] = differs;
    return Response::json(out);
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::enforcement
