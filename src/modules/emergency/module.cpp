#include "modules/emergency/module.h"

#include "auth/personal_data.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "base/json_text.h"
#include "files/service.h"
#include "http/params.h"
#include "modules/audit/audit_log.h"
#include "modules/emergency/command_view.h"
#include "modules/emergency/duty.h"
#include "modules/emergency/incident.h"
#include "modules/emergency/plans.h"
#include "modules/emergency/resource_import.h"

namespace anjian::emergency {
namespace json = boost::json;
using http::Request;
using http::Response;

Status EmergencyModule::open(modules::Context& ctx) {
  // Sealed at rest: rescue contacts' and duty officers' phones.
  auth::PersonalData::instance().add_column({"emergency_resources", "id", "contact_phone"});
  auth::PersonalData::instance().add_column({"duty_shifts", "id", "phone"});
  auto& resources = ctx.provide(std::make_unique<ResourceService>(ctx.db, ctx.regions, ctx.need<audit::AuditLog>(), settings_));
  auto& duty = ctx.provide(std::make_unique<DutyService>(ctx.db, ctx.regions, ctx.need<auth::Identity>(), ctx.need<audit::AuditLog>()));
  // The accident chain writes the duty logs of the levels it passes (接报, 上报).
  ctx.bus.subscribe("accident.relayed", [&duty](const Event& e) {
    const std::string id(e.data.at("accident_id").as_string()), title(e.data.at("title").as_string());
    for (const auto& r : e.data.at("received").as_array())
      if (auto s = duty.record_report(std::string(r.as_string()), "report_in", "接报：" + title, id); !s.ok())
        spdlog::warn("duty log of {}: {}", std::string(r.as_string()), s.error().message);
    for (const auto& r : e.data.at("sent").as_array())
      if (auto s = duty.record_report(std::string(r.as_string()), "report_out", "上报：" + title, id); !s.ok())
        spdlog::warn("duty log of {}: {}", std::string(r.as_string()), s.error().message);
  });
  auto& audit = ctx.need<audit::AuditLog>();
  ctx.provide(std::make_unique<PlanService>(ctx.db, ctx.regions, ctx.need<enterprise::Service>(), ctx.need<files::FileService>(), audit));
  auto& incidents = ctx.provide(std::make_unique<IncidentService>(ctx.db, ctx.regions, ctx.need<accident::AccidentService>(),
                                                                  ctx.need<monitoring::AlarmService>(), ctx.need<enterprise::Service>(), resources,
                                                                  audit));
  // Everyone in scope of the place sees the response change at once (the command view redraws).
  incidents.on_change([&hub = ctx.hub](const Incident& i, std::string_view what) {
    json::object data = to_json(i, true);
    data["change"] = what;
    hub.publish(json_text(json::object{{"type", "incident.changed"}, {"data", std::move(data)}}), i.region_code, "");
  });
  return resources.load();
}

namespace {
Response incident_response(const Result<Incident>& i, unsigned status = 200) {
  if (!i.ok()) return Response::error(i.error());
  return Response::json(to_json(*i, true), status).with_header("ETag", http::etag(i->version));
}

Response plan_response(const Result<Plan>& p, unsigned status = 200) {
  if (!p.ok()) return Response::error(p.error());
  return Response::json(to_json(*p, today_shanghai(now_ms())), status).with_header("ETag", http::etag(p->version));
}

Response resource_response(const Result<Resource>& r, unsigned status = 200) {
  if (!r.ok()) return Response::error(r.error());
  return Response::json(to_json(*r), status).with_header("ETag", http::etag(r->version));
}

// A number from the query string within bounds; absent → nullopt.
Result<std::optional<double>> number_param(const Request& req, const std::string& name, double min, double max, bool required) {
  auto v = req.query_param(name);
  if (!v) {
    if (required) return Error::invalid_field(name, "缺少参数 " + name);
    return std::optional<double>();
  }
  char* end = nullptr;
  const double d = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || !std::isfinite(d) || d < min || d > max)
    return Error::invalid_field(name, name + " 须为 " + std::to_string(static_cast<long long>(min)) + " 至 " + std::to_string(static_cast<long long>(max)) + " 的数");
  return std::optional<double>(d);
}
}  // namespace

