// HTTP ↔ the hazard source service.
#include "modules/hazard/routes.h"

#include <boost/json.hpp>

#include "http/params.h"

namespace anjian::hazard {
namespace json = boost::json;
using auth::Action;
using http::Request;
using http::Response;

namespace {
Response with_etag(const HazardSource& h, unsigned status = 200) {
  return Response::json(to_json(h), status).with_header("ETag", http::etag(h.version));
}
}  // namespace

void register_routes(http::Router& router, Service& service) {
  router.get("/api/v1/hazard-sources", [&service](Request& req) {
    auto paging = http::paging(req, 50);
    if (!paging.ok()) return Response::error(paging.error());
    auto kind = http::enum_param(req, "kind", kinds());
    if (!kind.ok()) return Response::error(kind.error());
    auto grade = http::enum_param(req, "grade", {"1", "2", "3", "4"});
    if (!grade.ok()) return Response::error(grade.error());
    Filter f;
    f.page = paging->page;
    f.page_size = paging->page_size;
    f.kind = *kind;
    if (*grade) f.grade = std::stoi(**grade);
    if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) f.enterprise_uscc = *v;
    return http::respond(service.list(req.who().scope, f), [&](const Page& p) {
      json::array items;
      for (const auto& x : p.items) items.push_back(to_json(x));
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"page", f.page}, {"page_size", f.page_size}};
    });
  }, {.permission = Action::enterprise_read});

  router.post("/api/v1/hazard-sources", [&service](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto h = service.create(req.who(), *body, req.remote);
    if (!h.ok()) return Response::error(h.error());
    return with_etag(*h, 201);
  }, {.permission = Action::enterprise_write});

  router.get("/api/v1/hazard-sources/{id}", [&service](Request& req) {
    auto h = service.get(req.who().scope, req.param("id"));
    if (!h.ok()) return Response::error(h.error());
    return with_etag(*h);
  }, {.permission = Action::enterprise_read});

  router.patch("/api/v1/hazard-sources/{id}", [&service](Request& req) {
    auto change = http::versioned_change(req);
    if (!change.ok()) return Response::error(change.error());
    auto h = service.update(req.who(), req.param("id"), change->version, change->body, req.remote);
    if (!h.ok()) return Response::error(h.error());
    return with_etag(*h);
  }, {.permission = Action::enterprise_write});
}

}  // namespace anjian::hazard
