#include "modules/hidden_danger/routes.h"

#include <boost/json.hpp>

#include "http/params.h"
#include "modules/enterprise/model.h"
#include "modules/hidden_danger/import.h"
#include "modules/hidden_danger/transition_rules.h"

namespace anjian::hidden_danger {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {
Result<std::optional<std::string>> industry_param(const Request& req) {
  static const std::vector<std::string_view> known(enterprise::industries().begin(), enterprise::industries().end());
  return http::enum_param(req, "industry", known);
}

Result<Filter> list_filter(const Request& req) {
  Filter f;
  auto paging = http::paging(req, 20);
  if (!paging.ok()) return paging.take_error();
  f.page = paging->page;
  f.page_size = paging->page_size;
  static const std::vector<std::string_view> states(std::begin(kStates), std::end(kStates));
  auto state = http::enum_param(req, "state", states);
  if (!state.ok()) return state.take_error();
  auto grade = http::enum_param(req, "grade", {"general", "major"});
  if (!grade.ok()) return grade.take_error();
  auto found_by = http::enum_param(req, "found_by", {"self_inspection", "inspection", "public_report", "monitoring", "other"});
  if (!found_by.ok()) return found_by.take_error();
  auto sort = http::enum_param(req, "sort", {"found_at_desc", "found_at_asc", "deadline_asc", "updated_at_desc"});
  if (!sort.ok()) return sort.take_error();
  auto industry = industry_param(req);
  if (!industry.ok()) return industry.take_error();
  auto region = region_param(req);
  if (!region.ok()) return region.take_error();
  auto from = http::instant_param(req, "found_from");
  if (!from.ok()) return from.take_error();
  auto to = http::instant_param(req, "found_to");
  if (!to.ok()) return to.take_error();
  if (*from && *to && **to <= **from) return Error::invalid_field("found_to", "found_to 须晚于 found_from");
  f.state = *state;
  f.grade = *grade;
  f.found_by = *found_by;
  f.sort = sort->value_or("found_at_desc");
  f.industry = *industry;
  f.region_code = *region;
  f.found_from = *from;
  f.found_to = *to;
  for (auto [key, target] : {std::pair{"overdue", &f.overdue}, std::pair{"supervised", &f.supervised}, std::pair{"open", &f.open}}) {
    auto v = req.query_param(key);
    if (!v || v->empty()) continue;
    if (*v != "true" && *v != "false") return Error::invalid_field(key, std::string(key) + " 须为 true 或 false");
    *target = *v == "true";
  }
  if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) {
    if (v->size() > 40) return Error::invalid_field("enterprise_uscc", "enterprise_uscc 过长");
    f.enterprise_uscc = *v;
  }
  return f;
}
}  // namespace

Result<std::optional<std::string>> region_param(const Request& req) {
  auto v = req.query_param("region_code");
  if (!v || v->empty()) return std::optional<std::string>{};
  if (v->size() != 6 || v->find_first_not_of("0123456789") != std::string::npos)
    return Error::invalid_field("region_code", "region_code 须为 6 位行政区划代码");
  return std::optional<std::string>{std::string(*v)};
}

Result<StatsQuery> stats_query(const Request& req) {
  StatsQuery q;
  auto period = parse_period(req.query_param("period").value_or(""));
  if (!period.ok()) return period.take_error();
  auto industry = industry_param(req);
  if (!industry.ok()) return industry.take_error();
  auto region = region_param(req);
  if (!region.ok()) return region.take_error();
  auto by_month = http::enum_param(req, "by_month", {"true", "false"});
  if (!by_month.ok()) return by_month.take_error();
  q.period = *period;
  q.by_month = by_month->value_or("false") == "true";
  q.industry = *industry;
  q.region_code = *region;
  if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) {
    if (v->size() > 40) return Error::invalid_field("enterprise_uscc", "enterprise_uscc 过长");
    q.enterprise_uscc = *v;
  }
  return q;
}

void add_hidden_danger_routes(http::Router& router, Service& service, StatsService& stats, db::Database& db, AuditSink& audit) {
  // Hidden dangers of earlier systems (CSV or XLSX, raw or a form's file), the row report back.
  router.post("/api/v1/hidden-dangers/import", [&service, &db, &audit](Request& req) {
    ImportOptions opt;
    opt.dry_run = req.query_param("dry_run").value_or("false") == "true";
    opt.all_or_nothing = req.query_param("all_or_nothing").value_or("false") == "true";
    auto body = http::upload_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(import_hidden_dangers(service, db, audit, req.who(), *body, opt, req.remote),
                         [](const ImportReport& r) { return to_json(r); });
  }, {.permission = auth::Action::enterprise_write});

  router.post("/api/v1/hidden-dangers", [&service](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto h = service.report(req.who(), *body, req.remote);
    if (!h.ok()) return Response::error(h.error());
    return Response::json(to_json(*h, true), 201).with_header("ETag", http::etag(h->version));
  }, {.permission = auth::Action::enterprise_write});

  router.get("/api/v1/hidden-dangers", [&service](Request& req) {
    auto f = list_filter(req);
    if (!f.ok()) return Response::error(f.error());
    return http::respond(service.list(req.who(), *f), [&](const Page& p) {
      json::array items;
      for (const auto& h : p.items) items.push_back(to_json(h, false));
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"total_capped", p.total_capped},
                          {"page", f->page}, {"page_size", f->page_size}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/hidden-dangers/stats", [&stats](Request& req) {
    auto q = stats_query(req);
    if (!q.ok()) return Response::error(q.error());
    return http::respond(stats.compute(req.who(), *q), [](const Stats& s) { return to_json(s); });
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
