#include "modules/emergency/duty.h"

#include "auth/personal_data.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/emergency/duty_rules.h"

namespace anjian::emergency {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kShiftColumns =
    "id, org_id, region_code, day, name, starts_at, ends_at, officer_id, officer_name, leader_id, leader_name, phone, version";
Shift shift_of(const db::Row& r) {
  return {r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5), r.i64(6), r.str(7), r.str(8), r.str(9), r.str(10), auth::PersonalData::instance().open(r.str(11)), r.i64(12)};
}
constexpr const char* kLogColumns = "id, org_id, region_code, at, kind, text, author, accident_id";
LogEntry entry_of(const db::Row& r) { return {r.str(0), r.str(1), r.str(2), r.i64(3), r.str(4), r.str(5), r.str(6), r.str(7)}; }

std::string_view log_kind_label(std::string_view k) {
  if (k == "report_in") return "接报";
  if (k == "report_out") return "上报";
  if (k == "call") return "来电";
  if (k == "instruction") return "领导批示";
  if (k == "handover") return "交接班";
  return "记事";
}
}  // namespace

json::object to_json(const Shift& s) {
  return {{"id", s.id},           {"region_code", s.region_code}, {"day", s.day},
          {"name", s.name},       {"starts_at", format_iso(s.starts_at)}, {"ends_at", format_iso(s.ends_at)},
          {"officer", json::object{{"id", s.officer_id}, {"name", s.officer_name}}},
          {"leader", json::object{{"id", s.leader_id}, {"name", s.leader_name}}},
          {"phone", s.phone},     {"version", s.version}};
}

json::object to_json(const LogEntry& e) {
  return {{"id", e.id},     {"region_code", e.region_code}, {"at", format_iso(e.at)},    {"kind", e.kind},
          {"kind_label", log_kind_label(e.kind)}, {"text", e.text}, {"author", e.author},
          {"accident_id", e.accident_id.empty() ? json::value(nullptr) : json::value(e.accident_id)}};
}

Result<auth::Org> DutyService::org_for(const auth::Principal& who, const std::optional<std::string>& region_code) {
  if (who.org_kind != "regulator") return Error::forbidden("应急值守属于监管部门");
  if (!region_code) return identity_.get_org(auth::Scope::all(), who.org_id);
  if (!regions_.find(*region_code) || !(who.scope.kind() == auth::Scope::Kind::all || who.scope.covers_region(regions_, *region_code)))
    return Error::not_found("该地区不在您的管辖范围内");
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto orgs = identity_.regulators_at(**r, {*region_code});
  if (!orgs.ok()) return orgs.take_error();
  if (orgs->empty()) return Error::not_found("该地区没有监管部门在平台上");
  return orgs->begin()->second;
}

