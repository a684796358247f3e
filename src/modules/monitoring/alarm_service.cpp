#include "modules/monitoring/alarm_service.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include "base/json_fields.h"

namespace anjian::monitoring {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "a.id, a.enterprise_uscc, a.point_id, a.point_code, a.type, a.level, a.reason, a.state, a.value, a.raised_at, "
    "a.acknowledged_at, a.recovered_at, a.closed_at, a.acknowledged_by, a.closed_by, a.disposal, a.version, e.name, "
    "e.region_code, p.name, a.escalated_at, a.escalated_to, p.unit, a.peak_value, a.peak_at, a.power_off_at, "
    "a.power_restored_at, a.late, a.silent_points, p.indicator";
constexpr const char* kFrom =
    " FROM alarms a JOIN enterprises e ON e.uscc = a.enterprise_uscc LEFT JOIN monitoring_points p ON p.id = a.point_id WHERE ";

Alarm from_row(const db::Row& r) {
  Alarm a;
  a.id = r.str(0);
  a.enterprise_uscc = r.str(1);
  a.point_id = r.str(2);
  a.point_code = r.str(3);
  a.type = r.str(4);
  a.level = r.str(5);
  a.reason = r.str(6);
  a.state = r.str(7);
  a.value = r.f64(8);
  a.raised_at = r.i64(9);
  a.acknowledged_at = r.opt_i64(10);
  a.recovered_at = r.opt_i64(11);
  a.closed_at = r.opt_i64(12);
  a.acknowledged_by = r.str(13);
  a.closed_by = r.str(14);
  a.disposal = r.str(15);
  a.version = r.i64(16);
  a.enterprise_name = r.str(17);
  a.region_code = r.str(18);
  a.point_name = r.str(19);
  a.escalated_at = r.opt_i64(20);
  a.escalated_to = r.str(21);
  a.unit = r.str(22);
  a.peak_value = r.opt_f64(23);
  a.peak_at = r.opt_i64(24);
  a.power_off_at = r.opt_i64(25);
  a.power_restored_at = r.opt_i64(26);
  a.late = r.i64(27) != 0;
  a.silent_points = r.opt_i64(28);
  a.indicator = r.str(29);
  return a;
}

Result<Alarm> get_in(db::Connection& c, const auth::Scope& scope, const std::string& id) {
  std::vector<Value> params{id};
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + "a.id = ? AND " + scope.sql("e.region_code", "e.uscc", params), params);
  if (!row.ok()) return row.take_error();
  return from_row(*row);
}
}  // namespace

json::object to_json(const Alarm& a) {
  auto t = [](const std::optional<Millis>& v) { return v ? json::value(format_iso(*v)) : json::value(nullptr); };
  json::object o{{"id", a.id}, {"enterprise_uscc", a.enterprise_uscc}, {"enterprise_name", a.enterprise_name},
                 {"region_code", a.region_code}, {"point", a.point_code}, {"point_id", a.point_id}, {"point_name", a.point_name},
                 {"type", a.type}, {"level", a.level == "none" ? json::value(a.type) : json::value(a.level)},
                 {"state", a.state}, {"value", a.value}, {"unit", a.unit}, {"raised_at", format_iso(a.raised_at)},
                 {"acknowledged_at", t(a.acknowledged_at)}, {"recovered_at", t(a.recovered_at)}, {"closed_at", t(a.closed_at)},
                 {"version", a.version}};
  if (!a.reason.empty()) o["reason"] = a.reason;
  if (!a.acknowledged_by.empty()) o["acknowledged_by"] = a.acknowledged_by;
  if (!a.closed_by.empty()) o["closed_by"] = a.closed_by;
  if (!a.disposal.empty()) o["disposal"] = json::parse(a.disposal);
  o["escalated_at"] = a.escalated_at ? json::value(format_iso(*a.escalated_at)) : json::value(nullptr);
  if (!a.escalated_to.empty()) o["escalated_to"] = a.escalated_to;
  // How bad and how long: the value furthest past the limit, and the time it has lasted (to its
  // recovery, or to now while it goes on).
  o["peak_value"] = a.peak_value ? json::value(*a.peak_value) : json::value(a.value);
  o["peak_at"] = format_iso(a.peak_at.value_or(a.raised_at));
  o["duration_s"] = (a.recovered_at.value_or(now_ms()) - a.raised_at) / 1000;
  o["power_off_at"] = t(a.power_off_at);
  o["power_restored_at"] = t(a.power_restored_at);
  o["late"] = a.late;
  if (a.silent_points) o["silent_points"] = *a.silent_points;
  return o;
}

