#include "modules/emergency/incident.h"

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/accident/kind_rules.h"
#include "modules/emergency/incident_rules.h"

namespace anjian::emergency {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "id, title, source, source_id, region_code, enterprise_uscc, enterprise_name, accident_kind, lon, lat, drill, status, opened_by, org_id, "
    "opened_at, closed_at, closing_note, version";
constexpr const char* kDispatchColumns =
    "id, incident_id, resource_id, resource_name, resource_kind, team_kind, status, assigned_at, accepted_at, en_route_at, on_site_at, done_at, "
    "cancelled_at, distance_m, eta_min, assigned_by, note, version";
constexpr const char* kNotFound = "应急响应不存在或不在您的管辖范围内";
const std::vector<std::string_view> kNoteKinds = {"instruction", "report", "note"};

Incident from_row(const db::Row& r) {
  Incident i;
  i.id = r.str(0);
  i.title = r.str(1);
  i.source = r.str(2);
  i.source_id = r.str(3);
  i.region_code = r.str(4);
  i.enterprise_uscc = r.str(5);
  i.enterprise_name = r.str(6);
  i.accident_kind = r.str(7);
  i.lon = r.f64(8);
  i.lat = r.f64(9);
  i.drill = r.i64(10) != 0;
  i.status = r.str(11);
  i.opened_by = r.str(12);
  i.org_id = r.str(13);
  i.opened_at = r.i64(14);
  i.closed_at = r.opt_i64(15);
  i.closing_note = r.str(16);
  i.version = r.i64(17);
  return i;
}

Dispatch dispatch_from_row(const db::Row& r) {
  Dispatch d;
  d.id = r.str(0);
  d.incident_id = r.str(1);
  d.resource_id = r.str(2);
  d.resource_name = r.str(3);
  d.resource_kind = r.str(4);
  d.team_kind = r.str(5);
  d.status = r.str(6);
  d.assigned_at = r.i64(7);
  d.accepted_at = r.opt_i64(8);
  d.en_route_at = r.opt_i64(9);
  d.on_site_at = r.opt_i64(10);
  d.done_at = r.opt_i64(11);
  d.cancelled_at = r.opt_i64(12);
  d.distance_m = r.f64(13);
  d.eta_min = r.f64(14);
  d.assigned_by = r.str(15);
  d.note = r.str(16);
  d.version = r.i64(17);
  return d;
}

std::string who_name(const auth::Principal& who) { return who.display_name.empty() ? who.username : who.display_name; }
std::string km(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", m / 1000.0);
  return buf;
}
json::value when(const std::optional<Millis>& t) { return t ? json::value(format_iso(*t)) : json::value(nullptr); }
std::optional<Millis>* step_time(Dispatch& d, std::string_view status) {
  if (status == "accepted") return &d.accepted_at;
  if (status == "en_route") return &d.en_route_at;
  if (status == "on_site") return &d.on_site_at;
  if (status == "done") return &d.done_at;
  if (status == "cancelled") return &d.cancelled_at;
  return nullptr;
}
}  // namespace

json::object to_json(const Dispatch& d) {
  return {{"id", d.id},
          {"resource_id", d.resource_id},
          {"resource_name", d.resource_name},
          {"resource_kind", d.resource_kind},
          {"team_kind", d.team_kind.empty() ? json::value(nullptr) : json::value(d.team_kind)},
          {"status", d.status},
          {"status_label", dispatch_status_label(d.status)},
          {"assigned_at", format_iso(d.assigned_at)},
          {"accepted_at", when(d.accepted_at)},
          {"en_route_at", when(d.en_route_at)},
          {"on_site_at", when(d.on_site_at)},
          {"done_at", when(d.done_at)},
          {"cancelled_at", when(d.cancelled_at)},
          {"distance_m", d.distance_m},
          {"eta_min", d.eta_min},
          {"assigned_by", d.assigned_by},
          {"note", d.note},
          {"version", d.version}};
}

