#include "modules/enforcement/target_lists.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/enforcement/draw_service.h"

namespace anjian::enforcement {
namespace json = boost::json;

namespace {
bool visible(const codes::RegionTable& regions, const auth::Principal& who, const std::string& region) {
  return who.org_kind == "regulator" && (who.region_code.empty() || regions.contains(who.region_code, region));
}
}  // namespace

std::string target_digest(const std::vector<std::string>& sorted_usccs) {
  std::string text;
  for (size_t i = 0; i < sorted_usccs.size(); ++i) text += (i ? "\n" : "") + sorted_usccs[i];
  return sha256_hex(text);
}

json::object to_json(const TargetSnapshot& s, bool with_usccs) {
  json::object o{{"list_id", s.list_id}, {"version", s.version}, {"count", s.usccs.size()}, {"digest", s.digest},
                 {"frozen_by", s.frozen_by}, {"reason", s.reason}, {"frozen_at", format_iso(s.frozen_at)}};
  if (with_usccs) o["usccs"] = json::value_from(s.usccs);
  return o;
}

json::object to_json(const TargetList& l) {
  json::array snaps;
  for (const auto& s : l.snapshots) snaps.push_back(to_json(s, false));
  return {{"id", l.id}, {"region_code", l.region_code}, {"name", l.name}, {"filter", l.filter}, {"created_by", l.created_by},
          {"created_at", format_iso(l.created_at)}, {"snapshots", std::move(snaps)}};
}

Result<TargetList> TargetListService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("检查对象名录库由监管部门建立");
  JsonFields f(fields);
  TargetList l;
  l.name = f.string("name", true, 200).value_or("");
  const json::object* filter = f.object("filter", true);
  ANJIAN_TRY(f.finish());
  // Checked as a draw would check it (and refused when it selects nobody now).
  auto now = draws_.select(who, *filter, "filter");
  if (!now.ok()) return now.take_error();
  l.id = new_id();
  l.region_code = who.region_code;
  l.filter = *filter;
  l.created_by = who.username;
  l.created_at = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec("INSERT INTO target_lists (id, region_code, org_id, name, filter, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      {l.id, l.region_code, who.org_id, l.name, json_text(l.filter), l.created_by, l.created_at}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "target_list.create", "target_list:" + l.id, l.region_code, "", source,
                                               json_text(json::object{{"name", l.name}, {"filter", l.filter}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return l;
}

Result<TargetList> TargetListService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT id, region_code, name, filter, created_by, created_at FROM target_lists WHERE id = ?", {id});
  if (!row.ok() || !visible(regions_, who, row->str(1))) return Error{"not_found", "检查对象名录不存在或不在您的管辖范围内", ""};
  TargetList l{row->str(0), row->str(1), row->str(2), row->str(4), object_of_text(row->str(3)), row->i64(5), {}};
  auto snaps = (*r)->query("SELECT version, count, digest, frozen_by, reason, frozen_at FROM target_list_snapshots WHERE list_id = ? "
                           "ORDER BY version DESC",
                           {id});
  if (!snaps.ok()) return snaps.take_error();
  for (const auto& s : *snaps) {
    TargetSnapshot t{id, s.i64(0), {}, s.str(2), s.str(3), s.str(4), s.i64(5)};
    t.usccs.resize(static_cast<size_t>(s.i64(1)));  // the count; the codes come with snapshot_at
    l.snapshots.push_back(std::move(t));
  }
  return l;
}

Result<std::vector<TargetList>> TargetListService::list(const auth::Principal& who) {
  if (who.org_kind != "regulator") return std::vector<TargetList>{};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT id, region_code FROM target_lists ORDER BY created_at DESC LIMIT 500");
  if (!rows.ok()) return rows.take_error();
  std::vector<TargetList> out;
  for (const auto& row : *rows)
    if (visible(regions_, who, row.str(1)))
      if (auto l = get(who, row.str(0)); l.ok()) out.push_back(std::move(*l));
  return out;
}

Result<TargetSnapshot> TargetListService::snapshot(const auth::Principal& who, const std::string& id, std::string_view reason) {
  auto l = get(who, id);
  if (!l.ok()) return l.take_error();
  auto usccs = draws_.select(who, l->filter, "filter");
  if (!usccs.ok()) return usccs.take_error();
  TargetSnapshot s;
  s.list_id = id;
  s.usccs = std::move(*usccs);
  std::sort(s.usccs.begin(), s.usccs.end());
  s.digest = target_digest(s.usccs);
  s.frozen_by = who.username;
  s.reason = std::string(reason);
  s.frozen_at = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto n = c.query_one("SELECT COALESCE(MAX(version), 0) + 1 FROM target_list_snapshots WHERE list_id = ?", {id});
    if (!n.ok()) return n.take_error();
    s.version = n->i64(0);
    ANJIAN_TRY(c.exec("INSERT INTO target_list_snapshots (list_id, version, usccs, count, digest, frozen_by, reason, frozen_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      {id, s.version, json_text(json::value_from(s.usccs)), static_cast<std::int64_t>(s.usccs.size()), s.digest, s.frozen_by,
                       s.reason, s.frozen_at}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "target_list.snapshot", "target_list:" + id, l->region_code, "", std::string(reason),
                                               json_text(json::object{{"version", s.version}, {"count", s.usccs.size()}, {"digest", s.digest}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return s;
}

Result<TargetSnapshot> TargetListService::snapshot_at(const auth::Principal& who, const std::string& id, std::int64_t version) {
  auto l = get(who, id);
  if (!l.ok()) return l.take_error();
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT usccs, digest, frozen_by, reason, frozen_at FROM target_list_snapshots WHERE list_id = ? AND version = ?",
                             {id, version});
  if (!row.ok()) return Error{"not_found", "该名录没有第 " + std::to_string(version) + " 版", ""};
  TargetSnapshot s{id, version, {}, row->str(1), row->str(2), row->str(3), row->i64(4)};
  for (const auto& u : array_of_text(row->str(0))) s.usccs.emplace_back(u.as_string());
  return s;
}

}  // namespace anjian::enforcement