Result<std::pair<std::vector<Alarm>, std::int64_t>> AlarmService::list(const auth::Scope& scope, const AlarmFilter& f) {
  std::vector<Value> params;
  std::string where = "(" + scope.sql("e.region_code", "e.uscc", params) + ")";
  // 待处置: raised, or recovered before anyone acknowledged it — nobody has looked at it yet.
  if (f.state == "unhandled") where += " AND (a.state = 'raised' OR (a.state = 'recovered' AND a.acknowledged_at IS NULL))";
  else if (f.state) { where += " AND a.state = ?"; params.emplace_back(*f.state); }
  if (f.q) {
    // The words as typed: % and _ are searched for, not wildcards.
    std::string pattern = "%";
    for (char ch : *f.q) {
      if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
      pattern += ch;
    }
    where += " AND e.name LIKE ? ESCAPE '!'";
    params.emplace_back(pattern + "%");
  }
  if (f.type) { where += " AND a.type = ?"; params.emplace_back(*f.type); }
  if (f.enterprise_uscc) { where += " AND a.enterprise_uscc = ?"; params.emplace_back(*f.enterprise_uscc); }
  if (f.from) { where += " AND a.raised_at >= ?"; params.emplace_back(*f.from); }
  if (f.to) { where += " AND a.raised_at < ?"; params.emplace_back(*f.to); }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto n = (*r)->query_one(std::string("SELECT COUNT(*)") + kFrom + where, params);
  if (!n.ok()) return n.take_error();
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY a.raised_at DESC, a.id LIMIT ? OFFSET ?", params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Alarm> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return std::make_pair(std::move(out), n->i64(0));
}

Result<size_t> AlarmService::escalate(Millis now, const EscalationSettings& set) {
  // Severe conditions go up when they have lasted long enough, acknowledged or not; an alarm of its
  // point's highest level (断电, 高高/低低, or 高/低 where the point has no second level) goes up
  // when nobody acknowledged it.
  const std::string lasting =
      "(a.recovered_at IS NULL AND a.state IN ('raised', 'acknowledged') AND ("
      "(a.type = 'no_power_off' AND a.raised_at <= ?) OR "
      "(a.type IN ('power_off', 'reported_power_off') AND a.raised_at <= ?) OR "
      "(a.type IN ('offline', 'fault') AND p.indicator IN ('methane', 'carbon_monoxide') AND a.raised_at <= ?) OR "
      "(a.type = 'network_down' AND a.raised_at <= ?)))";
  const std::string unacknowledged =
      "(a.state = 'raised' AND a.raised_at <= ? AND (a.type = 'power_off' OR (a.type = 'threshold' AND (a.level IN ('high_high', 'low_low') "
      "OR (a.level = 'high' AND p.high_high IS NULL) OR (a.level = 'low' AND p.low_low IS NULL)))))";
  std::vector<Alarm> escalated;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<size_t> {
    auto due = c.query(std::string("SELECT ") + kColumns + " FROM alarms a JOIN enterprises e ON e.uscc = a.enterprise_uscc "
                       "LEFT JOIN monitoring_points p ON p.id = a.point_id WHERE a.escalated_at IS NULL AND a.late = 0 AND (" +
                       lasting + " OR " + unacknowledged + ")",
                       {now - set.no_power_off_ms, now - set.power_off_ms, now - set.gas_sensor_ms, now - set.network_down_ms,
                        now - set.unacknowledged_ms});
    if (!due.ok()) return due.take_error();
    auth::Principal system;
    system.username = "system";
    system.display_name = "系统";
    for (const auto& row : *due) {
      Alarm a = from_row(row);
      // The next regulator up: the parent of the enterprise's county (a city, or the province).
      auto parent = c.query("SELECT parent FROM regions WHERE code = ?", {a.region_code});
      if (!parent.ok()) return parent.take_error();
      a.escalated_to = parent->empty() || (*parent)[0].null(0) ? a.region_code : (*parent)[0].str(0);
      a.escalated_at = now;
      ANJIAN_TRY(c.exec("UPDATE alarms SET escalated_at = ?, escalated_to = ?, version = version + 1 WHERE id = ?",
                        {now, a.escalated_to, a.id}));
      ANJIAN_TRY(audit_.record_in(c, audit_event(system, "alarm.escalate", "alarm:" + a.id, a.region_code, a.enterprise_uscc,
                                                 "system", json_text(json::object{{"to", a.escalated_to}}))));
      if (record_) ANJIAN_TRY(record_(c, a));
      escalated.push_back(std::move(a));
    }
    return escalated.size();
  });
  if (done.ok() && escalate_)
    for (const auto& a : escalated)
      escalate_(json_text(json::object{{"type", "alarm.escalated"}, {"data", to_json(a)}}), a.region_code, a.enterprise_uscc);
  return done;
}

