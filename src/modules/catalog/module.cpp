#include "modules/catalog/module.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "base/json_fields.h"
#include "files/durable_file.h"
#include "http/params.h"
#include "modules/audit/audit_log.h"
#include "modules/catalog/open_data.h"
#include "modules/catalog/service.h"

namespace anjian::catalog {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::value day(const std::optional<std::int64_t>& d) { return d ? json::value(format_date(*d)) : json::value(nullptr); }
json::value instant(const std::optional<Millis>& t) { return t ? json::value(format_iso(*t)) : json::value(nullptr); }

json::object entry_json(const Entry& e) {
  json::array items;
  for (const auto& i : e.items) items.push_back(json::object{{"name", i.name}, {"label", i.label}, {"type", i.type}, {"personal", i.personal}});
  json::array related;
  for (const auto& r : e.related_codes) related.emplace_back(r);
  return {{"code", e.code},
          {"record_type", e.record_type},
          {"category", e.category},
          {"name", e.name},
          {"provider", e.provider},
          {"provider_code", e.provider_code},
          {"summary", e.summary},
          {"format", e.format},
          {"items", std::move(items)},
          {"share_type", e.share_type},
          {"share_type_label", share_type_label(e.share_type)},
          {"share_condition", e.share_condition},
          {"share_basis", e.share_basis},
          {"share_method", e.share_method},
          {"open", e.open},
          {"open_label", e.open ? "向社会开放" : "不向社会开放"},
          {"open_condition", e.open_condition},
          {"update_cycle", e.update_cycle},
          {"related_codes", std::move(related)},
          {"published_at", format_iso(e.published_at)},
          {"updated_at", format_iso(e.updated_at)},
          {"updated_by", e.updated_by}};
}

json::object grant_json(const Grant& g, const codes::RegionTable& regions, const auth::Principal& who) {
  const auto state = g.state(today_shanghai(now_ms()));
  const auto* region = regions.find(g.region_code);
  json::array fields;
  for (const auto& f : g.fields) fields.emplace_back(f);
  const bool department = who.regulator_kind == "member_department";
  return {{"id", g.id},
          {"entry_code", g.entry_code},
          {"entry_name", g.entry_name},
          {"record_type", g.record_type},
          {"department_org", g.department_org},
          {"department_name", g.department_name},
          {"requested_by", g.requested_by},
          {"purpose", g.purpose},
          {"fields", std::move(fields)},
          {"region_code", g.region_code},
          {"region_name", region ? region->name : g.region_code},
          {"requested_at", format_iso(g.requested_at)},
          {"state", state},
          {"state_label", grant_state_label(state)},
          {"conditions", g.conditions},
          {"reason", g.reason},
          {"expires_on", day(g.expires_on)},
          {"decided_by", g.decided_by.empty() ? json::value(nullptr) : json::value(g.decided_by)},
          {"decided_at", instant(g.decided_at)},
          {"key_prefix", g.key_prefix.empty() ? json::value(nullptr) : json::value(g.key_prefix)},
          {"key_issued_at", instant(g.key_issued_at)},
          {"revoked_at", instant(g.revoked_at)},
          {"revoked_by", g.revoked_by.empty() ? json::value(nullptr) : json::value(g.revoked_by)},
          {"revoke_reason", g.revoke_reason.empty() ? json::value(nullptr) : json::value(g.revoke_reason)},
          {"mine_to_decide", !department && state == "pending" && who.can(auth::Action::org_manage) && who.scope.covers_region(regions, g.region_code)},
          {"mine", department}};
}

bool for_enterprises(const Request& req) { return req.who().org_kind != "regulator"; }
Response catalog_is_governments() { return Response::error(Error::forbidden("资源目录供政府部门使用")); }

}  // namespace

Status CatalogModule::open(modules::Context& ctx) {
  auto& catalog = ctx.provide(std::make_unique<CatalogService>(ctx.db, ctx.regions, ctx.need<exchange::ShareRegistry>(), ctx.need<exchange::Nodes>(),
                                                               ctx.need<exchange::ExchangeService>(), ctx.need<notification::Notifier>(),
                                                               ctx.need<audit::AuditLog>()));
  // Open data is refreshed daily, and at start when the portal's folder has none yet.
  const std::string dir = open_dir_;
  ctx.jobs.at_start([&catalog, dir](Millis) {
    if (std::filesystem::exists(dir + "/index.json")) return;
    if (auto r = export_open_data(catalog, dir); !r.ok()) spdlog::warn("open data: {}", r.error().message);
  });
  ctx.jobs.every(std::chrono::hours(24), [&catalog, dir](Millis) {
    if (auto r = export_open_data(catalog, dir); !r.ok()) spdlog::warn("open data: {}", r.error().message);
  });
  return {};
}

