#include "modules/risk/risk_point_service.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include "base/crypto.h"

#include <map>
#include <set>

namespace anjian::risk {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "p.id, p.enterprise_uscc, p.code, p.name, p.kind, p.location, p.hazard_source_id, p.hazards, p.method, p.assessment, "
    "p.score, p.level, p.override, p.measures, p.responsible_level, p.responsible_person, p.active, p.version, "
    "p.created_at, p.updated_at, p.open_major_hidden_dangers + p.source_open_major_hidden_dangers";
constexpr const char* kFrom = " FROM risk_points p JOIN enterprises e ON e.uscc = p.enterprise_uscc WHERE ";

RiskPoint from_row(const db::Row& r) {
  RiskPoint p;
  p.id = r.str(0);
  p.enterprise_uscc = r.str(1);
  p.code = r.str(2);
  p.name = r.str(3);
  p.kind = r.str(4);
  p.location = r.str(5);
  p.hazard_source_id = r.opt_str(6);
  p.hazards = hazards_from_json(r.str(7));
  p.method = r.str(8);
  boost::system::error_code ec;
  auto a = json::parse(r.str(9), ec);
  if (!ec && a.is_object()) p.assessment = a.as_object();
  p.score = r.f64(10);
  p.level = level_from(r.str(11)).value_or(RiskLevel::low);
  p.override_reason = r.str(12);
  p.measures = measures_from_json(r.str(13));
  p.responsible_level = r.str(14);
  p.responsible_person = r.str(15);
  p.active = r.i64(16) != 0;
  p.version = r.i64(17);
  p.created_at = r.i64(18);
  p.updated_at = r.i64(19);
  p.open_major_hidden_dangers = static_cast<int>(r.i64(20));
  return p;
}

// The editable columns in the order of the INSERT and UPDATE below.
std::vector<Value> editable(const RiskPoint& p) {
  return {p.code, p.name, p.kind, p.location, p.hazard_source_id ? Value(*p.hazard_source_id) : Value(nullptr),
          hazards_json(p.hazards), p.method, json_text(p.assessment), p.score, std::string(to_string(p.level)),
          p.override_reason, measures_json(p.measures), p.responsible_level, p.responsible_person,
          std::int64_t{p.active}, p.version, p.updated_at};
}

Result<RiskPoint> get_in(db::Connection& c, const auth::Scope& scope, const std::string& id) {
  std::vector<Value> params{id};
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + "p.id = ? AND " + scope.sql("e.region_code", "e.uscc", params),
                         params);
  if (!row.ok()) return row.take_error();
  return from_row(*row);
}

Error duplicate_code(const RiskPoint& p) { return Error::conflict("该企业已有编码为 " + p.code + " 的风险点", "code"); }

Status insert(db::Connection& c, const RiskPoint& p) {
  std::vector<Value> v{p.id, p.enterprise_uscc};
  for (auto& x : editable(p)) v.push_back(std::move(x));
  v.emplace_back(p.created_at);
  auto ins = c.exec("INSERT INTO risk_points (id, enterprise_uscc, code, name, kind, location, hazard_source_id, hazards, "
                    "method, assessment, score, level, override, measures, responsible_level, responsible_person, active, "
                    "version, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", v);
  if (!ins.ok()) return ins.error().code == "conflict" ? Status(duplicate_code(p)) : Status(ins.take_error());
  return {};
}

AuditEvent event(const auth::Principal& who, const char* action, const RiskPoint& p, std::string_view source,
                 const std::string& region) {
  return audit_event(who, action, "risk_point:" + p.id, region, p.enterprise_uscc, source,
                     json_text(json::object{{"code", p.code}, {"level", to_string(p.level)},
                                                  {"after_sm3", sm3_hex(json_text(to_json(p)))}}));
}
}  // namespace

Status RiskPointService::check_hazard_source(const auth::Principal& who, RiskPoint& p) {
  if (!p.hazard_source_id) {
    apply_overrides(p, std::nullopt);
    return {};
  }
  auto h = hazards_.get(who.scope, *p.hazard_source_id);
  if (!h.ok() || h->enterprise_uscc != p.enterprise_uscc)
    return Error{"not_found", "重大危险源不存在或不属于该企业", "hazard_source_id"};
  apply_overrides(p, h->grade);
  return {};
}

Result<RiskPoint> RiskPointService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  RiskPoint p;
  ANJIAN_TRY(apply_fields(p, fields, true, model_.point_cutoffs()));
  auto ent = enterprises_.get(who.scope, p.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  p.enterprise_uscc = ent->uscc;
  ANJIAN_TRY(check_hazard_source(who, p));
  p.id = new_id();
  p.version = 1;
  p.created_at = p.updated_at = now_ms();
  auto created = db::with_transaction(db_, [&](db::Connection& c) -> Result<RiskPoint> {
    ANJIAN_TRY(insert(c, p));
    ANJIAN_TRY(audit_.record_in(c, event(who, "risk_point.create", p, source, ent->region_code)));
    return p;
  });
  if (created.ok()) announce(*created);
  return created;
}