Result<Alarm> AlarmService::get(const auth::Scope& scope, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return get_in(**r, scope, id);
}

Result<Alarm> AlarmService::transition(const auth::Principal& who, const std::string& id, const char* action,
                                       std::string_view source, const std::string& sql, std::vector<Value> params,
                                       json::object detail) {
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<Alarm> {
    auto a = get_in(c, who.scope, id);
    if (!a.ok()) return a.take_error();
    params.push_back(a->id);
    auto n = c.exec(sql, params);
    if (!n.ok()) return n.take_error();
    if (*n == 0) return Error{"invalid_state", "报警当前状态（" + a->state + "）不允许此操作", "state"};
    // What a reader of the audit log needs without opening the alarm: whose, which point, what was recorded.
    detail["enterprise_name"] = a->enterprise_name;
    detail["point"] = a->point_name.empty() ? a->point_code : a->point_name + "（" + a->point_code + "）";
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, action, "alarm:" + a->id, a->region_code, a->enterprise_uscc, source,
                                               json_text(detail))));
    return get_in(c, who.scope, id);
  });
}

Result<Alarm> AlarmService::acknowledge(const auth::Principal& who, const std::string& id, std::string_view source) {
  return transition(who, id, "alarm.acknowledge", source,
                    "UPDATE alarms SET state = CASE WHEN state = 'raised' THEN 'acknowledged' ELSE state END, "
                    "acknowledged_at = ?, acknowledged_by = ?, version = version + 1 "
                    "WHERE id = ? AND acknowledged_at IS NULL AND state <> 'closed'",
                    {now_ms(), who.username});
}

Result<Alarm> AlarmService::close(const auth::Principal& who, const std::string& id, const json::object& disposal,
                                  std::string_view source) {
  JsonFields f(disposal);
  auto cause = f.string("cause", true, 500);
  auto measures = f.string("measures", true, 1000);
  auto person = f.string("person", true, 50);
  ANJIAN_TRY(f.finish());
  const std::string record = json_text(json::object{{"cause", *cause}, {"measures", *measures}, {"person", *person}});
  // Only an alarm whose condition has ended can be closed: a live one would be hidden while real.
  return transition(who, id, "alarm.close", source,
                    "UPDATE alarms SET state = 'closed', closed_at = ?, closed_by = ?, disposal = ?, version = version + 1 "
                    "WHERE id = ? AND recovered_at IS NOT NULL AND state <> 'closed'",
                    {now_ms(), who.username, record},
                    json::object{{"disposal", json::object{{"cause", *cause}, {"measures", *measures}, {"person", *person}}}});
}

}  // namespace anjian::monitoring