json::object to_json(const Incident& i, bool with_details) {
  const auto kind = accident::find_kind(i.accident_kind);
  json::object o{{"id", i.id},
                 {"title", i.title},
                 {"source", i.source},
                 {"source_label", incident_source_label(i.source)},
                 {"source_id", i.source_id.empty() ? json::value(nullptr) : json::value(i.source_id)},
                 {"region_code", i.region_code},
                 {"enterprise_uscc", i.enterprise_uscc.empty() ? json::value(nullptr) : json::value(i.enterprise_uscc)},
                 {"enterprise_name", i.enterprise_name},
                 {"accident_kind", i.accident_kind.empty() ? json::value(nullptr) : json::value(i.accident_kind)},
                 {"accident_kind_name", kind ? kind->name : std::string()},
                 {"lon", i.lon},
                 {"lat", i.lat},
                 {"drill", i.drill},
                 {"status", i.status},
                 {"status_label", i.status == "open" ? "响应中" : "已结束"},
                 {"opened_by", i.opened_by},
                 {"opened_at", format_iso(i.opened_at)},
                 {"closed_at", when(i.closed_at)},
                 {"closing_note", i.closing_note},
                 {"version", i.version}};
  if (with_details) {
    json::array events, dispatches;
    for (const auto& e : i.events)
      events.push_back(json::object{{"seq", e.seq}, {"at", format_iso(e.at)}, {"kind", e.kind}, {"kind_label", incident_event_label(e.kind)},
                                    {"text", e.text}, {"actor_name", e.actor_name}});
    for (const auto& d : i.dispatches) dispatches.push_back(to_json(d));
    o["events"] = std::move(events);
    o["dispatches"] = std::move(dispatches);
  }
  return o;
}

Result<Incident> IncidentService::load(db::Connection& c, const std::string& id, bool with_details) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM incidents WHERE id = ?", {id});
  if (!row.ok()) return row.error().code == "not_found" ? Result<Incident>(Error::not_found(kNotFound)) : row.take_error();
  Incident i = from_row(*row);
  if (with_details) {
    auto ev = c.query("SELECT seq, at, kind, text, actor_name FROM incident_events WHERE incident_id = ? ORDER BY seq", {id});
    if (!ev.ok()) return ev.take_error();
    for (const auto& r : *ev) i.events.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4)});
    auto ds = c.query(std::string("SELECT ") + kDispatchColumns + " FROM incident_dispatches WHERE incident_id = ? ORDER BY assigned_at, id", {id});
    if (!ds.ok()) return ds.take_error();
    for (const auto& r : *ds) i.dispatches.push_back(dispatch_from_row(r));
  }
  return i;
}

Result<Incident> IncidentService::load_visible(db::Connection& c, const auth::Principal& who, const std::string& id, bool with_details) {
  if (who.org_kind != "regulator") return Error::not_found(kNotFound);
  auto i = load(c, id, with_details);
  if (!i.ok()) return i.take_error();
  if (!who.scope.sees(i->region_code)) return Error::not_found(kNotFound);
  return i;
}

Status IncidentService::add_event(db::Connection& c, Incident& i, const auth::Principal& who, std::string kind, std::string text) {
  auto n = c.query_one("SELECT COALESCE(MAX(seq), 0) FROM incident_events WHERE incident_id = ?", {i.id});
  if (!n.ok()) return n.take_error();
  IncidentEvent e{n->i64(0) + 1, now_ms(), std::move(kind), std::move(text), who_name(who)};
  ANJIAN_TRY(c.exec("INSERT INTO incident_events (incident_id, seq, at, kind, text, actor_name) VALUES (?, ?, ?, ?, ?, ?)",
                    {i.id, e.seq, e.at, e.kind, e.text, e.actor_name}));
  i.events.push_back(std::move(e));
  return {};
}

Status IncidentService::write_dispatch(db::Connection& c, const Dispatch& d, bool insert) {
  auto opt = [](const std::optional<Millis>& t) { return t ? Value(*t) : Value(nullptr); };
  if (insert) {
    ANJIAN_TRY(c.exec(std::string("INSERT INTO incident_dispatches (") + kDispatchColumns + ") VALUES (" + db::placeholders(18) + ")",
                  {d.id, d.incident_id, d.resource_id, d.resource_name, d.resource_kind, d.team_kind, d.status, d.assigned_at, opt(d.accepted_at),
                   opt(d.en_route_at), opt(d.on_site_at), opt(d.done_at), opt(d.cancelled_at), d.distance_m, d.eta_min, d.assigned_by, d.note,
                   d.version}));
    return {};
  }
  ANJIAN_TRY(c.exec("UPDATE incident_dispatches SET status = ?, accepted_at = ?, en_route_at = ?, on_site_at = ?, done_at = ?, cancelled_at = ?, "
                "note = ?, version = ? WHERE id = ?",
                {d.status, opt(d.accepted_at), opt(d.en_route_at), opt(d.on_site_at), opt(d.done_at), opt(d.cancelled_at), d.note, d.version, d.id}));
  return {};
}

