// HTTP ↔ enterprise service; nothing else.
#include "modules/enterprise/routes.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include "base/csv.h"
#include "http/params.h"
#include "modules/enterprise/import.h"

namespace anjian::enterprise {
namespace json = boost::json;
using http::Request;
using http::Response;
using auth::Action;

namespace {
Response with_etag(const Service& s, const Enterprise& e, unsigned status = 200) {
  Response r = Response::json(s.to_json(e, false), status);
  r.with_header("ETag", http::etag(e.version));
  return r;
}

Result<ListFilter> filter_from(const Request& req) {
  ListFilter f;
  auto p = http::paging(req);
  if (!p.ok()) return p.take_error();
  f.page = p->page;
  f.page_size = p->page_size;
  if (auto v = req.query_param("region_code"); v && !v->empty()) f.region_code = *v;
  auto industry = http::enum_param(req, "industry", industries());
  if (!industry.ok()) return industry.take_error();
  f.industry = *industry;
  auto status = http::enum_param(req, "status", statuses());
  if (!status.ok()) return status.take_error();
  f.status = *status;
  auto lic = http::enum_param(req, "licence_state", {"valid", "expiring", "expired", "none"});
  if (!lic.ok()) return lic.take_error();
  f.licence_state = *lic;
  if (auto q = req.query_param("q")) {
    if (q->size() > 200) return Error::invalid_field("q", "搜索词过长");
    f.q = *q;
  }
  auto sort = http::enum_param(req, "sort", {"name", "-name", "uscc", "-uscc", "updated_at", "-updated_at",
                                             "region_code", "licence_expires_on"});
  if (!sort.ok()) return sort.take_error();
  if (*sort) f.sort = **sort;
  return f;
}

std::string csv_export(const Service& s, const std::vector<Enterprise>& items) {
  std::string out = "\xEF\xBB\xBF";  // BOM, so that Excel reads UTF-8
  out += "统一社会信用代码,企业名称,企业简称,所在地区,行政区划代码,地址,经度,纬度,监管行业,企业规模,从业人员数,"
         "安全生产许可证编号,有效期至,许可证状态,标准化等级,经营状态\n";
  for (const auto& e : items) {
    const codes::Region* region = s.regions().find(e.region_code);
    std::string place = region ? region->name : e.region_code;
    if (region && !region->parent.empty())
      if (const codes::Region* up = s.regions().find(region->parent); up && up->level != codes::RegionLevel::province) place = up->name + place;
    auto cells = {e.uscc, e.name, e.short_name.value_or(""), place, e.region_code, e.address.value_or(""),
                  e.lon ? number_text(round_coordinate(*e.lon)) : "", e.lat ? number_text(round_coordinate(*e.lat)) : "",
                  std::string(industry_label(e.industry)), std::string(scale_label(e.scale.value_or(""))),
                  e.employees ? std::to_string(*e.employees) : "", e.licence_number.value_or(""),
                  e.licence_expires_on.value_or(""), std::string(licence_state_label(licence_state(e, s.today(), s.options()))),
                  std::string(grade_label(e.standardization_grade.value_or(""))), std::string(status_label(e.status))};
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out += ',';
      out += csv_field(c);
      first = false;
    }
    out += '\n';
  }
  return out;
}
}  // namespace