Result<std::int64_t> DutyService::generate(const auth::Principal& who, const json::object& fields, std::string_view source) {
  auto org = org_for(who, std::nullopt);
  if (!org.ok()) return org.take_error();
  JsonFields f(fields);
  const auto month = f.string("month", true, 7);
  std::vector<ShiftPattern> patterns;
  f.objects("shifts", true, 6, [&](JsonFields& g, size_t i) {
    ShiftPattern p;
    p.name = g.string("name", true, 20).value_or("");
    for (auto [key, into] : {std::pair{"start", &p.start_min}, std::pair{"end", &p.end_min}})
      if (auto t = g.string(key, true, 5)) {
        if (auto m = minutes_of(*t)) *into = *m;
        else g.fail(Error::invalid_field("shifts[" + std::to_string(i) + "]." + key, "时间须为 HH:MM，如 08:30"));
      }
    patterns.push_back(std::move(p));
  });
  const auto officers = f.strings("officers", true, 100, 64);
  const auto leaders = f.strings("leaders", true, 50, 64);
  const std::string phone = f.string("phone", true, 30).value_or("");
  const bool replace = f.boolean("replace", false).value_or(false);
  ANJIAN_TRY(f.finish());
  const auto first = month ? parse_date(*month + "-01") : std::nullopt;
  if (!first) return Error::invalid_field("month", "月份须为 YYYY-MM，如 2026-12");
  if (patterns.empty()) return Error::invalid_field("shifts", "至少一个班次");
  if (officers->empty()) return Error::invalid_field("officers", "至少一名值班人员");
  if (leaders->empty()) return Error::invalid_field("leaders", "至少一名带班领导");
  // The people are the org's own.
  auto users = identity_.list_users(who.scope.kind() == auth::Scope::Kind::none ? auth::Scope::all() : who.scope);
  if (!users.ok()) return users.take_error();
  std::map<std::string, std::string> names;
  for (const auto& u : *users)
    if (u.org_id == org->id && !u.disabled) names[u.id] = u.display_name;
  for (auto [key, list] : {std::pair{"officers", &*officers}, std::pair{"leaders", &*leaders}})
    for (const auto& id : *list)
      if (!names.count(id)) return Error::invalid_field(key, "不是本单位的在岗人员：" + id);
  const std::int64_t next_month = *parse_date(format_date(*first + 31).substr(0, 8) + "01");
  const auto planned = rotate(*first, static_cast<int>(next_month - *first), patterns, *officers, *leaders);
  const std::string region = org->level == "national" ? std::string() : org->region_code;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto existing = c.query_one("SELECT COUNT(*) FROM duty_shifts WHERE org_id = ? AND day >= ? AND day < ?",
                                {org->id, format_date(*first), format_date(next_month)});
    if (!existing.ok()) return existing.take_error();
    if (existing->i64(0) > 0 && !replace) return Error::conflict(*month + " 已有值班表；要重新生成请选择覆盖（replace）");
    ANJIAN_TRY(c.exec("DELETE FROM duty_shifts WHERE org_id = ? AND day >= ? AND day < ?", {org->id, format_date(*first), format_date(next_month)}));
    for (const auto& s : planned)
      ANJIAN_TRY(c.exec(std::string("INSERT INTO duty_shifts (") + kShiftColumns + ") VALUES (" + db::placeholders(13) + ")",
                        {new_id(), org->id, region, format_date(s.day), s.name, s.starts_at, s.ends_at, s.officer, names[s.officer], s.leader,
                         names[s.leader], auth::PersonalData::instance().seal(phone), std::int64_t{1}}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "duty.generate", "org:" + org->id, region, "", source,
                                               json_text(json::object{{"month", *month}, {"shifts", planned.size()}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return static_cast<std::int64_t>(planned.size());
}

Result<std::vector<Shift>> DutyService::month(const auth::Principal& who, const std::string& m, const std::optional<std::string>& region_code) {
  auto org = org_for(who, region_code);
  if (!org.ok()) return org.take_error();
  const auto first = parse_date(m + "-01");
  if (m.size() != 7 || !first) return Error::invalid_field("month", "月份须为 YYYY-MM，如 2026-12");
  const std::int64_t next_month = *parse_date(format_date(*first + 31).substr(0, 8) + "01");
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query(std::string("SELECT ") + kShiftColumns + " FROM duty_shifts WHERE org_id = ? AND day >= ? AND day < ? ORDER BY starts_at",
                          {org->id, format_date(*first), format_date(next_month)});
  if (!rows.ok()) return rows.take_error();
  std::vector<Shift> out;
  for (const auto& row : *rows) out.push_back(shift_of(row));
  return out;
}

Result<Shift> DutyService::update(const auth::Principal& who, const std::string& id, std::int64_t version, const json::object& fields,
                                  std::string_view source) {
  auto org = org_for(who, std::nullopt);
  if (!org.ok()) return org.take_error();
  JsonFields f(fields);
  const auto officer = f.string("officer_id", false, 64);
  const auto leader = f.string("leader_id", false, 64);
  const auto phone = f.string("phone", false, 30);
  ANJIAN_TRY(f.finish());
  Shift out;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto row = c.query_one(std::string("SELECT ") + kShiftColumns + " FROM duty_shifts WHERE id = ? AND org_id = ?", {id, org->id});
    if (!row.ok()) return row.error().code == "not_found" ? Error::not_found("值班班次不存在或不属于本单位") : row.take_error();
    Shift s = shift_of(*row);
    if (s.version != version) return Error{"precondition_failed", "该班次已被他人修改，请刷新后再改", ""};
    for (auto [given, id_into, name_into, key] : {std::tuple{&officer, &s.officer_id, &s.officer_name, "officer_id"},
                                                  std::tuple{&leader, &s.leader_id, &s.leader_name, "leader_id"}})
      if (*given) {
        auto u = identity_.get_user(auth::Scope::all(), **given);
        if (!u.ok() || u->org_id != org->id || u->disabled) return Error::invalid_field(key, "不是本单位的在岗人员");
        *id_into = u->id;
        *name_into = u->display_name;
      }
    if (phone) s.phone = *phone;
    ++s.version;
    ANJIAN_TRY(c.exec("UPDATE duty_shifts SET officer_id = ?, officer_name = ?, leader_id = ?, leader_name = ?, phone = ?, version = ? WHERE id = ?",
                      {s.officer_id, s.officer_name, s.leader_id, s.leader_name, auth::PersonalData::instance().seal(s.phone), s.version, s.id}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "duty.update", "duty_shift:" + s.id, s.region_code, "", source, json_text(auth::field_names(fields)))));
    out = std::move(s);
    return true;
  });
  if (!done.ok()) return done.take_error();
  return out;
}

Result<std::optional<Shift>> DutyService::now(const auth::Principal& who, const std::optional<std::string>& region_code) {
  auto org = org_for(who, region_code);
  if (!org.ok()) return org.take_error();
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  const Millis t = now_ms();
  auto row = (*r)->query_one(std::string("SELECT ") + kShiftColumns + " FROM duty_shifts WHERE org_id = ? AND starts_at <= ? AND ends_at > ? "
                                                                       "ORDER BY starts_at DESC LIMIT 1",
                             {org->id, t, t});
  if (!row.ok()) {
    if (row.error().code == "not_found") return std::optional<Shift>();
    return row.take_error();
  }
  return std::optional<Shift>(shift_of(*row));
}

Result<LogEntry> DutyService::log(const auth::Principal& who, const json::object& fields, std::string_view source) {
  auto org = org_for(who, std::nullopt);
  if (!org.ok()) return org.take_error();
  JsonFields f(fields);
  LogEntry e;
  e.kind = f.one_of("kind", true, {"call", "instruction", "handover", "note"}).value_or("");
  e.text = f.string("text", true, 5000).value_or("");
  e.accident_id = f.string("accident_id", false, 64).value_or("");
  ANJIAN_TRY(f.finish());
  e.id = new_id();
  e.org_id = org->id;
  e.region_code = org->level == "national" ? std::string() : org->region_code;
  e.at = now_ms();
  e.author = who.display_name.empty() ? who.username : who.display_name;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec(std::string("INSERT INTO duty_log (") + kLogColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      {e.id, e.org_id, e.region_code, e.at, e.kind, e.text, e.author, e.accident_id}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "duty.log", "duty_log:" + e.id, e.region_code, "", source, json_text(json::object{{"kind", e.kind}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return e;
}

Result<std::vector<LogEntry>> DutyService::entries(const auth::Principal& who, std::optional<Millis> from, std::optional<Millis> to,
                                                   std::int64_t limit) {
  auto org = org_for(who, std::nullopt);
  if (!org.ok()) return org.take_error();
  std::vector<Value> params{org->id};
  std::string where = "org_id = ?";
  if (from) {
    where += " AND at >= ?";
    params.emplace_back(*from);
  }
  if (to) {
    where += " AND at < ?";
    params.emplace_back(*to);
  }
  params.emplace_back(limit);
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query(std::string("SELECT ") + kLogColumns + " FROM duty_log WHERE " + where + " ORDER BY at DESC, id LIMIT ?", params);
  if (!rows.ok()) return rows.take_error();
  std::vector<LogEntry> out;
  for (const auto& row : *rows) out.push_back(entry_of(row));
  return out;
}

Status DutyService::record_report(const std::string& region_code, std::string_view kind, const std::string& text, const std::string& accident_id) {
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto orgs = identity_.regulators_at(c, {region_code});
    if (!orgs.ok()) return orgs.take_error();
    if (orgs->empty()) return true;  // no regulator of that level on the platform
    ANJIAN_TRY(c.exec(std::string("INSERT INTO duty_log (") + kLogColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      {new_id(), orgs->begin()->second.id, region_code, now_ms(), std::string(kind), text, std::string("系统"), accident_id}));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return {};
}

}  // namespace anjian::emergency
