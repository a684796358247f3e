// HTTP ↔ the risk rules (calculators; nothing stored).
#include "modules/risk/routes.h"

#include <boost/json.hpp>

#include "base/json_text.h"
#include "http/params.h"
#include "modules/risk/assessment_rules.h"
#include "modules/risk/gb18218_rules.h"

namespace anjian::risk {
using http::Request;
using http::Response;

void register_calculator_routes(http::Router& router, const RiskModel& model) {
  router.post("/api/v1/gb18218/evaluate", [](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto input = gb18218::parse_input(*body);
    if (!input.ok()) return Response::error(input.error());
    auto result = gb18218::evaluate(gb18218::Tables::standard(), *input);
    if (!result.ok()) return Response::error(result.error());
    return Response::json(gb18218::to_json(*result));
  });

  router.post("/api/v1/risk/lec/evaluate", [&model](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto r = lec_from_json(*body, model.point_cutoffs().lec);
    if (!r.ok()) return Response::error(r.error());
    return Response::json(to_json(*r));
  });

  router.post("/api/v1/risk/matrix/evaluate", [&model](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto r = matrix_from_json(*body, model.point_cutoffs().matrix);
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

Result<RiskPointFilter> risk_point_filter(const http::Request& req, std::int64_t default_page_size) {
  auto paging = http::paging(req, default_page_size);
  if (!paging.ok()) return paging.take_error();
  auto kind = http::enum_param(req, "kind", risk_point_kinds());
  if (!kind.ok()) return kind.take_error();
  auto level = http::enum_param(req, "level", {"major", "significant", "general", "low"});
  if (!level.ok()) return level.take_error();
  RiskPointFilter f;
  f.page = paging->page;
  f.page_size = paging->page_size;
  f.kind = *kind;
  if (*level) f.level = level_from(**level);
  if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) f.enterprise_uscc = *v;
  f.active_only = req.query_param("active").value_or("") == "true";
  return f;
}

boost::json::object distribution_json(const RiskPointPage& page) {
  boost::json::object o;
  for (RiskLevel l : {RiskLevel::major, RiskLevel::significant, RiskLevel::general, RiskLevel::low})
    o[to_string(l)] = page.by_level[static_cast<size_t>(l)];
  return o;
}

void register_enterprise_risk_routes(http::Router& router, EnterpriseRiskService& risk, AuditSink& audit) {
  router.get("/api/v1/enterprises/{uscc}/risk", [&risk](Request& req) {
    return http::respond(risk.get(req.who().scope, req.param("uscc")), [](const boost::json::object& o) { return o; });
  }, {.permission = auth::Action::enterprise_read});

  // The map's colours: [uscc, level, score] of every scored enterprise in scope (rows, like /enterprises/points).
  router.get("/api/v1/risk/levels", [&risk](Request& req) {
    auto region = req.query_param("region_code");
    if (region && region->empty()) region.reset();
    return http::respond(risk.levels(req.who().scope, region), [](const boost::json::object& o) { return o; });
  }, {.permission = auth::Action::enterprise_read});

  // Regional risk and drill-down (regulators: a region of their jurisdiction).
  router.get("/api/v1/risk/regions/{code}", [&risk](Request& req) {
    return http::respond(risk.region(req.who().scope, req.param("code"), true), [](const boost::json::object& o) { return o; });
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/risk/regions/{code}/children", [&risk](Request& req) {
    return http::respond(risk.children(req.who().scope, req.param("code")),
                         [](const boost::json::array& a) { return boost::json::object{{"items", a}}; });
  }, {.permission = auth::Action::enterprise_read});
  // The enterprises most at risk in a region, with the reason: where inspections should go.
  router.get("/api/v1/risk/regions/{code}/enterprises", [&risk](Request& req) {
    auto paging = http::paging(req, 20);
    if (!paging.ok()) return Response::error(paging.error());
    return http::respond(risk.ranked(req.who().scope, req.param("code"), paging->page_size), [](const boost::json::object& o) { return o; });
  }, {.permission = auth::Action::enterprise_read});

  // Everything, now (after a new model version, say): for administrators.
  router.post("/api/v1/risk/recompute", [&risk, &audit](Request& req) {
    // It recomputes the whole country: not a county's administrator's to start.
    if (req.who().scope.kind() != auth::Scope::Kind::all)
      return Response::error(Error::forbidden("只有国家级或系统管理员可以重算全部企业的风险"));
    const Millis start = now_ms();
    auto n = risk.recompute_all(start, "recompute");
    if (!n.ok()) return Response::error(n.error());
    const boost::json::object detail{{"enterprises", *n}, {"ms", now_ms() - start}};
    if (auto s = audit.record(audit_event(req.who(), "risk.recompute", "enterprise_risk", "", "", req.remote, json_text(detail))); !s.ok())
      return Response::error(s.error());
    return Response::json(detail);
  }, {.permission = auth::Action::user_manage});
}

void register_risk_point_routes(http::Router& router, RiskPointService& points) {
  auto with_etag = [](const RiskPoint& p, unsigned status = 200) {
    return Response::json(to_json(p), status).with_header("ETag", http::etag(p.version));
  };
  router.get("/api/v1/risk-points", [&points](Request& req) {
    auto f = risk_point_filter(req, 50);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(points.list(req.who().scope, *f), [&](const RiskPointPage& p) {
      boost::json::array items;
      for (const auto& x : p.items) items.push_back(to_json(x));
      return boost::json::object{{"items", std::move(items)}, {"total", p.total}, {"page", f->page},
                                 {"page_size", f->page_size}, {"distribution", distribution_json(p)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/risk-points", [&points, with_etag](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto p = points.create(req.who(), *body, req.remote);
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p, 201);
  }, {.permission = auth::Action::enterprise_write});

  router.get("/api/v1/risk-points/{id}", [&points, with_etag](Request& req) {
    auto p = points.get(req.who().scope, req.param("id"));
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p);
  }, {.permission = auth::Action::enterprise_read});

  router.patch("/api/v1/risk-points/{id}", [&points, with_etag](Request& req) {
    auto change = http::versioned_change(req);
    if (!change.ok()) return Response::error(change.error());
    auto p = points.update(req.who(), req.param("id"), change->version, change->body, req.remote);
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p);
  }, {.permission = auth::Action::enterprise_write});
}

}  // namespace anjian::risk
