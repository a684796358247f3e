#include "modules/emergency/module.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "http/params.h"
#include "modules/audit/audit_log.h"
#include "modules/emergency/duty.h"

namespace anjian::emergency {
namespace json = boost::json;
using http::Request;
using http::Response;

Status EmergencyModule::open(modules::Context& ctx) {
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
  return resources.load();
}

namespace {
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