void IncidentService::announce(const Incident& i, std::string_view what) {
  for (const auto& l : listeners_) l(i, what);
}

Result<IncidentService::Opened> IncidentService::open(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("应急响应由监管部门启动");
  JsonFields f(fields);
  Incident i;
  const auto accident_id = f.string("accident_id", false, 64);
  const auto alarm_id = f.string("alarm_id", false, 64);
  const auto title = f.string("title", !accident_id && !alarm_id, 200);
  const auto region = f.string("region_code", false, 6);
  const auto lon = f.number("lon", false, -180, 180);
  const auto lat = f.number("lat", false, -90, 90);
  const auto uscc = f.string("enterprise_uscc", false, 18);
  i.drill = f.boolean("drill", false).value_or(false);
  ANJIAN_TRY(f.finish());
  if (accident_id && alarm_id) return Error::invalid_field("alarm_id", "一次响应只能来自一起事故或一条报警");
  if (lon.has_value() != lat.has_value()) return Error::invalid_field(lon ? "lat" : "lon", "经度和纬度须一起填写");

  if (accident_id) {
    auto a = accidents_.get(who, *accident_id);
    if (!a.ok()) return Error{"not_found", "事故不存在或不在您的管辖范围内", "accident_id"};
    i.source = "accident";
    i.source_id = a->id;
    i.region_code = a->region_code;
    i.enterprise_uscc = a->enterprise_uscc;
    i.enterprise_name = a->party_name;
    i.accident_kind = a->kind;
    const auto k = accident::find_kind(a->kind);
    i.title = title.value_or(a->party_name + (k ? k->name : std::string()) + "事故");
    if (a->lon && a->lat) {
      i.lon = *a->lon;
      i.lat = *a->lat;
    }
  } else if (alarm_id) {
    auto al = alarms_.get(who.scope, *alarm_id);
    if (!al.ok()) return Error{"not_found", "报警不存在或不在您的管辖范围内", "alarm_id"};
    i.source = "alarm";
    i.source_id = al->id;
    i.region_code = al->region_code;
    i.enterprise_uscc = al->enterprise_uscc;
    i.enterprise_name = al->enterprise_name;
    i.title = title.value_or(al->enterprise_name + al->point_name + "报警");
  } else {
    i.source = "manual";
    i.title = *title;
    if (uscc) {
      auto e = enterprises_.get(who.scope, *uscc);
      if (!e.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
      i.enterprise_uscc = e->uscc;
      i.enterprise_name = e->name;
      i.region_code = e->region_code;
    }
    if (region) {
      if (!regions_.find(*region)) return Error::invalid_field("region_code", "未知的行政区划代码");
      i.region_code = *region;
    }
    if (i.region_code.empty()) return Error::invalid_field("region_code", "请填写事发地行政区划");
    if (!who.scope.sees(i.region_code)) return Error{"not_found", "该行政区划不在您的管辖范围内", "region_code"};
  }
  // The place: as given, else the source's, else the enterprise's.
  if (lon) {
    i.lon = std::round(*lon * 1e6) / 1e6;
    i.lat = std::round(*lat * 1e6) / 1e6;
  } else if (i.lon == 0 && i.lat == 0 && !i.enterprise_uscc.empty()) {
    if (auto e = enterprises_.get(who.scope, i.enterprise_uscc); e.ok() && e->lon && e->lat) {
      i.lon = *e->lon;
      i.lat = *e->lat;
    }
  }
  if (i.lon == 0 && i.lat == 0) return Error::invalid_field("lon", "没有事发地点的坐标，请在地图上选定位置");

  i.id = new_id();
  i.opened_by = who_name(who);
  i.org_id = who.org_id;
  i.opened_at = now_ms();
  bool created = false;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<Incident> {
    if (!i.source_id.empty()) {
      auto existing = c.query("SELECT id FROM incidents WHERE source = ? AND source_id = ? AND status = 'open'", {i.source, i.source_id});
      if (!existing.ok()) return existing.take_error();
      if (!existing->empty()) return load(c, existing->front().str(0), true);
    }
    ANJIAN_TRY(c.exec(std::string("INSERT INTO incidents (") + kColumns + ") VALUES (" + db::placeholders(18) + ")",
                      {i.id, i.title, i.source, i.source_id, i.region_code, i.enterprise_uscc, i.enterprise_name, i.accident_kind, i.lon, i.lat,
                       std::int64_t{i.drill}, i.status, i.opened_by, i.org_id, i.opened_at, nullptr, i.closing_note, i.version}));
    ANJIAN_TRY(add_event(c, i, who, "opened", (i.drill ? "【演练】" : "") + std::string("启动应急响应：") + i.title));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "incident.open", "incident:" + i.id, i.region_code, i.enterprise_uscc, source,
                                               json_text(json::object{{"title", i.title}, {"source", incident_source_label(i.source)},
                                                                      {"drill", i.drill}}))));
    created = true;
    return i;
  });
  if (!done.ok()) return done.take_error();
  if (created) announce(*done, "opened");
  return Opened{std::move(*done), created};
}

