#include "modules/hazard/service.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include "base/crypto.h"

namespace anjian::hazard {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "h.id, h.enterprise_uscc, h.code, h.name, h.kind, h.grade, h.lon, h.lat, h.substances, h.active, h.version, "
    "h.created_at, h.updated_at, h.people_exposed";
constexpr const char* kFrom = " FROM hazard_sources h JOIN enterprises e ON e.uscc = h.enterprise_uscc WHERE ";

HazardSource from_row(const db::Row& r) {
  HazardSource h;
  h.id = r.str(0);
  h.enterprise_uscc = r.str(1);
  h.code = r.str(2);
  h.name = r.str(3);
  h.kind = r.str(4);
  if (auto g = r.opt_i64(5)) h.grade = static_cast<int>(*g);
  h.lon = r.opt_f64(6);
  h.lat = r.opt_f64(7);
  h.substances = substances_from_json(r.str(8));
  h.active = r.i64(9) != 0;
  h.version = r.i64(10);
  h.created_at = r.i64(11);
  h.updated_at = r.i64(12);
  h.people_exposed = r.opt_i64(13);
  return h;
}

// The editable columns in the order of the INSERT and UPDATE below.
std::vector<Value> editable(const HazardSource& h) {
  return {h.code, h.name, h.kind, h.grade ? Value(std::int64_t{*h.grade}) : Value(nullptr), db::opt(h.lon), db::opt(h.lat),
          substances_json(h.substances), std::int64_t{h.active}, h.version, h.updated_at,
          h.people_exposed ? Value(*h.people_exposed) : Value(nullptr)};
}

Result<HazardSource> get_in(db::Connection& c, const auth::Scope& scope, const std::string& id) {
  std::vector<Value> params{id};
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + "h.id = ? AND " + scope.sql("e.region_code", "e.uscc", params),
                         params);
  if (!row.ok()) return row.take_error();
  return from_row(*row);
}

Error duplicate_code(const HazardSource& h) { return Error::conflict("该企业已有编码为 " + h.code + " 的重大危险源", "code"); }

AuditEvent event(const auth::Principal& who, const char* action, const HazardSource& h, std::string_view source,
                 const std::string& region) {
  return audit_event(who, action, "hazard_source:" + h.id, region, h.enterprise_uscc, source,
                     json_text(json::object{{"code", h.code}, {"after_sm3", sm3_hex(json_text(to_json(h)))}}));
}
}  // namespace

namespace {
Status grade_is_not_the_enterprises(const auth::Principal& who, const json::object& fields) {
  if (who.org_kind == "enterprise" && fields.contains("grade"))
    return Error{"forbidden", "重大危险源等级由 GB 18218 辨识分级或监管部门确定，企业不能直接填写", "grade"};
  return {};
}
}  // namespace

Result<HazardSource> Service::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  ANJIAN_TRY(grade_is_not_the_enterprises(who, fields));
  HazardSource h;
  ANJIAN_TRY(apply_fields(h, fields, true));
  auto ent = enterprises_.get(who.scope, h.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  h.enterprise_uscc = ent->uscc;
  h.id = new_id();
  h.version = 1;
  h.created_at = h.updated_at = now_ms();
  auto created = db::with_transaction(db_, [&](db::Connection& c) -> Result<HazardSource> {
    std::vector<Value> v{h.id, h.enterprise_uscc};
    for (auto& x : editable(h)) v.push_back(std::move(x));
    v.emplace_back(h.created_at);
    auto ins = c.exec("INSERT INTO hazard_sources (id, enterprise_uscc, code, name, kind, grade, lon, lat, substances, active, "
                      "version, updated_at, people_exposed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", v);
    if (!ins.ok()) return ins.error().code == "conflict" ? duplicate_code(h) : ins.take_error();
    ANJIAN_TRY(audit_.record_in(c, event(who, "hazard_source.create", h, source, ent->region_code)));
    return h;
  });
  if (created.ok()) announce(*created, true);
  return created;
}

Result<HazardSource> Service::get(const auth::Scope& scope, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return get_in(**r, scope, id);
}