Result<std::vector<std::string>> RiskPointService::insert_batch(db::Connection& tx, const auth::Principal& who, const std::vector<json::object>& batch,
                                              std::string_view source) {
  const Millis now = now_ms();
  std::map<std::string, std::string> region_of;  // enterprise → region, each checked once
  std::vector<RiskPoint> points;
  points.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    RiskPoint p;
    if (auto s = apply_fields(p, batch[i], true, model_.point_cutoffs()); !s.ok()) {
      Error e = s.error();
      e.message = "第 " + std::to_string(i + 1) + " 个风险点：" + e.message;
      return e;
    }
    if (!region_of.count(p.enterprise_uscc)) {
      auto ent = enterprises_.get(who.scope, p.enterprise_uscc);
      if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内：" + p.enterprise_uscc, "enterprise_uscc"};
      region_of[p.enterprise_uscc] = ent->region_code;
    }
    ANJIAN_TRY(check_hazard_source(who, p));
    p.id = new_id();
    p.version = 1;
    p.created_at = p.updated_at = now;
    ANJIAN_TRY(insert(tx, p));
    points.push_back(std::move(p));
  }
  ANJIAN_TRY(audit_.record_in(tx, audit_event(who, "risk_point.import", "risk_points", who.region_code, "", source,
                                             json_text(json::object{{"rows", points.size()}, {"enterprises", region_of.size()}}))));
  std::vector<std::string> enterprises;
  for (const auto& [uscc, region] : region_of) enterprises.push_back(uscc);
  return enterprises;
}

Result<size_t> RiskPointService::relevel_all(const auth::Principal& who) { return relevel(who, "1=1", {}); }

Status RiskPointService::hidden_dangers_changed(const json::object& fact) {
  // Counts, not deltas: the latest fact is the truth, whatever arrived before it.
  auto count = [&](const char* key) -> std::optional<std::int64_t> {
    const auto* v = fact.if_contains(key);
    return v && v->is_int64() ? std::optional<std::int64_t>(v->as_int64()) : std::nullopt;
  };
  const auto* point = fact.if_contains("risk_point_id");
  const auto* source = fact.if_contains("hazard_source_id");
  std::string where;
  std::vector<Value> params;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    if (point && point->is_string() && count("risk_point_open_major")) {
      ANJIAN_TRY(c.exec("UPDATE risk_points SET open_major_hidden_dangers = ? WHERE id = ?",
                        {*count("risk_point_open_major"), std::string(point->as_string())}));
      where = "p.id = ?";
      params.emplace_back(std::string(point->as_string()));
    }
    if (source && source->is_string() && count("hazard_source_open_major")) {
      ANJIAN_TRY(c.exec("UPDATE risk_points SET source_open_major_hidden_dangers = ? WHERE hazard_source_id = ?",
                        {*count("hazard_source_open_major"), std::string(source->as_string())}));
      where += (where.empty() ? "" : " OR ") + std::string("p.hazard_source_id = ?");
      params.emplace_back(std::string(source->as_string()));
    }
    return true;
  });
  if (!done.ok()) return done.take_error();
  if (where.empty()) return {};
  auto moved = relevel(auth::system_principal("hidden-danger"), where, params);
  if (!moved.ok()) return moved.take_error();
  return {};
}

