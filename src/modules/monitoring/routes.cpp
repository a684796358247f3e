// HTTP ↔ monitoring services.
#include "modules/monitoring/routes.h"

#include <boost/json.hpp>

#include "http/params.h"

namespace anjian::monitoring {
namespace json = boost::json;
using auth::Action;
using http::Request;
using http::Response;

namespace {
Response with_etag(const Point& p, unsigned status = 200) {
  return Response::json(to_json(p), status).with_header("ETag", http::etag(p.version));
}
}  // namespace

void register_routes(http::Router& router, PointService& points) {
  router.get("/api/v1/monitoring/points", [&points](Request& req) {
    auto paging = http::paging(req, 50);
    if (!paging.ok()) return Response::error(paging.error());
    auto indicator = http::enum_param(req, "indicator", indicators());
    if (!indicator.ok()) return Response::error(indicator.error());
    PointFilter f;
    f.page = paging->page;
    f.page_size = paging->page_size;
    f.indicator = *indicator;
    if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) f.enterprise_uscc = *v;
    if (auto v = req.query_param("hazard_source_id"); v && !v->empty()) f.hazard_source_id = *v;
    return http::respond(points.list(req.who().scope, f), [&](const PointPage& p) {
      json::array items;
      for (const auto& x : p.items) items.push_back(to_json(x));
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"page", f.page}, {"page_size", f.page_size}};
    });
  }, {.permission = Action::enterprise_read});

  router.post("/api/v1/monitoring/points", [&points](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto p = points.create(req.who(), *body, req.remote);
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p, 201);
  }, {.permission = Action::enterprise_write});

  router.get("/api/v1/monitoring/points/{id}", [&points](Request& req) {
    auto p = points.get(req.who().scope, req.param("id"));
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p);
  }, {.permission = Action::enterprise_read});

  router.patch("/api/v1/monitoring/points/{id}", [&points](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto p = points.update(req.who(), req.param("id"), *version, *body, req.remote);
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p);
  }, {.permission = Action::enterprise_write});
}

}  // namespace anjian::monitoring
