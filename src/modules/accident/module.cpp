#include "modules/accident/module.h"

#include "auth/personal_data.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/json_text.h"
#include "http/params.h"
#include "modules/accident/investigation.h"
#include "modules/accident/kind_rules.h"
#include "modules/accident/service.h"
#include "modules/accident/stats.h"
#include "modules/audit/audit_log.h"
#include "modules/notification/notifier.h"

namespace anjian::accident {
namespace json = boost::json;
using http::Request;
using http::Response;

Status AccidentModule::open(modules::Context& ctx) {
  auth::PersonalData::instance().add_column({"accidents", "id", "reporter_phone"});  // sealed at rest
  auto& service = ctx.provide(std::make_unique<AccidentService>(ctx.db, ctx.regions, ctx.need<auth::Identity>(), ctx.need<enterprise::Service>(),
                                                                ctx.need<notification::Notifier>(), ctx.need<audit::AuditLog>(), auto_forward_));
  // Every duty room in scope of the place learns of it at once; those whose level has it and has
  // not taken it ring (`ringing`). The enterprise's risk counts its accidents.
  ctx.need<exchange::ShareRegistry>().add(service.shared_type());
  service.on_change([&hub = ctx.hub, &bus = ctx.bus](const Accident& a, std::string_view what) {
    json::object data = to_json(a, now_ms(), false);
    data["change"] = what;
    hub.publish(json_text(json::object{{"type", "accident.changed"}, {"data", std::move(data)}}), a.region_code, a.enterprise_uscc);
    if (!a.enterprise_uscc.empty()) bus.publish({"accident.changed", json::object{{"enterprise_uscc", a.enterprise_uscc}, {"accident_id", a.id}}});
    // Reports received and sent just now, for the duty logs of those levels.
    if (what == "reported" || what == "forwarded" || what == "regraded") {
      Millis last = 0;
      for (const auto& h : a.hops) last = std::max({last, h.received_at.value_or(0), h.forwarded_at.value_or(0)});
      json::array received, sent;
      for (const auto& h : a.hops) {
        if (h.received_at == last) received.push_back(json::value(h.region_code));
        if (h.forwarded_at == last) sent.push_back(json::value(h.region_code));
      }
      const auto kind = find_kind(a.kind);
      bus.publish({"accident.relayed", json::object{{"accident_id", a.id}, {"received", std::move(received)}, {"sent", std::move(sent)},
                                                    {"title", a.party_name + (kind ? kind->name : std::string()) + "事故（" + std::string(grade_label(a.grade)) +
                                                                  "，死亡 " + std::to_string(a.casualties.deaths) + " 人）"}}});
    }
  });
  ctx.provide(std::make_unique<InvestigationService>(ctx.db, service, ctx.need<files::FileService>(), ctx.need<audit::AuditLog>()));
  ctx.provide(std::make_unique<StatsService>(ctx.db, ctx.regions, ctx.need<enterprise::Service>()));
  return {};
}

namespace {
Response accident_response(const Result<Accident>& a, unsigned status = 200) {
  if (!a.ok()) return Response::error(a.error());
  return Response::json(to_json(*a, now_ms(), true), status).with_header("ETag", http::etag(a->version));
}
}  // namespace

void AccidentModule::routes(http::Router& router, modules::Context& ctx) {
  auto& service = ctx.need<AccidentService>();

  // The contract's calculator: no record is kept.
  router.post("/api/v1/accidents/grade", [](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    Casualties c;
    auto g = AccidentService::grade_of(*body, c);
    if (!g.ok()) return Response::error(g.error());
    return Response::json(json::object{{"grade", to_string(g->grade)},
                                       {"grade_label", grade_label(g->grade)},
                                       {"criterion", g->criterion},
                                       {"provisional", g->provisional},
                                       {"larger_endangerment", g->larger_endangerment},
                                       {"reported_as", to_string(reporting_grade(*g))},
                                       {"reason", grade_reason(c, *g)}});
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/accident-kinds", [](Request&) {
    json::array items;
    for (const auto& k : accident_kinds()) items.push_back(json::object{{"code", k.code}, {"name", k.name}});
    return Response::json(json::object{{"items", std::move(items)}, {"standard", "GB 6441-1986"}});
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/accidents", [&service](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto made = service.report(req.who(), *body, req.remote);
    if (!made.ok()) return Response::error(made.error());
    return accident_response(service.get(req.who(), made->id), 201);
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/accidents", [&service](Request& req) {
    auto paging = http::paging(req, 50);
    if (!paging.ok()) return Response::error(paging.error());
    Filter f;
    f.page = paging->page;
    f.page_size = paging->page_size;
    f.region_code = req.query_param("region_code");
    f.enterprise_uscc = req.query_param("enterprise_uscc");
    auto grade = http::enum_param(req, "grade", {"general", "larger", "major", "extraordinary"});
    if (!grade.ok()) return Response::error(grade.error());
    f.grade = *grade;
    auto from = http::instant_param(req, "from");
    if (!from.ok()) return Response::error(from.error());
    auto to = http::instant_param(req, "to");
    if (!to.ok()) return Response::error(to.error());
    f.from = *from;
    f.to = *to;
    auto pending = http::enum_param(req, "pending", {"true", "false"});
    if (!pending.ok()) return Response::error(pending.error());
    f.pending = *pending == "true";
    auto page = service.list(req.who(), f);
    if (!page.ok()) return Response::error(page.error());
    const Millis now = now_ms();
    json::array items;
    for (const auto& a : page->items) items.push_back(to_json(a, now, false));
    return Response::json(json::object{{"items", std::move(items)}, {"total", page->total}, {"page", f.page}, {"page_size", f.page_size}});
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/accidents/late-hops", [&service](Request& req) {
    auto from = http::instant_param(req, "from");
    if (!from.ok()) return Response::error(from.error());
    auto to = http::instant_param(req, "to");
    if (!to.ok()) return Response::error(to.error());
    return http::respond(service.late_hops(req.who(), *from, *to), [](const std::vector<AccidentService::HopTally>& list) {
      json::array items;
      for (const auto& t : list)
        items.push_back(json::object{{"region_code", t.region_code}, {"org_name", t.org_name}, {"level", to_string(t.level)},
                                     {"level_label", level_label(t.level)}, {"hops", t.hops}, {"late", t.late}});
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  auto& stats = ctx.need<StatsService>();
  router.get("/api/v1/accidents/stats", [&stats](Request& req) {
    auto q = stats_query(req);
    if (!q.ok()) return Response::error(q.error());
    return http::respond(stats.compute(req.who(), *q), [](const Stats& s) { return to_json(s); });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/accidents/{id}", [&service](Request& req) { return accident_response(service.get(req.who(), req.param("id"))); },
             {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/accidents/{id}/acknowledge", [&service](Request& req) {
    return accident_response(service.acknowledge(req.who(), req.param("id"), req.remote));
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/accidents/{id}/forward", [&service](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return accident_response(service.forward(req.who(), req.param("id"), *body, req.remote));
  }, {.permission = auth::Action::enterprise_read});

  auto& investigations = ctx.need<InvestigationService>();
  router.get("/api/v1/accidents/{id}/investigation", [&service, &investigations](Request& req) {
    auto i = investigations.get(req.who(), req.param("id"));
    if (!i.ok()) return Response::error(i.error());
    if (!*i) return Response::json(json::object{{"investigation", nullptr}});
    auto a = service.get(req.who(), req.param("id"));
    if (!a.ok()) return Response::error(a.error());
    return Response::json(json::object{{"investigation", to_json(**i, *a, now_ms())}});
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/accidents/{id}/investigation/{action}", [&service, &investigations](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto i = investigations.act(req.who(), req.param("id"), req.param("action"), *body, req.remote);
    if (!i.ok()) return Response::error(i.error());
    auto a = service.get(req.who(), req.param("id"));
    if (!a.ok()) return Response::error(a.error());
    return Response::json(json::object{{"investigation", to_json(*i, *a, now_ms())}});
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/accidents/{id}/updates", [&service](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return accident_response(service.update(req.who(), req.param("id"), *body, req.remote), 201);
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::accident
