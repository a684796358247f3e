#include "modules/enforcement/inspectors.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "codes/uscc.h"

namespace anjian::enforcement {
namespace json = boost::json;

namespace {
const std::vector<std::string_view> kStatuses = {"active", "on_leave", "transferred"};
const std::vector<std::string_view> kKinds = {"enterprise", "former_employer"};
bool has_inspector_role(const auth::User& u) { return std::find(u.roles.begin(), u.roles.end(), "inspector") != u.roles.end(); }
}  // namespace

// A work-safety 执法人员: the inspector role in a regulator that enforces. A member department's
// (安委会成员单位: 公安, 交通 …) users read what the catalog grants; they do not inspect for it.
bool InspectorRegistry::is_inspector(const auth::User& u) {
  if (!has_inspector_role(u)) return false;
  auto org = identity_.get_org(auth::Scope::all(), u.org_id);
  return org.ok() && org->kind == "regulator" && org->regulator_kind != "member_department";
}

json::object to_json(const Inspector& i) {
  json::array conflicts;
  for (const auto& c : i.conflicts)
    conflicts.push_back(json::object{{"id", c.id}, {"enterprise_uscc", c.enterprise_uscc}, {"kind", c.kind}, {"reason", c.reason},
                                     {"created_at", format_iso(c.created_at)}});
  return {{"user_id", i.user_id},     {"username", i.username}, {"display_name", i.display_name}, {"org_id", i.org_id},
          {"org_name", i.org_name},   {"badge_number", i.badge_number}, {"status", i.status},   {"registered", i.version > 0},
          {"conflicts", std::move(conflicts)}, {"version", i.version}};
}

Result<Inspector> InspectorRegistry::load(const auth::User& u) {
  Inspector i;
  i.user_id = u.id;
  i.username = u.username;
  i.display_name = u.display_name;
  i.org_id = u.org_id;
  i.org_name = u.org_name;
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query("SELECT badge_number, status, version FROM inspectors WHERE user_id = ?", {u.id});
  if (!row.ok()) return row.take_error();
  if (!row->empty()) {
    i.badge_number = (*row)[0].str(0);
    i.status = (*row)[0].str(1);
    i.version = (*row)[0].i64(2);
  }
  auto cs = (*r)->query("SELECT id, enterprise_uscc, kind, reason, created_at FROM inspector_conflicts WHERE user_id = ? ORDER BY created_at, id",
                        {u.id});
  if (!cs.ok()) return cs.take_error();
  for (const auto& c : *cs) i.conflicts.push_back({c.str(0), c.str(1), c.str(2), c.str(3), c.i64(4)});
  return i;
}

Result<std::vector<Inspector>> InspectorRegistry::list(const auth::Principal& who) {
  if (who.org_kind != "regulator") return std::vector<Inspector>{};
  auto users = identity_.list_users(who.scope);
  if (!users.ok()) return users.take_error();
  std::vector<Inspector> out;
  for (const auto& u : *users) {
    if (!is_inspector(u) || u.disabled) continue;
    auto i = load(u);
    if (!i.ok()) return i.take_error();
    out.push_back(std::move(*i));
  }
  return out;
}

Result<Inspector> InspectorRegistry::get(const auth::Principal& who, const std::string& user_id) {
  auto u = identity_.get_user(who.scope, user_id);
  if (who.org_kind != "regulator" || !u.ok() || !is_inspector(*u)) return Error{"not_found", "执法人员不存在或不在您的管辖范围内", ""};
  return load(*u);
}

Result<Inspector> InspectorRegistry::put(const auth::Principal& who, const std::string& user_id, const json::object& fields,
                                         std::string_view source) {
  auto i = get(who, user_id);
  if (!i.ok()) return i.take_error();
  JsonFields f(fields);
  const std::string badge = f.string("badge_number", true, 40).value_or("");
  const std::string status = f.one_of("status", false, kStatuses).value_or(i->status);
  ANJIAN_TRY(f.finish());
  const Millis now = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec("INSERT INTO inspectors (user_id, badge_number, status, updated_at, version) VALUES (?, ?, ?, ?, 1) "
                      "ON CONFLICT (user_id) DO UPDATE SET badge_number = excluded.badge_number, status = excluded.status, "
                      "updated_at = excluded.updated_at, version = inspectors.version + 1",
                      {user_id, badge, status, now}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspector.register", "user:" + user_id, who.region_code, "", source,
                                               json_text(json::object{{"badge_number", badge}, {"status", status}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return get(who, user_id);
}

Result<Inspector> InspectorRegistry::declare_conflict(const auth::Principal& who, const std::string& user_id, const json::object& fields,
                                                      std::string_view source) {
  auto i = get(who, user_id);
  if (!i.ok()) return i.take_error();
  JsonFields f(fields);
  const std::string uscc = f.string("enterprise_uscc", true, 40).value_or("");
  const std::string reason = f.string("reason", true, 200).value_or("");
  const std::string kind = f.one_of("kind", false, kKinds).value_or("enterprise");
  ANJIAN_TRY(f.finish());
  // A former employer may be outside the scope (or not registered at all): its code must be valid.
  if (!codes::Uscc::parse(uscc).ok()) return Error::invalid_field("enterprise_uscc", "统一社会信用代码无效：" + uscc);
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec("INSERT INTO inspector_conflicts (id, user_id, enterprise_uscc, kind, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                      {new_id(), user_id, uscc, kind, reason, now_ms()}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspector.conflict", "user:" + user_id, who.region_code, uscc, source,
                                               json_text(json::object{{"kind", kind}, {"reason", reason}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return get(who, user_id);
}

Result<std::vector<Inspector>> InspectorRegistry::on_duty(const auth::Principal& who, const std::vector<std::string>& ids) {
  std::vector<Inspector> out;
  for (const auto& id : ids) {
    auto u = identity_.get_user(who.scope, id);
    if (!u.ok() || u->disabled || !is_inspector(*u))
      return Error::invalid_field("inspectors", "不是管辖范围内在岗的执法人员：" + id);
    auto entry = get(who, id);
    if (!entry.ok()) return entry.take_error();
    if (entry->status != "active")
      return Error::invalid_field("inspectors", u->display_name + (entry->status == "on_leave" ? " 休假中" : " 已调离") + "，不能执行检查");
    out.push_back(std::move(*entry));
  }
  return out;
}

}  // namespace anjian::enforcement
