#include "modules/emergency/resources.h"

#include "auth/personal_data.h"

#include <boost/json.hpp>

#include <cmath>
#include <mutex>

#include <spdlog/spdlog.h>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::emergency {
namespace json = boost::json;
using db::Value;

namespace {
const std::vector<std::string_view> kKinds = {"rescue_team", "expert", "depot", "shelter", "hospital"};
const std::vector<std::string_view> kTeamKinds = {"mine", "hazchem", "fire", "medical", "power", "water", "construction", "other"};
const std::vector<std::string_view> kStatuses = {"available", "deployed", "unavailable"};
constexpr const char* kColumns =
    "id, kind, name, region_code, org_id, lon, lat, contact_name, contact_phone, status, team_kind, details, created_by, created_at, updated_at, version";

Resource from_row(const db::Row& r) {
  Resource x;
  x.id = r.str(0);
  x.kind = r.str(1);
  x.name = r.str(2);
  x.region_code = r.str(3);
  x.org_id = r.str(4);
  x.lon = r.f64(5);
  x.lat = r.f64(6);
  x.contact_name = r.str(7);
  x.contact_phone = auth::PersonalData::instance().open(r.str(8));
  x.status = r.str(9);
  x.team_kind = r.str(10);
  x.details = object_of_text(r.str(11));
  x.created_by = r.str(12);
  x.created_at = r.i64(13);
  x.updated_at = r.i64(14);
  x.version = r.i64(15);
  return x;
}

std::string_view kind_label(std::string_view k) {
  if (k == "rescue_team") return "救援队伍";
  if (k == "expert") return "专家";
  if (k == "depot") return "物资储备库";
  if (k == "shelter") return "避难场所";
  if (k == "hospital") return "医疗机构";
  return k;
}
std::string_view team_kind_label(std::string_view k) {
  static const std::map<std::string_view, std::string_view> labels = {{"mine", "矿山"}, {"hazchem", "危化"}, {"fire", "消防"}, {"medical", "医疗"},
                                                                      {"power", "电力"}, {"water", "水上"}, {"construction", "工程抢险"}, {"other", "其他"}};
  auto it = labels.find(k);
  return it == labels.end() ? k : it->second;
}
std::string_view status_label(std::string_view s) {
  if (s == "available") return "待命";
  if (s == "deployed") return "已出动";
  return "不可用";
}
}  // namespace

json::object to_json(const Resource& r) {
  return {{"id", r.id},
          {"kind", r.kind},
          {"kind_label", kind_label(r.kind)},
          {"name", r.name},
          {"region_code", r.region_code},
          {"org_id", r.org_id},
          {"lon", r.lon},
          {"lat", r.lat},
          {"contact", json::object{{"name", r.contact_name}, {"phone", r.contact_phone}}},
          {"status", r.status},
          {"status_label", status_label(r.status)},
          {"team_kind", r.team_kind.empty() ? json::value(nullptr) : json::value(r.team_kind)},
          {"team_kind_label", team_kind_label(r.team_kind)},
          {"details", r.details},
          {"created_by", r.created_by},
          {"created_at", format_iso(r.created_at)},
          {"updated_at", format_iso(r.updated_at)},
          {"version", r.version}};
}

Status ResourceService::prepare_postgis(db::Connection& c) {
  auto find = [&]() -> std::string {
    auto s = c.query("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'");
    return s.ok() && !s->empty() ? s->front().str(0) : std::string();
  };
  std::string schema = find();
  if (schema.empty()) {
    // Another process may create it at the same moment: whoever wins, it is there after.
    if (auto made = c.exec_script("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public"); !made.ok())
      spdlog::info("PostGIS not available ({}): the nearest resources come from the in-memory index only", made.error().message);
    schema = find();
  }
  if (schema.empty()) return {};
  const std::string s = "\"" + schema + "\".";
  // A generated column: every writer's lon and lat become the geography with no code of theirs.
  ANJIAN_TRY(c.exec_script("ALTER TABLE emergency_resources ADD COLUMN IF NOT EXISTS geog " + s + "geography GENERATED ALWAYS AS (" + s +
                           "ST_SetSRID(" + s + "ST_MakePoint(lon, lat), 4326)::" + s + "geography) STORED;"
                           "CREATE INDEX IF NOT EXISTS emergency_resources_geog ON emergency_resources USING gist (geog);"));
  postgis_schema_ = schema;
  return {};
}