void register_routes(http::Router& router, Service& service) {
  router.get("/api/v1/enterprises", [&service](Request& req) {
    auto f = filter_from(req);
    if (!f.ok()) return Response::error(f.error());
    auto page = service.list(req.who().scope, *f);
    return http::respond(page, [&](const ListPage& p) {
      json::array items;
      for (const auto& e : p.items) items.push_back(service.to_json(e, true));
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"total_exact", p.total_exact},
                          {"page", f->page}, {"page_size", f->page_size}};
    });
  }, {.permission = Action::enterprise_read, .limited = http::RateLimiter::Kind::search});

  router.get("/api/v1/enterprises/export.csv", [&service](Request& req) {
    auto f = filter_from(req);
    if (!f.ok()) return Response::error(f.error());
    f->page = 1;
    f->page_size = 100'000;  // an export is bounded, not paged
    auto page = service.list(req.who().scope, *f);
    if (!page.ok()) return Response::error(page.error());
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = csv_export(service, page->items);
    r.with_header("Content-Disposition", "attachment; filename=\"enterprises.csv\"");
    return r;
  }, {.permission = Action::enterprise_read, .limited = http::RateLimiter::Kind::export_});

  router.get("/api/v1/enterprises/summary", [&service](Request& req) {
    return http::respond(service.summary(req.who().scope), [](const json::object& o) { return o; });
  }, {.permission = Action::enterprise_read});

  // The map's points as compact rows [uscc, name, lon, lat, industry, region_code, status]: 20,000
  // points are about 1.5 MB of JSON this way, against 3 MB as objects.
  router.get("/api/v1/enterprises/points", [&service](Request& req) {
    auto region = req.query_param("region_code");
    if (region && region->empty()) region.reset();
    return http::respond(service.points(req.who().scope, region), [](const std::vector<MapPoint>& pts) {
      json::array items;
      items.reserve(pts.size());
      for (const auto& p : pts)
        items.push_back(json::array{json::string(p.uscc), json::string(p.name), round_coordinate(p.lon), round_coordinate(p.lat), json::string(p.industry),
                                    json::string(p.region_code), json::string(p.status)});
      return json::object{{"columns", json::array{"uscc", "name", "lon", "lat", "industry", "region_code", "status"}},
                          {"items", std::move(items)}, {"total", pts.size()}};
    });
  }, {.permission = Action::enterprise_read});

  router.post("/api/v1/enterprises", [&service](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto e = service.create(req.who(), *body, req.remote);
    if (!e.ok()) return Response::error(e.error());
    return with_etag(service, *e, 201).with_header("Location", "/api/v1/enterprises/" + e->uscc);
  }, {.permission = Action::enterprise_create});

  router.get("/api/v1/enterprises/{uscc}", [&service](Request& req) {
    auto e = service.get(req.who().scope, req.param("uscc"));
    if (!e.ok()) return Response::error(e.error());
    return with_etag(service, *e);
  }, {.permission = Action::enterprise_read});

  router.patch("/api/v1/enterprises/{uscc}", [&service](Request& req) {
    auto change = http::versioned_change(req);
    if (!change.ok()) return Response::error(change.error());
    auto e = service.update(req.who(), req.param("uscc"), change->version, change->body, req.remote);
    if (!e.ok()) return Response::error(e.error());
    return with_etag(service, *e);
  }, {.permission = Action::enterprise_write});

  router.del("/api/v1/enterprises/{uscc}", [&service](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto e = service.close(req.who(), req.param("uscc"), *version, req.remote);
    if (!e.ok()) return Response::error(e.error());
    return with_etag(service, *e);
  }, {.permission = Action::enterprise_write});

  router.get("/api/v1/enterprises/{uscc}/view", [&service](Request& req) {
    return http::respond(service.view(req.who(), req.param("uscc")), [](const json::object& o) { return o; });
  }, {.permission = Action::enterprise_read});

  router.get("/api/v1/enterprises/{uscc}/history", [&service](Request& req) {
    return http::respond(service.history(req.who().scope, req.param("uscc")), [](const std::vector<HistoryEntry>& h) {
      json::array items;
      for (const auto& e : h)
        items.push_back(json::object{{"id", e.id}, {"at", format_iso(e.at)}, {"user_id", e.user_id},
                                     {"username", e.username}, {"action", e.action}, {"version", e.version},
                                     {"changes", json::parse(e.changes)}});
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = Action::enterprise_read});

  router.post("/api/v1/enterprises/import", [&service](Request& req) {
    ImportOptions opt;
    opt.dry_run = req.query_param("dry_run").value_or("false") == "true";
    opt.all_or_nothing = req.query_param("all_or_nothing").value_or("false") == "true";
    auto body = http::upload_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto report = import_enterprises(service, req.who(), *body, opt);
    return http::respond(report, [](const ImportReport& r) { return to_json(r); });
  }, {.permission = Action::enterprise_import});
}

}  // namespace anjian::enterprise