Result<Incident> IncidentService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return load_visible(**r, who, id, true);
}

Result<std::vector<Incident>> IncidentService::list(const auth::Principal& who, const IncidentFilter& f) {
  if (who.org_kind != "regulator") return std::vector<Incident>{};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  std::string where = who.scope.sql("region_code", "''", params);
  if (f.status) { where += " AND status = ?"; params.emplace_back(*f.status); }
  if (f.drill) { where += " AND drill = ?"; params.emplace_back(std::int64_t{*f.drill}); }
  params.emplace_back(f.limit);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM incidents WHERE " + where + " ORDER BY opened_at DESC, id LIMIT ?", params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Incident> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

Result<Incident> IncidentService::note(const auth::Principal& who, const std::string& id, const json::object& fields, std::string_view source) {
  JsonFields f(fields);
  const auto kind = f.one_of("kind", true, kNoteKinds);
  const auto text = f.string("text", true, 2000);
  ANJIAN_TRY(f.finish());
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<Incident> {
    auto i = load_visible(c, who, id, true);
    if (!i.ok()) return i.take_error();
    if (i->status != "open") return Error::conflict("该应急响应已结束");
    ANJIAN_TRY(add_event(c, *i, who, *kind, *text));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "incident.note", "incident:" + i->id, i->region_code, i->enterprise_uscc, source,
                                               json_text(json::object{{"kind", incident_event_label(*kind)}, {"text", *text}}))));
    return i;
  });
  if (done.ok()) announce(*done, "noted");
  return done;
}

Result<Incident> IncidentService::dispatch(const auth::Principal& who, const std::string& id, const json::object& fields, std::string_view source) {
  JsonFields f(fields);
  const auto resource_id = f.string("resource_id", true, 64);
  const auto note = f.string("note", false, 500);
  ANJIAN_TRY(f.finish());
  auto res = resources_.get(who, *resource_id);
  if (!res.ok()) return Error{"not_found", "应急资源不存在或不在您的管辖范围内", "resource_id"};
  if (res->status == "unavailable") return Error::conflict("该资源当前不可用", "resource_id");
  Resource moved;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<Incident> {
    auto i = load_visible(c, who, id, true);
    if (!i.ok()) return i.take_error();
    if (i->status != "open") return Error::conflict("该应急响应已结束");
    for (const auto& d : i->dispatches)
      if (d.resource_id == res->id && dispatch_active(d.status)) return Error::conflict(res->name + " 已调派到本次响应", "resource_id");
    Dispatch d;
    d.id = new_id();
    d.incident_id = i->id;
    d.resource_id = res->id;
    d.resource_name = res->name;
    d.resource_kind = res->kind;
    d.team_kind = res->team_kind;
    d.assigned_at = now_ms();
    const double dist = great_circle_m(i->lon, i->lat, res->lon, res->lat);
    d.distance_m = std::round(dist);
    d.eta_min = resources_.eta_min(res->kind, dist);
    d.assigned_by = who_name(who);
    d.note = note.value_or("");
    ANJIAN_TRY(write_dispatch(c, d, true));
    auto m = resources_.set_status_in(c, res->id, "deployed");
    if (!m.ok()) return m.take_error();
    moved = std::move(*m);
    ANJIAN_TRY(add_event(c, *i, who, "dispatch",
                         "调派 " + d.resource_name + "（距离约 " + km(d.distance_m) + " 公里）" + (d.note.empty() ? "" : "：" + d.note)));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "incident.dispatch", "incident:" + i->id, i->region_code, i->enterprise_uscc, source,
                                               json_text(json::object{{"resource", d.resource_name}, {"dispatch_id", d.id}}))));
    i->dispatches.push_back(std::move(d));
    return i;
  });
  if (!done.ok()) return done.take_error();
  resources_.reindex(moved);
  announce(*done, "dispatched");
  return done;
}