Result<size_t> RiskPointService::relevel(const auth::Principal& who, const std::string& where, const std::vector<Value>& params) {
  std::vector<std::string> touched;
  size_t changed = 0;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto rows = c.query("SELECT p.id, p.method, p.assessment, p.score, p.level, p.override, p.enterprise_uscc, h.grade, "
                        "p.open_major_hidden_dangers + p.source_open_major_hidden_dangers "
                        "FROM risk_points p LEFT JOIN hazard_sources h ON h.id = p.hazard_source_id WHERE " + where + " ORDER BY p.id",
                        params);
    if (!rows.ok()) return rows.take_error();
    std::set<std::string> enterprises;
    const Millis now = now_ms();
    for (const auto& r : *rows) {
      RiskPoint p;
      p.method = r.str(1);
      boost::system::error_code ec;
      auto a = json::parse(r.str(2), ec);
      if (ec || !a.is_object()) continue;  // not written by apply_fields: leave it as it is
      p.assessment = a.as_object();
      if (!assess(p, model_.point_cutoffs()).ok()) continue;
      const auto grade = r.opt_i64(7);
      p.open_major_hidden_dangers = static_cast<int>(r.i64(8));
      apply_overrides(p, grade ? std::optional<int>(static_cast<int>(*grade)) : std::nullopt);
      if (p.score == r.f64(3) && to_string(p.level) == r.str(4) && p.override_reason == r.str(5)) continue;
      auto up = c.exec("UPDATE risk_points SET score = ?, level = ?, override = ?, version = version + 1, updated_at = ? WHERE id = ?",
                       {p.score, std::string(to_string(p.level)), p.override_reason, now, r.str(0)});
      if (!up.ok()) return up.take_error();
      ++changed;
      enterprises.insert(r.str(6));
    }
    touched.assign(enterprises.begin(), enterprises.end());
    if (changed == 0) return true;
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "risk_point.relevel", "risk_points", who.region_code, "", "model",
                                               json_text(json::object{{"changed", changed}, {"model_version", model_.version()}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  announce_enterprises(touched);
  return changed;
}

void RiskPointService::announce_enterprises(const std::vector<std::string>& usccs) const {
  if (bus_)
    for (const auto& uscc : usccs) bus_->publish({"risk_point.changed", json::object{{"enterprise_uscc", uscc}}});
}

void RiskPointService::announce(const RiskPoint& p) const {
  if (bus_) bus_->publish({"risk_point.changed", json::object{{"id", p.id}, {"enterprise_uscc", p.enterprise_uscc}}});
}

Result<RiskPoint> RiskPointService::get(const auth::Scope& scope, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return get_in(**r, scope, id);
}

Result<RiskPointPage> RiskPointService::list(const auth::Scope& scope, const RiskPointFilter& f) {
  std::vector<Value> params;
  std::string where = "(" + scope.sql("e.region_code", "e.uscc", params) + ")";
  if (f.enterprise_uscc) { where += " AND p.enterprise_uscc = ?"; params.emplace_back(*f.enterprise_uscc); }
  if (f.kind) { where += " AND p.kind = ?"; params.emplace_back(*f.kind); }
  if (f.active_only) where += " AND p.active = 1";
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  RiskPointPage page;
  // The four-colour distribution of everything the filter holds (all levels, whatever `level` asks).
  auto counts = (*r)->query(std::string("SELECT p.level, COUNT(*)") + kFrom + where + " GROUP BY p.level", params);
  if (!counts.ok()) return counts.take_error();
  for (const auto& row : *counts)
    if (auto l = level_from(row.str(0))) page.by_level[static_cast<size_t>(*l)] = row.i64(1);
  if (f.level) { where += " AND p.level = ?"; params.emplace_back(std::string(to_string(*f.level))); }
  auto n = (*r)->query_one(std::string("SELECT COUNT(*)") + kFrom + where, params);
  if (!n.ok()) return n.take_error();
  page.total = n->i64(0);
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  // The worst first: an inventory is read from its red points down.
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where +
                              " ORDER BY CASE p.level WHEN 'major' THEN 0 WHEN 'significant' THEN 1 WHEN 'general' THEN 2 ELSE 3 END, "
                              "p.score DESC, p.enterprise_uscc, p.code LIMIT ? OFFSET ?",
                          params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) page.items.push_back(from_row(row));
  return page;
}

Result<RiskPoint> RiskPointService::update(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                                           const json::object& fields, std::string_view source) {
  auto current = get(who.scope, id);
  if (!current.ok()) return current.take_error();
  if (current->version != expected_version)
    return Error{"precondition_failed", "记录已被他人修改（当前版本 " + std::to_string(current->version) + "），请刷新后重试", ""};
  RiskPoint p = *current;
  ANJIAN_TRY(apply_fields(p, fields, false, model_.point_cutoffs()));
  ANJIAN_TRY(check_hazard_source(who, p));
  p.version = expected_version + 1;
  p.updated_at = now_ms();
  auto updated = db::with_transaction(db_, [&](db::Connection& c) -> Result<RiskPoint> {
    auto v = editable(p);
    v.emplace_back(p.id);
    v.emplace_back(expected_version);
    auto n = c.exec("UPDATE risk_points SET code = ?, name = ?, kind = ?, location = ?, hazard_source_id = ?, hazards = ?, "
                    "method = ?, assessment = ?, score = ?, level = ?, override = ?, measures = ?, responsible_level = ?, "
                    "responsible_person = ?, active = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?", v);
    if (!n.ok()) return n.error().code == "conflict" ? duplicate_code(p) : n.take_error();
    if (*n == 0) return Error{"precondition_failed", "记录已被他人修改，请刷新后重试", ""};
    auto ent = enterprises_.get(auth::Scope::all(), p.enterprise_uscc);
    ANJIAN_TRY(audit_.record_in(c, event(who, "risk_point.update", p, source, ent.ok() ? ent->region_code : "")));
    return p;
  });
  if (updated.ok()) announce(*updated);
  return updated;
}

}  // namespace anjian::risk
