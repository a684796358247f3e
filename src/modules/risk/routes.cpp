// HTTP ↔ the risk rules (calculators; nothing stored).
#include "modules/risk/routes.h"

#include <boost/json.hpp>

#include "http/params.h"
#include "modules/risk/assessment_rules.h"
#include "modules/risk/gb18218_rules.h"

namespace anjian::risk {
using http::Request;
using http::Response;

void register_calculator_routes(http::Router& router) {
  router.post("/api/v1/gb18218/evaluate", [](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto input = gb18218::parse_input(*body);
    if (!input.ok()) return Response::error(input.error());
    auto result = gb18218::evaluate(gb18218::Tables::standard(), *input);
    if (!result.ok()) return Response::error(result.error());
    return Response::json(gb18218::to_json(*result));
  });

  router.post("/api/v1/risk/lec/evaluate", [](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto r = lec_from_json(*body);
    if (!r.ok()) return Response::error(r.error());
    return Response::json(to_json(*r));
  });

  router.post("/api/v1/risk/matrix/evaluate", [](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto r = matrix_from_json(*body);
    if (!r.ok()) return Response::error(r.error());
    return Response::json(to_json(*r));
  });
}

void register_assessment_routes(http::Router& router, HazardAssessments& assessments) {
  router.post("/api/v1/hazard-sources/{id}/assess", [&assessments](Request& req) {
    return http::respond(assessments.assess(req.who(), req.param("id"), "assessed", req.remote),
                         [](const boost::json::object& o) { return o; });
  }, {.permission = auth::Action::enterprise_write});

  router.get("/api/v1/hazard-sources/{id}/assessment", [&assessments](Request& req) {
    return http::respond(assessments.latest(req.who().scope, req.param("id")), [](const boost::json::object& o) { return o; });
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::risk