void CatalogModule::routes(http::Router& router, modules::Context& ctx) {
  auto& catalog = ctx.need<CatalogService>();
  const auto& regions = ctx.regions;

  router.get("/api/v1/catalog/entries", [&catalog](Request& req) {
    if (for_enterprises(req)) return catalog_is_governments();
    return http::respond(catalog.entries(), [](const std::vector<Entry>& es) {
      json::array items;
      for (const auto& e : es) items.push_back(entry_json(e));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/catalog/entries/{code}", [&catalog](Request& req) {
    if (for_enterprises(req)) return catalog_is_governments();
    return http::respond(catalog.entry(req.param("code")), entry_json);
  }, {.permission = auth::Action::enterprise_read});

  router.patch("/api/v1/catalog/entries/{code}", [&catalog](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(catalog.update_entry(req.who(), req.param("code"), *body, req.remote), entry_json);
  }, {.permission = auth::Action::org_manage});

  router.post("/api/v1/catalog/entries/{code}/requests", [&catalog, &regions](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(catalog.request(req.who(), req.param("code"), *body, req.remote),
                         [&](const Grant& g) { return grant_json(g, regions, req.who()); }, 201);
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/catalog/grants", [&catalog, &regions](Request& req) {
    if (for_enterprises(req)) return catalog_is_governments();
    return http::respond(catalog.grants(req.who(), req.query_param("state")), [&](const std::vector<Grant>& gs) {
      json::array items;
      for (const auto& g : gs) items.push_back(grant_json(g, regions, req.who()));
      return json::object{{"items", std::move(items)}, {"total", static_cast<std::int64_t>(gs.size())}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/catalog/grants/{id}", [&catalog, &regions](Request& req) {
    return http::respond(catalog.grant(req.who(), req.param("id")), [&](const Grant& g) { return grant_json(g, regions, req.who()); });
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/catalog/grants/{id}/decision", [&catalog, &regions](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(catalog.decide(req.who(), req.param("id"), *body, req.remote),
                         [&](const Grant& g) { return grant_json(g, regions, req.who()); });
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/catalog/grants/{id}/key", [&catalog, &regions](Request& req) {
    return http::respond(catalog.issue_key(req.who(), req.param("id"), req.remote), [&](const std::pair<Grant, std::string>& k) {
      return json::object{{"grant", grant_json(k.first, regions, req.who())}, {"key", k.second}};
    }, 201);
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/catalog/grants/{id}/revoke", [&catalog, &regions](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    const auto reason = f.string("reason", true, 500);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    return http::respond(catalog.revoke(req.who(), req.param("id"), *reason, req.remote),
                         [&](const Grant& g) { return grant_json(g, regions, req.who()); });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/catalog/grants/{id}/usage", [&catalog](Request& req) {
    return http::respond(catalog.usage(req.who(), req.param("id"), 200), [](const std::vector<Usage>& us) {
      json::array items;
      for (const auto& u : us) items.push_back(json::object{{"at", format_iso(u.at)}, {"remote", u.remote}, {"query", u.query}, {"records", u.records}});
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  // What a department's system reads with its grant's key: only the fields and region granted.
  router.get("/api/v1/catalog/data/{code}", [&catalog](Request& req) {
    const auto auth = req.header("authorization");
    if (!auth.starts_with("ApiKey ")) return Response::error(Error{"unauthenticated", "须以 Authorization: ApiKey KEY 读取共享数据", ""});
    auto paging = http::paging(req, 100);
    if (!paging.ok()) return Response::error(paging.error());
    return http::respond(catalog.read(auth.substr(7), req.param("code"), paging->page, paging->page_size, req.remote, req.target),
                         [&](const CatalogService::DataPage& p) {
                           json::array items;
                           for (const auto& r : p.items) items.push_back(r);
                           json::array fields;
                           for (const auto& f : p.grant.fields) fields.emplace_back(f);
                           return json::object{{"entry_code", p.entry.code}, {"entry_name", p.entry.name}, {"region_code", p.grant.region_code},
                                               {"fields", std::move(fields)}, {"items", std::move(items)}, {"total", p.total},
                                               {"page", paging->page}, {"page_size", paging->page_size}};
                         });
  }, {.public_route = true});

  // Open data: written on demand by an administrator, served to anyone (it is open by definition).
  router.post("/api/v1/catalog/open/export", [&catalog, dir = open_dir_](Request& req) {
    if (for_enterprises(req)) return catalog_is_governments();
    return http::respond(export_open_data(catalog, dir), [](const std::vector<OpenFile>& files) {
      json::array items;
      for (const auto& f : files)
        items.push_back(json::object{{"entry_code", f.entry_code}, {"name", f.name}, {"records", f.records},
                                     {"json", "/api/v1/open/" + f.file + ".json"}, {"csv", "/api/v1/open/" + f.file + ".csv"}});
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::org_manage});

  router.get("/api/v1/open", [dir = open_dir_](Request&) {
    auto index = files::read_whole_file(dir + "/index.json", 16u << 20);
    if (!index.ok()) return Response::error(Error::not_found("尚未发布开放数据"));
    Response r;
    r.body = std::move(*index);
    return r;
  }, {.public_route = true});

  router.get("/api/v1/open/{file}", [dir = open_dir_](Request& req) {
    const std::string& name = req.param("file");
    const bool csv = name.ends_with(".csv");
    // Only the names the export writes: an entry's stem and .json or .csv, nothing that walks the disk.
    const std::string stem = name.substr(0, name.size() - (csv ? 4 : 5));
    if ((!csv && !name.ends_with(".json")) || stem.empty() || open_file_stem(stem) != stem || stem == "index")
      return Response::error(Error::not_found("没有该开放数据文件"));
    auto bytes = files::read_whole_file(dir + "/" + name);
    if (!bytes.ok()) return Response::error(Error::not_found("没有该开放数据文件"));
    Response r;
    r.body = std::move(*bytes);
    r.content_type = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    return r.with_header("Content-Disposition", http::content_disposition("attachment", name));
  }, {.public_route = true});
}

}  // namespace anjian::catalog