Result<Incident> IncidentService::advance(const auth::Principal& who, const std::string& id, const std::string& dispatch_id,
                                          const json::object& fields, std::string_view source) {
  JsonFields f(fields);
  const auto status = f.one_of("status", true, dispatch_statuses());
  const auto note = f.string("note", false, 500);
  ANJIAN_TRY(f.finish());
  std::optional<Resource> freed;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<Incident> {
    auto i = load_visible(c, who, id, true);
    if (!i.ok()) return i.take_error();
    auto d = std::find_if(i->dispatches.begin(), i->dispatches.end(), [&](const Dispatch& x) { return x.id == dispatch_id; });
    if (d == i->dispatches.end()) return Error::not_found("调派不存在");
    if (!dispatch_may_move(d->status, *status)) {
      std::vector<std::string> allowed;
      for (auto s : dispatch_statuses())
        if (dispatch_may_move(d->status, s)) allowed.emplace_back(s);
      return Error::invalid_transition("调派已是“" + std::string(dispatch_status_label(d->status)) + "”，不能改为“" +
                                           std::string(dispatch_status_label(*status)) + "”",
                                       allowed);
    }
    d->status = *status;
    *step_time(*d, *status) = now_ms();
    if (note) d->note = *note;
    ++d->version;
    ANJIAN_TRY(write_dispatch(c, *d, false));
    if (!dispatch_active(d->status)) {
      auto m = resources_.set_status_in(c, d->resource_id, "available");
      if (!m.ok()) return m.take_error();
      freed = std::move(*m);
    }
    ANJIAN_TRY(add_event(c, *i, who, "dispatch_status",
                         d->resource_name + "：" + std::string(dispatch_status_label(d->status)) + (note ? "（" + *note + "）" : "")));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "incident.dispatch_status", "incident:" + i->id, i->region_code, i->enterprise_uscc, source,
                                               json_text(json::object{{"resource", d->resource_name},
                                                                      {"status", dispatch_status_label(d->status)}}))));
    return i;
  });
  if (!done.ok()) return done.take_error();
  if (freed) resources_.reindex(*freed);
  announce(*done, "dispatch_changed");
  return done;
}

Result<Incident> IncidentService::close(const auth::Principal& who, const std::string& id, const json::object& fields, std::string_view source) {
  JsonFields f(fields);
  const auto note = f.string("note", false, 2000);
  ANJIAN_TRY(f.finish());
  std::vector<Resource> freed;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<Incident> {
    auto i = load_visible(c, who, id, true);
    if (!i.ok()) return i.take_error();
    if (i->status != "open") return Error::conflict("该应急响应已结束");
    const Millis now = now_ms();
    for (auto& d : i->dispatches) {
      if (!dispatch_active(d.status)) continue;
      d.status = "done";
      d.done_at = now;
      ++d.version;
      ANJIAN_TRY(write_dispatch(c, d, false));
      auto m = resources_.set_status_in(c, d.resource_id, "available");
      if (!m.ok()) return m.take_error();
      freed.push_back(std::move(*m));
    }
    i->status = "closed";
    i->closed_at = now;
    i->closing_note = note.value_or("");
    ++i->version;
    ANJIAN_TRY(c.exec("UPDATE incidents SET status = ?, closed_at = ?, closing_note = ?, version = ? WHERE id = ?",
                      {i->status, now, i->closing_note, i->version, i->id}));
    ANJIAN_TRY(add_event(c, *i, who, "closed", "应急响应结束" + (i->closing_note.empty() ? std::string() : "：" + i->closing_note)));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "incident.close", "incident:" + i->id, i->region_code, i->enterprise_uscc, source,
                                               json_text(json::object{{"note", i->closing_note}}))));
    return i;
  });
  if (!done.ok()) return done.take_error();
  for (const auto& r : freed) resources_.reindex(r);
  announce(*done, "closed");
  return done;
}

}  // namespace anjian::emergency
