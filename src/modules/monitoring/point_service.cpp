#include "modules/monitoring/point_service.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include "base/crypto.h"
#include "modules/monitoring/point_repo.h"

namespace anjian::monitoring {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns = kPointColumns;
// A point is visible where its enterprise is.
constexpr const char* kFrom = " FROM monitoring_points p JOIN enterprises e ON e.uscc = p.enterprise_uscc WHERE ";


// The editable columns in the order of the INSERT and UPDATE below, appended to `out`.
void append_values(const Point& p, std::vector<Value>& out) {
  for (Value v : {db::opt(p.hazard_source_id), Value(p.code), Value(p.name), Value(p.indicator), Value(p.unit),
                  db::opt(p.range_min), db::opt(p.range_max), Value(p.period_s), db::opt(p.high), db::opt(p.high_high),
                  db::opt(p.low), db::opt(p.low_low), db::opt(p.power_off), db::opt(p.restore), Value(p.deadband),
                  Value(p.delay_s), Value(std::int64_t{p.active}), Value(p.version), Value(p.updated_at),
                  db::opt(p.rate_per_min), Value(p.stuck_s), Value(p.offline_periods), Value(p.place), Value(p.gas),
                  Value(p.feed_point), Value(findings_text(p.findings))})
    out.push_back(std::move(v));
}

Result<Point> get_in(db::Connection& c, const auth::Scope& scope, const std::string& id) {
  std::vector<Value> params{id};
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + "p.id = ? AND " +
                             scope.sql("e.region_code", "e.uscc", params),
                         params);
  if (!row.ok()) return row.take_error();
  return point_from_row(*row);
}

Error duplicate_code(const Point& p) { return Error::conflict("该企业已有编码为 " + p.code + " 的测点", "code"); }

// A point may belong to a hazard source of its own enterprise only.
Status check_hazard_source(db::Connection& c, const Point& p) {
  if (!p.hazard_source_id) return {};
  auto rows = c.query("SELECT 1 FROM hazard_sources WHERE id = ? AND enterprise_uscc = ?", {*p.hazard_source_id, p.enterprise_uscc});
  if (!rows.ok()) return rows.take_error();
  if (rows->empty()) return Error::invalid_field("hazard_source_id", "重大危险源不存在或不属于该企业");
  return {};
}

// A methane point's 馈电 point is a feed sensor of the same enterprise.
Status check_feed_point(db::Connection& c, const Point& p) {
  if (p.feed_point.empty()) return {};
  auto rows = c.query("SELECT indicator FROM monitoring_points WHERE enterprise_uscc = ? AND code = ?", {p.enterprise_uscc, p.feed_point});
  if (!rows.ok()) return rows.take_error();
  if (rows->empty() || (*rows)[0].str(0) != "feed")
    return Error::invalid_field("feed_point", "馈电测点 " + p.feed_point + " 不存在，或不是该企业的馈电传感器");
  return {};
}
}  // namespace

Point point_from_row(const db::Row& r) {
  Point p;
  p.id = r.str(0);
  p.enterprise_uscc = r.str(1);
  p.hazard_source_id = r.opt_str(2);
  p.code = r.str(3);
  p.name = r.str(4);
  p.indicator = r.str(5);
  p.unit = r.str(6);
  p.range_min = r.opt_f64(7);
  p.range_max = r.opt_f64(8);
  p.period_s = r.i64(9);
  p.high = r.opt_f64(10);
  p.high_high = r.opt_f64(11);
  p.low = r.opt_f64(12);
  p.low_low = r.opt_f64(13);
  p.power_off = r.opt_f64(14);
  p.restore = r.opt_f64(15);
  p.deadband = r.f64(16);
  p.delay_s = r.i64(17);
  p.active = r.i64(18) != 0;
  p.version = r.i64(19);
  p.created_at = r.i64(20);
  p.updated_at = r.i64(21);
  p.rate_per_min = r.opt_f64(22);
  p.stuck_s = r.i64(23);
  p.offline_periods = r.i64(24);
  p.place = r.str(25);
  p.gas = r.str(26);
  p.feed_point = r.str(27);
  p.findings = findings_from(r.str(28));
  return p;
}

AuditEvent PointService::event(const auth::Principal& who, const char* action, const Point& p, std::string_view source,
                               const std::string& region) const {
  return audit_event(who, action, "monitoring_point:" + p.id, region, p.enterprise_uscc, source,
                     json_text(json::object{{"code", p.code}, {"after_sm3", sm3_hex(json_text(to_json(p)))}}));
}

