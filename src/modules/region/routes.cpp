#include "modules/region/routes.h"

#include <boost/json.hpp>

namespace anjian::region {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {
json::object to_json(const codes::Region& r, const codes::RegionTable& t) {
  return json::object{{"code", r.code}, {"name", r.name}, {"level", codes::to_string(r.level)},
                      {"parent", r.parent.empty() ? json::value(nullptr) : json::value(r.parent)},
                      {"enterprise_region", t.is_enterprise_region(r.code)}, {"retired", r.retired},
                      {"has_children", !t.children(r.code).empty()}};
}
}  // namespace

Result<codes::RegionTable> load(db::Database& db) {
  auto r = db.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT code, name, level, parent, county_equivalent, retired FROM regions");
  if (!rows.ok()) return rows.take_error();
  codes::RegionTable t;
  for (const auto& row : *rows) {
    auto level = codes::parse_region_level(row.str(2));
    if (!level.ok()) return level.take_error();
    t.add({row.str(0), row.str(1), *level, row.str(3), row.i64(4) != 0, row.i64(5) != 0});
  }
  return t;
}

void register_routes(http::Router& router, const codes::RegionTable& regions) {
  router.get("/api/v1/regions", [&regions](Request& req) {
    std::string parent = req.query_param("parent").value_or("");
    if (!parent.empty() && !regions.find(parent)) return Response::error(Error::not_found("行政区划不存在：" + parent));
    json::array items;
    for (const auto* r : regions.children(parent)) items.push_back(to_json(*r, regions));
    return Response::json(json::object{{"items", std::move(items)}});
  });
  router.get("/api/v1/regions/{code}", [&regions](Request& req) {
    const codes::Region* r = regions.find(req.param("code"));
    if (!r) return Response::error(Error::not_found("行政区划不存在：" + req.param("code")));
    json::object o = to_json(*r, regions);
    json::array path;
    for (const auto* a : regions.path(r->code)) path.push_back(json::object{{"code", a->code}, {"name", a->name}, {"level", codes::to_string(a->level)}});
    o["path"] = std::move(path);
    return Response::json(o);
  });
}

}  // namespace anjian::region
