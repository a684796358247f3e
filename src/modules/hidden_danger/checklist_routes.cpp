#include <boost/json.hpp>

#include "http/params.h"
#include "modules/hidden_danger/checklist_rules.h"
#include "modules/hidden_danger/routes.h"

namespace anjian::hidden_danger {
namespace json = boost::json;
using http::Request;
using http::Response;

void add_checklist_routes(http::Router& router, ChecklistService& checklists, SelfInspectionService& inspections) {
  // The 重大事故隐患判定标准 shipped: what a 重大 hidden danger's standard_item may name.
  router.get("/api/v1/hidden-danger-standards", [](Request&) {
    json::array out;
    for (const auto& s : standards()) {
      json::array items;
      for (const auto& i : s.items) items.push_back(json::object{{"item", i.item}, {"text", i.text}});
      out.push_back(json::object{{"id", s.id}, {"name", s.name}, {"source", s.source}, {"items", std::move(items)}});
    }
    return Response::json(json::object{{"items", std::move(out)}});
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/checklist-templates", [&checklists](Request& req) {
    static const std::vector<std::string_view> known(enterprise::industries().begin(), enterprise::industries().end());
    auto industry = http::enum_param(req, "industry", known);
    if (!industry.ok()) return Response::error(industry.error());
    auto all = http::enum_param(req, "all_versions", {"true", "false"});
    if (!all.ok()) return Response::error(all.error());
    return http::respond(checklists.list(req.who(), *industry, all->value_or("false") == "true"),
                         [](const std::vector<ChecklistTemplate>& list) {
                           json::array items;
                           for (const auto& t : list) items.push_back(to_json(t, false));
                           return json::object{{"items", std::move(items)}};
                         });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/checklist-templates/{id}", [&checklists](Request& req) {
    return http::respond(checklists.get(req.who(), req.param("id")), [](const ChecklistTemplate& t) { return to_json(t, true); });
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/checklist-templates", [&checklists](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(checklists.create(req.who(), *body, req.remote), [](const ChecklistTemplate& t) { return to_json(t, true); }, 201);
  }, {.permission = auth::Action::enterprise_create});

  // A revision: in place while unused (200), else the next version (201, a new id).
  router.put("/api/v1/checklist-templates/{id}", [&checklists](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    bool made_version = false;
    auto t = checklists.revise(req.who(), req.param("id"), *body, req.remote, made_version);
    return http::respond(t, [](const ChecklistTemplate& x) { return to_json(x, true); }, made_version ? 201 : 200);
  }, {.permission = auth::Action::enterprise_create});

  router.post("/api/v1/self-inspections", [&inspections](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(inspections.run(req.who(), *body, req.remote), [](const SelfInspection& s) { return to_json(s, true); }, 201);
  }, {.permission = auth::Action::enterprise_write});

  router.get("/api/v1/self-inspections", [&inspections](Request& req) {
    auto paging = http::paging(req, 20);
    if (!paging.ok()) return Response::error(paging.error());
    std::optional<std::string> uscc;
    if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) uscc = *v;
    auto region = region_param(req);
    if (!region.ok()) return Response::error(region.error());
    return http::respond(inspections.list(req.who(), uscc, *region, paging->page, paging->page_size), [&](const SelfInspectionPage& p) {
      json::array items;
      for (const auto& s : p.items) items.push_back(to_json(s, false));
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"page", paging->page}, {"page_size", paging->page_size}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/self-inspections/{id}", [&inspections](Request& req) {
    return http::respond(inspections.get(req.who(), req.param("id")), [](const SelfInspection& s) { return to_json(s, true); });
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::hidden_danger
