#include "modules/hidden_danger/module.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "base/json_text.h"
#include "files/service.h"
#include "http/params.h"
#include "modules/audit/audit_log.h"
#include "modules/hidden_danger/service.h"
#include "modules/hidden_danger/transition_rules.h"

namespace anjian::hidden_danger {
namespace json = boost::json;
using http::Request;
using http::Response;

Status HiddenDangerModule::open(modules::Context& ctx) {
  auto& service = ctx.provide(std::make_unique<Service>(
      ctx.db, ctx.regions, ctx.need<auth::Identity>(), ctx.need<enterprise::Service>(), ctx.need<risk::RiskPointService>(), ctx.need<hazard::Service>(),
      ctx.need<files::FileService>(), ctx.need<notification::Notifier>(), ctx.need<audit::AuditLog>()));
  service.on_change([&bus = ctx.bus, &hub = ctx.hub](const HiddenDanger& h, std::string_view action) {
    bus.publish({"hidden_danger.changed", json::object{{"enterprise_uscc", h.enterprise_uscc}, {"id", h.id}, {"action", action}}});
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
  ctx.jobs.at_start(overdue);
  ctx.jobs.every(std::chrono::hours(1), overdue);
  return {};
}

void HiddenDangerModule::routes(http::Router& router, modules::Context& ctx) {
  auto& service = ctx.need<Service>();
  router.post("/api/v1/hidden-dangers", [&service](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto h = service.report(req.who(), *body, req.remote);
    if (!h.ok()) return Response::error(h.error());
    return Response::json(to_json(*h, true), 201).with_header("ETag", http::etag(h->version));
  }, {.permission = auth::Action::enterprise_write});

  router.get("/api/v1/hidden-dangers", [&service](Request& req) {
    auto paging = http::paging(req, 20);
    if (!paging.ok()) return Response::error(paging.error());
    static const std::vector<std::string_view> states(std::begin(kStates), std::end(kStates));
    auto state = http::enum_param(req, "state", states);
    if (!state.ok()) return Response::error(state.error());
    auto grade = http::enum_param(req, "grade", {"general", "major"});
    if (!grade.ok()) return Response::error(grade.error());
    auto found_by = http::enum_param(req, "found_by", {"self_inspection", "inspection", "public_report", "monitoring", "other"});
    if (!found_by.ok()) return Response::error(found_by.error());
    Filter f;
    f.page = paging->page;
    f.page_size = paging->page_size;
    f.state = *state;
    f.grade = *grade;
    f.found_by = *found_by;
    for (auto [key, target] : {std::pair{"overdue", &f.overdue}, std::pair{"supervised", &f.supervised}}) {
      auto v = req.query_param(key);
      if (!v || v->empty()) continue;
      if (*v != "true" && *v != "false") return Response::error(Error::invalid_field(key, std::string(key) + " 须为 true 或 false"));
      *target = *v == "true";
    }
    if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) f.enterprise_uscc = *v;
    if (auto v = req.query_param("region_code"); v && !v->empty()) {
      if (v->size() != 6 || v->find_first_not_of("0123456789") != std::string::npos)
        return Response::error(Error::invalid_field("region_code", "region_code 须为 6 位行政区划代码"));
      f.region_code = *v;
    }
    return http::respond(service.list(req.who(), f), [&](const Page& p) {
      json::array items;
      for (const auto& h : p.items) items.push_back(to_json(h, false));
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"page", f.page}, {"page_size", f.page_size}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/hidden-dangers/{id}", [&service](Request& req) {
    auto h = service.get(req.who(), req.param("id"));
    if (!h.ok()) return Response::error(h.error());
    return Response::json(to_json(*h, true)).with_header("ETag", http::etag(h->version));
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/hidden-dangers/{id}/actions/{action}", [&service](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    json::object body;
    if (!req.body.empty()) {
      auto parsed = http::json_body(req);
      if (!parsed.ok()) return Response::error(parsed.error());
      body = std::move(*parsed);
    }
    auto h = service.act(req.who(), req.param("id"), req.param("action"), *version, body, req.remote);
    if (!h.ok()) return Response::error(h.error());
    return Response::json(to_json(*h, true)).with_header("ETag", http::etag(h->version));
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::hidden_danger