Result<Page> Service::list(const auth::Scope& scope, const Filter& f) {
  std::vector<Value> params;
  std::string where = "(" + scope.sql("e.region_code", "e.uscc", params) + ")";
  if (f.enterprise_uscc) { where += " AND h.enterprise_uscc = ?"; params.emplace_back(*f.enterprise_uscc); }
  if (f.kind) { where += " AND h.kind = ?"; params.emplace_back(*f.kind); }
  if (f.grade) { where += " AND h.grade = ?"; params.emplace_back(std::int64_t{*f.grade}); }
  if (f.code) { where += " AND h.code = ?"; params.emplace_back(*f.code); }
  if (!f.enterprise_usccs.empty()) {
    where += " AND h.enterprise_uscc IN (" + db::placeholders(f.enterprise_usccs.size()) + ")";
    for (const auto& u : f.enterprise_usccs) params.emplace_back(u);
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  Page page;
  auto n = (*r)->query_one(std::string("SELECT COUNT(*)") + kFrom + where, params);
  if (!n.ok()) return n.take_error();
  page.total = n->i64(0);
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY h.enterprise_uscc, h.code LIMIT ? OFFSET ?", params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) page.items.push_back(from_row(row));
  return page;
}

Result<HazardSource> Service::update(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                                     const json::object& fields, std::string_view source) {
  ANJIAN_TRY(grade_is_not_the_enterprises(who, fields));
  return update_fields(who, id, expected_version, fields, source);
}

Result<HazardSource> Service::set_assessed_grade(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                                                 std::optional<int> grade, std::string_view source) {
  return update_fields(who, id, expected_version, json::object{{"grade", grade ? json::value(*grade) : json::value(nullptr)}}, source);
}

Result<HazardSource> Service::update_fields(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                                            const json::object& fields, std::string_view source) {
  bool inventory_changed = false;
  auto updated = db::with_transaction(db_, [&](db::Connection& c) -> Result<HazardSource> {
    auto current = get_in(c, who.scope, id);
    if (!current.ok()) return current.take_error();
    if (current->version != expected_version)
      return Error{"precondition_failed", "记录已被他人修改（当前版本 " + std::to_string(current->version) + "），请刷新后重试", ""};
    HazardSource h = *current;
    ANJIAN_TRY(apply_fields(h, fields, false));
    h.version = current->version + 1;
    h.updated_at = now_ms();
    auto v = editable(h);
    v.emplace_back(h.id);
    v.emplace_back(expected_version);
    auto n = c.exec("UPDATE hazard_sources SET code = ?, name = ?, kind = ?, grade = ?, lon = ?, lat = ?, substances = ?, "
                    "active = ?, version = ?, updated_at = ?, people_exposed = ? WHERE id = ? AND version = ?", v);
    if (!n.ok()) return n.error().code == "conflict" ? duplicate_code(h) : n.take_error();
    if (*n == 0) return Error{"precondition_failed", "记录已被他人修改，请刷新后重试", ""};
    auto ent = enterprises_.get(auth::Scope::all(), h.enterprise_uscc);
    ANJIAN_TRY(audit_.record_in(c, event(who, "hazard_source.update", h, source, ent.ok() ? ent->region_code : "")));
    inventory_changed = substances_json(h.substances) != substances_json(current->substances) ||
                        h.people_exposed != current->people_exposed || h.kind != current->kind;
    return h;
  });
  if (!updated.ok()) return updated;
  announce(*updated, inventory_changed);
  // A changed inventory is re-graded by the bus's subscribers before publish() returns: answer
  // with the record as it is now (its new grade and version), not as this update left it.
  if (inventory_changed)
    if (auto now = get(who.scope, id); now.ok()) return now;
  return updated;
}

void Service::announce(const HazardSource& h, bool inventory_changed) const {
  if (bus_)
    bus_->publish({"hazard_source.changed", json::object{{"id", h.id}, {"enterprise_uscc", h.enterprise_uscc},
                                                         {"inventory_changed", inventory_changed}}});
}

}  // namespace anjian::hazard