Status ResourceService::load() {
  if (db_.dialect() == db::Dialect::postgres) {
    auto w = db_.write();
    if (!w.ok()) return w.take_error();
    if (auto s = prepare_postgis(**w); !s.ok()) spdlog::warn("PostGIS column for rescue resources: {}", s.error().message);
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM emergency_resources");
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) index(from_row(row));
  return {};
}

void ResourceService::index(const Resource& r) {
  std::unique_lock lock(mu_);
  index_.put(r.id, r.lon, r.lat);
  meta_[r.id] = {r.kind, r.team_kind, r.region_code, r.status};
}

size_t ResourceService::indexed() const {
  std::shared_lock lock(mu_);
  return index_.size();
}

// Reads the fields a creation or a change carries into `r` (a change: only what is given).
Status ResourceService::validate(const json::object& fields, bool creating, Resource& r) {
  JsonFields f(fields);
  if (creating) r.kind = f.one_of("kind", true, kKinds).value_or("");
  else if (f.has("kind")) f.fail(Error::invalid_field("kind", "资源类别不能修改"));
  if (auto v = f.string("name", creating, 200)) r.name = *v;
  if (auto v = f.string("region_code", creating, 6)) r.region_code = *v;
  if (auto v = f.number("lon", creating, -180, 180)) r.lon = std::round(*v * 1e6) / 1e6;
  if (auto v = f.number("lat", creating, -90, 90)) r.lat = std::round(*v * 1e6) / 1e6;
  if (const json::object* c = f.object("contact", creating)) {
    JsonFields g = f.child("contact", *c);
    if (auto v = g.string("name", true, 50)) r.contact_name = *v;
    if (auto v = g.string("phone", true, 30)) r.contact_phone = *v;
    f.absorb(g);
  }
  if (auto v = f.one_of("status", false, kStatuses)) r.status = *v;
  // The kind's own fields.
  if (r.kind == "rescue_team") {
    if (auto v = f.one_of("team_kind", creating, kTeamKinds)) r.team_kind = *v;
    if (auto v = f.integer("members", false, 0, 100'000)) r.details["members"] = *v;
    if (auto v = f.string("equipment", false, 2000)) r.details["equipment"] = *v;
  } else if (r.kind == "expert") {
    if (auto v = f.string("field", creating, 100)) r.details["field"] = *v;
    if (auto v = f.string("title", false, 50)) r.details["title"] = *v;
  } else if (r.kind == "depot") {
    json::array materials;
    const bool given = f.objects("materials", false, 500, [&](JsonFields& g, size_t) {
      json::object m{{"item", g.string("item", true, 100).value_or("")}, {"unit", g.string("unit", true, 20).value_or("")}};
      if (auto q = g.number("quantity", true, 0, 1e12)) m["quantity"] = *q;
      materials.push_back(std::move(m));
    });
    if (given) r.details["materials"] = std::move(materials);
  } else if (r.kind == "shelter") {
    if (auto v = f.integer("capacity", creating, 1, 10'000'000)) r.details["capacity"] = *v;
  } else if (r.kind == "hospital") {
    if (auto v = f.integer("beds", creating, 0, 100'000)) r.details["beds"] = *v;
  }
  ANJIAN_TRY(f.finish());
  if (!regions_.find(r.region_code))
    return Error::invalid_field("region_code", "未知的行政区划代码");
  return {};
}

Result<Resource> ResourceService::prepare(const auth::Principal& who, const json::object& fields) {
  if (who.org_kind != "regulator") return Error::forbidden("应急资源由监管部门登记");
  Resource r;
  ANJIAN_TRY(validate(fields, true, r));
  if (!who.scope.sees(r.region_code)) return Error{"not_found", "该行政区划不在您的管辖范围内", "region_code"};
  r.id = new_id();
  r.org_id = who.org_id;
  r.created_by = who.display_name.empty() ? who.username : who.display_name;
  r.created_at = r.updated_at = now_ms();
  return r;
}

Status ResourceService::insert_in(db::Connection& c, const Resource& r) {
  ANJIAN_TRY(c.exec(std::string("INSERT INTO emergency_resources (") + kColumns + ") VALUES (" + db::placeholders(16) + ")",
                    {r.id, r.kind, r.name, r.region_code, r.org_id, r.lon, r.lat, r.contact_name, auth::PersonalData::instance().seal(r.contact_phone), r.status, r.team_kind,
                     json_text(r.details), r.created_by, r.created_at, r.updated_at, r.version}));
  return {};
}

Result<Resource> ResourceService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  auto r = prepare(who, fields);
  if (!r.ok()) return r.take_error();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(insert_in(c, *r));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "emergency_resource.create", "emergency_resource:" + r->id, r->region_code, "", source,
                                               json_text(json::object{{"kind", r->kind}, {"name", r->name}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  index(*r);  // after the commit: the index never holds what the table does not
  return r;
}

Result<Resource> ResourceService::read(db::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM emergency_resources WHERE id = ?", {id});
  if (!row.ok()) return row.take_error();
  return from_row(*row);
}

Result<Resource> ResourceService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto x = read(**r, id);
  if (!x.ok() && x.error().code != "not_found") return x.take_error();
  if (!x.ok() || !who.scope.sees(x->region_code)) return Error::not_found("应急资源不存在或不在您的管辖范围内");
  return x;
}

Result<Resource> ResourceService::update(const auth::Principal& who, const std::string& id, std::int64_t version, const json::object& fields,
                                         std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("应急资源由监管部门维护");
  Resource out;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto x = read(c, id);
    if (!x.ok() && x.error().code != "not_found") return x.take_error();
    if (!x.ok() || !who.scope.sees(x->region_code)) return Error::not_found("应急资源不存在或不在您的管辖范围内");
    if (x->version != version) return Error{"precondition_failed", "该资源已被他人修改，请刷新后再改", ""};
    ANJIAN_TRY(validate(fields, false, *x));
    if (!who.scope.sees(x->region_code)) return Error{"not_found", "该行政区划不在您的管辖范围内", "region_code"};
    x->updated_at = now_ms();
    ++x->version;
    ANJIAN_TRY(c.exec("UPDATE emergency_resources SET name = ?, region_code = ?, lon = ?, lat = ?, contact_name = ?, contact_phone = ?, status = ?, "
                      "team_kind = ?, details = ?, updated_at = ?, version = ? WHERE id = ?",
                      {x->name, x->region_code, x->lon, x->lat, x->contact_name, auth::PersonalData::instance().seal(x->contact_phone), x->status, x->team_kind, json_text(x->details),
                       x->updated_at, x->version, x->id}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "emergency_resource.update", "emergency_resource:" + x->id, x->region_code, "", source,
                                               json_text(auth::field_names(fields)))));
    out = std::move(*x);
    return true;
  });
  if (!done.ok()) return done.take_error();
  index(out);
  return out;
}

Result<std::vector<Resource>> ResourceService::list(const auth::Principal& who, const std::optional<std::string>& kind, std::int64_t limit) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  std::string where = who.scope.sql("region_code", "''", params);
  if (kind) {
    where += " AND kind = ?";
    params.emplace_back(*kind);
  }
  params.emplace_back(limit);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM emergency_resources WHERE " + where + " ORDER BY region_code, kind, name LIMIT ?",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Resource> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

Result<std::vector<Nearby>> ResourceService::nearest(const auth::Principal& who, const NearestQuery& q) {
  std::vector<GeoIndex::Hit> hits;
  {
    std::shared_lock lock(mu_);
    hits = index_.nearest(q.lon, q.lat, q.k, q.radius_m, [&](const std::string& id) {
      const auto& m = meta_.at(id);
      return m.status != "unavailable" && (!q.kind || m.kind == *q.kind) && (!q.team_kind || m.team_kind == *q.team_kind) &&
             who.scope.sees(m.region_code);
    });
  }
  return hydrate(hits);
}

Result<std::vector<Nearby>> ResourceService::within(const auth::Principal& who, double lon, double lat, double radius_m, size_t limit) {
  std::vector<GeoIndex::Hit> hits;
  {
    std::shared_lock lock(mu_);
    hits = index_.nearest(lon, lat, limit, radius_m, [&](const std::string& id) { return who.scope.sees(meta_.at(id).region_code); });
  }
  return hydrate(hits);
}

Result<Resource> ResourceService::set_status_in(db::Connection& c, const std::string& id, const std::string& status) {
  auto x = read(c, id);
  if (!x.ok()) return x.take_error();
  if (x->status == status) return x;
  x->status = status;
  x->updated_at = now_ms();
  ++x->version;
  ANJIAN_TRY(c.exec("UPDATE emergency_resources SET status = ?, updated_at = ?, version = ? WHERE id = ?", {x->status, x->updated_at, x->version, x->id}));
  return x;
}

double ResourceService::eta_min(const std::string& kind, double distance_m) const {
  const auto it = settings_.speed_kmh.find(kind);
  const double speed = it == settings_.speed_kmh.end() ? 40.0 : it->second;
  return std::round(distance_m * settings_.road_factor / (speed * 1000.0 / 60.0) * 10) / 10;
}

Result<std::vector<Nearby>> ResourceService::nearest_in_database(const auth::Principal& who, const NearestQuery& q) {
  if (postgis_schema_.empty()) return Error{"unavailable", "数据库未安装 PostGIS", ""};
  const std::string s = "\"" + postgis_schema_ + "\".";
  const std::string point = s + "ST_SetSRID(" + s + "ST_MakePoint(?, ?), 4326)::" + s + "geography";
  std::vector<Value> params{q.lon, q.lat};
  std::string where = "status <> 'unavailable' AND " + who.scope.sql("region_code", "''", params);
  if (q.kind) { where += " AND kind = ?"; params.emplace_back(*q.kind); }
  if (q.team_kind) { where += " AND team_kind = ?"; params.emplace_back(*q.team_kind); }
  if (q.radius_m > 0) {
    where += " AND " + s + "ST_DWithin(geog, " + point + ", ?, false)";
    for (Value v : {Value(q.lon), Value(q.lat), Value(q.radius_m)}) params.push_back(std::move(v));
  }
  for (Value v : {Value(q.lon), Value(q.lat), Value(static_cast<std::int64_t>(q.k))}) params.push_back(std::move(v));
  // The distance on the sphere (use_spheroid false), as the R-tree measures; KNN (<->) by the index.
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT id, " + s + "ST_Distance(geog, " + point + ", false) FROM emergency_resources WHERE " + where +
                              " ORDER BY geog OPERATOR(" + s + "<->) " + point + " LIMIT ?",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<GeoIndex::Hit> hits;
  for (const auto& row : *rows) hits.push_back({row.str(0), row.f64(1)});
  return hydrate(hits);
}

// The rows of the hits, in the hits' order, with the travel time of each.
Result<std::vector<Nearby>> ResourceService::hydrate(const std::vector<GeoIndex::Hit>& hits) {
  if (hits.empty()) return std::vector<Nearby>{};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> ids;
  for (const auto& h : hits) ids.emplace_back(h.id);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM emergency_resources WHERE id IN (" + db::placeholders(ids.size()) + ")", ids);
  if (!rows.ok()) return rows.take_error();
  std::map<std::string, Resource> by_id;
  for (const auto& row : *rows) {
    Resource x = from_row(row);
    by_id.emplace(x.id, std::move(x));
  }
  std::vector<Nearby> out;
  for (const auto& h : hits) {
    auto it = by_id.find(h.id);
    if (it == by_id.end()) continue;
    const double eta = eta_min(it->second.kind, h.distance_m);
    out.push_back({std::move(it->second), std::round(h.distance_m), eta});
  }
  return out;
}

}  // namespace anjian::emergency