Result<Point> PointService::create(const auth::Principal& who, const json::object& fields, std::string_view source, Looser looser) {
  Point p;
  ANJIAN_TRY(apply_point_fields(p, fields, true, looser));
  auto ent = enterprises_.get(who.scope, p.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  p.enterprise_uscc = ent->uscc;
  p.id = new_id();
  p.version = 1;
  p.created_at = p.updated_at = now_ms();
  auto made = db::with_transaction(db_, [&](db::Connection& c) -> Result<Point> {
    ANJIAN_TRY(check_hazard_source(c, p));
    ANJIAN_TRY(check_feed_point(c, p));
    std::vector<Value> v{p.id, p.enterprise_uscc};
    append_values(p, v);
    v.emplace_back(p.created_at);
    auto ins = c.exec(
        "INSERT INTO monitoring_points (id, enterprise_uscc, hazard_source_id, code, name, indicator, unit, range_min, "
        "range_max, period_s, high, high_high, low, low_low, power_off, restore, deadband, delay_s, active, version, "
        "updated_at, rate_per_min, stuck_s, offline_periods, place, gas, feed_point, findings, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        v);
    if (!ins.ok()) return ins.error().code == "conflict" ? duplicate_code(p) : ins.take_error();
    ANJIAN_TRY(audit_.record_in(c, event(who, "monitoring_point.create", p, source, ent->region_code)));
    return p;
  });
  if (made.ok() && on_change_) on_change_(made->enterprise_uscc);
  return made;
}

Status PointService::validate(const auth::Principal& who, const json::object& fields) {
  Point p;
  ANJIAN_TRY(apply_point_fields(p, fields, true));
  if (!enterprises_.get(who.scope, p.enterprise_uscc).ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  return {};
}

Result<Point> PointService::get(const auth::Scope& scope, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return get_in(**r, scope, id);
}

Result<PointPage> PointService::list(const auth::Scope& scope, const PointFilter& f) {
  std::vector<Value> params;
  std::string where = "(" + scope.sql("e.region_code", "e.uscc", params) + ")";
  if (f.enterprise_uscc) { where += " AND p.enterprise_uscc = ?"; params.emplace_back(*f.enterprise_uscc); }
  if (f.indicator) { where += " AND p.indicator = ?"; params.emplace_back(*f.indicator); }
  if (f.hazard_source_id) { where += " AND p.hazard_source_id = ?"; params.emplace_back(*f.hazard_source_id); }
  if (f.code) { where += " AND p.code = ?"; params.emplace_back(*f.code); }
  if (f.with_findings) where += " AND p.findings <> ''";
  if (!f.ids.empty()) {
    where += " AND p.id IN (" + db::placeholders(f.ids.size()) + ")";
    for (const auto& id : f.ids) params.emplace_back(id);
  }
  if (!f.enterprise_usccs.empty()) {
    where += " AND p.enterprise_uscc IN (" + db::placeholders(f.enterprise_usccs.size()) + ")";
    for (const auto& u : f.enterprise_usccs) params.emplace_back(u);
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  PointPage page;
  auto n = (*r)->query_one(std::string("SELECT COUNT(*)") + kFrom + where, params);
  if (!n.ok()) return n.take_error();
  page.total = n->i64(0);
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY p.enterprise_uscc, p.code LIMIT ? OFFSET ?", params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) page.items.push_back(point_from_row(row));
  return page;
}

Result<Point> PointService::update(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                                   const json::object& fields, std::string_view source, Looser looser) {
  auto updated = db::with_transaction(db_, [&](db::Connection& c) -> Result<Point> {
    auto current = get_in(c, who.scope, id);
    if (!current.ok()) return current.take_error();
    if (current->version != expected_version)
      return Error{"precondition_failed", "记录已被他人修改（当前版本 " + std::to_string(current->version) + "），请刷新后重试", ""};
    Point p = *current;
    ANJIAN_TRY(apply_point_fields(p, fields, false, looser));
    ANJIAN_TRY(check_hazard_source(c, p));
    ANJIAN_TRY(check_feed_point(c, p));
    p.version = current->version + 1;
    p.updated_at = now_ms();
    std::vector<Value> v;
    append_values(p, v);
    v.emplace_back(p.id);
    v.emplace_back(expected_version);
    auto n = c.exec(
        "UPDATE monitoring_points SET hazard_source_id = ?, code = ?, name = ?, indicator = ?, unit = ?, range_min = ?, "
        "range_max = ?, period_s = ?, high = ?, high_high = ?, low = ?, low_low = ?, power_off = ?, restore = ?, "
        "deadband = ?, delay_s = ?, active = ?, version = ?, updated_at = ?, rate_per_min = ?, stuck_s = ?, "
        "offline_periods = ?, place = ?, gas = ?, feed_point = ?, findings = ? WHERE id = ? AND version = ?",
        v);
    if (!n.ok()) return n.error().code == "conflict" ? duplicate_code(p) : n.take_error();
    if (*n == 0) return Error{"precondition_failed", "记录已被他人修改，请刷新后重试", ""};
    auto ent = enterprises_.get(auth::Scope::all(), p.enterprise_uscc);
    ANJIAN_TRY(audit_.record_in(c, event(who, "monitoring_point.update", p, source, ent.ok() ? ent->region_code : "")));
    return p;
  });
  if (updated.ok() && on_change_) on_change_(updated->enterprise_uscc);
  return updated;
}

}  // namespace anjian::monitoring