void EmergencyModule::routes(http::Router& router, modules::Context& ctx) {
  auto& resources = ctx.need<ResourceService>();

  router.post("/api/v1/emergency/resources", [&resources](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return resource_response(resources.create(req.who(), *body, req.remote), 201);
  }, {.permission = auth::Action::enterprise_read});

  // 应急资源台账 from a table: ?dry_run=true checks only; ?all_or_nothing=true keeps none when a row is bad.
  router.post("/api/v1/emergency/resources/import", [&resources, &db = ctx.db, &audit = ctx.need<audit::AuditLog>()](Request& req) {
    ImportOptions opt;
    opt.dry_run = req.query_param("dry_run").value_or("false") == "true";
    opt.all_or_nothing = req.query_param("all_or_nothing").value_or("false") == "true";
    auto body = http::upload_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(import_resources(resources, db, audit, req.who(), *body, opt, req.remote), [](const ImportReport& r) { return to_json(r); });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/emergency/resources", [&resources](Request& req) {
    auto kind = http::enum_param(req, "kind", {"rescue_team", "expert", "depot", "shelter", "hospital"});
    if (!kind.ok()) return Response::error(kind.error());
    auto paging = http::paging(req, 500);
    if (!paging.ok()) return Response::error(paging.error());
    return http::respond(resources.list(req.who(), *kind, paging->page_size), [](const std::vector<Resource>& list) {
      json::array items;
      for (const auto& r : list) items.push_back(to_json(r));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  // The contract's nearest: k of a kind (and, for teams, a team kind) nearest to a point, within a
  // radius when given, with the distance and the estimated travel time.
  router.get("/api/v1/emergency/resources/nearest", [&resources](Request& req) {
    NearestQuery q;
    auto lon = number_param(req, "lon", -180, 180, true);
    if (!lon.ok()) return Response::error(lon.error());
    auto lat = number_param(req, "lat", -90, 90, true);
    if (!lat.ok()) return Response::error(lat.error());
    auto k = number_param(req, "k", 1, 200, false);
    if (!k.ok()) return Response::error(k.error());
    auto radius = number_param(req, "radius_m", 1, 2'000'000, false);
    if (!radius.ok()) return Response::error(radius.error());
    auto kind = http::enum_param(req, "kind", {"rescue_team", "expert", "depot", "shelter", "hospital"});
    if (!kind.ok()) return Response::error(kind.error());
    auto team = http::enum_param(req, "team_kind", {"mine", "hazchem", "fire", "medical", "power", "water", "construction", "other"});
    if (!team.ok()) return Response::error(team.error());
    if (*k && std::floor(**k) != **k) return Response::error(Error::invalid_field("k", "k 须为 1 至 200 的整数"));
    q.lon = **lon;
    q.lat = **lat;
    q.k = static_cast<size_t>(k->value_or(10));
    q.radius_m = radius->value_or(0);
    q.kind = *kind;
    q.team_kind = *team;
    return http::respond(resources.nearest(req.who(), q), [](const std::vector<Nearby>& list) {
      json::array items;
      for (const auto& n : list) {
        json::object o = to_json(n.resource);
        o["distance_m"] = n.distance_m;
        o["eta_min"] = n.eta_min;
        items.push_back(std::move(o));
      }
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  auto& duty = ctx.need<DutyService>();
  router.post("/api/v1/duty/rosters", [&duty](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto n = duty.generate(req.who(), *body, req.remote);
    if (!n.ok()) return Response::error(n.error());
    return Response::json(json::object{{"shifts", *n}}, 201);
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/duty/shifts", [&duty](Request& req) {
    const auto month = req.query_param("month").value_or(format_date(today_shanghai(now_ms())).substr(0, 7));
    return http::respond(duty.month(req.who(), month, req.query_param("region_code")), [](const std::vector<Shift>& list) {
      json::array items;
      for (const auto& s : list) items.push_back(to_json(s));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  router.put("/api/v1/duty/shifts/{id}", [&duty](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto s = duty.update(req.who(), req.param("id"), *version, *body, req.remote);
    if (!s.ok()) return Response::error(s.error());
    return Response::json(to_json(*s)).with_header("ETag", http::etag(s->version));
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/duty/now", [&duty](Request& req) {
    auto s = duty.now(req.who(), req.query_param("region_code"));
    if (!s.ok()) return Response::error(s.error());
    return Response::json(json::object{{"shift", *s ? json::value(to_json(**s)) : json::value(nullptr)}});
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/duty/log", [&duty](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto e = duty.log(req.who(), *body, req.remote);
    if (!e.ok()) return Response::error(e.error());
    return Response::json(to_json(*e), 201);
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/duty/log", [&duty](Request& req) {
    auto from = http::instant_param(req, "from");
    if (!from.ok()) return Response::error(from.error());
    auto to = http::instant_param(req, "to");
    if (!to.ok()) return Response::error(to.error());
    return http::respond(duty.entries(req.who(), *from, *to, 500), [](const std::vector<LogEntry>& list) {
      json::array items;
      for (const auto& e : list) items.push_back(to_json(e));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  auto& plans = ctx.need<PlanService>();
  router.post("/api/v1/emergency/plans", [&plans](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return plan_response(plans.create(req.who(), *body, req.remote), 201);
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/emergency/plans", [&plans](Request& req) {
    PlanFilter f;
    auto owner = http::enum_param(req, "owner", {"enterprise", "government"});
    if (!owner.ok()) return Response::error(owner.error());
    auto state = http::enum_param(req, "filing_state", {"pending", "filed"});
    if (!state.ok()) return Response::error(state.error());
    auto overdue = http::enum_param(req, "review_overdue", {"true", "false"});
    if (!overdue.ok()) return Response::error(overdue.error());
    f.owner = *owner;
    f.filing_state = *state;
    f.overdue = *overdue == "true";
    f.enterprise_uscc = req.query_param("enterprise_uscc");
    const std::int64_t today = today_shanghai(now_ms());
    return http::respond(plans.list(req.who(), f), [today](const std::vector<Plan>& list) {
      json::array items;
      for (const auto& p : list) items.push_back(to_json(p, today));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  // The plans that fit an accident: the enterprise's own, then the governments' of its place.
  router.get("/api/v1/emergency/plans/suggested", [&plans, &accidents = ctx.need<accident::AccidentService>()](Request& req) {
    auto id = req.query_param("accident_id");
    if (!id) return Response::error(Error::invalid_field("accident_id", "缺少参数 accident_id"));
    auto a = accidents.get(req.who(), *id);
    if (!a.ok()) return Response::error(a.error());
    const std::int64_t today = today_shanghai(now_ms());
    return http::respond(plans.suggest(req.who(), a->enterprise_uscc, a->region_code, a->kind), [today](const std::vector<Suggestion>& list) {
      json::array items;
      for (const auto& s : list) {
        json::object o = to_json(s.plan, today);
        o["reason"] = s.reason;
        items.push_back(std::move(o));
      }
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/emergency/plans/{id}", [&plans](Request& req) { return plan_response(plans.get(req.who(), req.param("id"))); },
             {.permission = auth::Action::enterprise_read});
  router.put("/api/v1/emergency/plans/{id}", [&plans](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return plan_response(plans.update(req.who(), req.param("id"), *version, *body, req.remote));
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/emergency/plans/{id}/filing", [&plans](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return plan_response(plans.file(req.who(), req.param("id"), *body, req.remote));
  }, {.permission = auth::Action::enterprise_read});

  auto& incidents = ctx.need<IncidentService>();
  router.post("/api/v1/incidents", [&incidents](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto o = incidents.open(req.who(), *body, req.remote);
    if (!o.ok()) return Response::error(o.error());
    return Response::json(to_json(o->incident, true), o->created ? 201 : 200).with_header("ETag", http::etag(o->incident.version));
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/incidents", [&incidents](Request& req) {
    IncidentFilter f;
    auto status = http::enum_param(req, "status", {"open", "closed"});
    if (!status.ok()) return Response::error(status.error());
    auto drill = http::enum_param(req, "drill", {"true", "false"});
    if (!drill.ok()) return Response::error(drill.error());
    f.status = *status;
    if (*drill) f.drill = **drill == "true";
    return http::respond(incidents.list(req.who(), f), [](const std::vector<Incident>& list) {
      json::array items;
      for (const auto& i : list) items.push_back(to_json(i, false));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/incidents/{id}", [&incidents](Request& req) { return incident_response(incidents.get(req.who(), req.param("id"))); },
             {.permission = auth::Action::enterprise_read});
  // The command view: the place's surroundings within radius_m (default 5 km, at most 50 km).
  router.get("/api/v1/incidents/{id}/view", [&incidents, sources = CommandSources{resources, ctx.need<enterprise::Service>(),
                                                                                   ctx.need<hazard::Service>(), ctx.need<monitoring::PointService>(),
                                                                                   plans, ctx.need<accident::AccidentService>(),
                                                                                   ctx.need<monitoring::AlarmService>()}](Request& req) {
    auto radius = number_param(req, "radius_m", 100, 50'000, false);
    if (!radius.ok()) return Response::error(radius.error());
    auto i = incidents.get(req.who(), req.param("id"));
    if (!i.ok()) return Response::error(i.error());
    auto view = command_view(sources, req.who(), *i, radius->value_or(5'000));
    if (!view.ok()) return Response::error(view.error());
    return Response::json(std::move(*view));
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/incidents/{id}/events", [&incidents](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return incident_response(incidents.note(req.who(), req.param("id"), *body, req.remote), 201);
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/incidents/{id}/dispatches", [&incidents](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return incident_response(incidents.dispatch(req.who(), req.param("id"), *body, req.remote), 201);
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/incidents/{id}/dispatches/{dispatch_id}/status", [&incidents](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return incident_response(incidents.advance(req.who(), req.param("id"), req.param("dispatch_id"), *body, req.remote));
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/incidents/{id}/close", [&incidents](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return incident_response(incidents.close(req.who(), req.param("id"), *body, req.remote));
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/emergency/resources/{id}", [&resources](Request& req) { return resource_response(resources.get(req.who(), req.param("id"))); },
             {.permission = auth::Action::enterprise_read});

  router.put("/api/v1/emergency/resources/{id}", [&resources](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return resource_response(resources.update(req.who(), req.param("id"), *version, *body, req.remote));
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::emergency
