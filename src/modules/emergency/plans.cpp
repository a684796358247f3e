#include "modules/emergency/plans.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/accident/kind_rules.h"
#include "modules/emergency/plan_rules.h"

namespace anjian::emergency {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "id, owner, enterprise_uscc, owner_name, org_id, region_code, name, level, scenarios, file_id, filing_state, filing_number, filed_by, "
    "filed_at, issued_on, reviewed_on, created_by, created_at, updated_at, version";
constexpr const char* kNotFound = "应急预案不存在或不在您的管辖范围内";
const std::vector<std::string_view> kOwners = {"enterprise", "government"};

Plan from_row(const db::Row& r) {
  Plan p;
  p.id = r.str(0);
  p.owner = r.str(1);
  p.enterprise_uscc = r.str(2);
  p.owner_name = r.str(3);
  p.org_id = r.str(4);
  p.region_code = r.str(5);
  p.name = r.str(6);
  p.level = r.str(7);
  for (const auto& s : array_of_text(r.str(8)))
    if (s.is_string()) p.scenarios.emplace_back(s.as_string());
  p.file_id = r.str(9);
  p.filing_state = r.str(10);
  p.filing_number = r.str(11);
  p.filed_by = r.str(12);
  p.filed_at = r.opt_i64(13);
  p.issued_on = r.i64(14);
  p.reviewed_on = r.opt_i64(15);
  p.created_by = r.str(16);
  p.created_at = r.i64(17);
  p.updated_at = r.i64(18);
  p.version = r.i64(19);
  return p;
}

std::string who_name(const auth::Principal& who) { return who.display_name.empty() ? who.username : who.display_name; }
}  // namespace

// A government plan is a regulator's to read in its area and above it (the city's and the
// province's plans govern a county too); an enterprise's plan where the enterprise is seen.
bool PlanService::visible(const auth::Principal& who, const Plan& p) const {
  if (p.owner != "government") return who.scope.sees(p.region_code, p.enterprise_uscc);
  if (who.org_kind != "regulator") return false;
  return who.scope.sees(p.region_code) || (!who.region_code.empty() && regions_.contains(p.region_code, who.region_code));
}

// The SQL of what `visible` admits.
std::string PlanService::visible_sql(const auth::Principal& who, std::vector<Value>& params) const {
  std::string where = "(" + who.scope.sql("region_code", "enterprise_uscc", params);
  if (who.org_kind != "regulator") return where + " AND owner = 'enterprise')";
  std::string above;
  for (const auto* r : regions_.path(who.region_code)) {
    above += above.empty() ? "?" : ", ?";
    params.emplace_back(r->code);
  }
  return where + (above.empty() ? ")" : " OR (owner = 'government' AND region_code IN (" + above + ")))");
}

std::int64_t Plan::review_due() const { return emergency::review_due(reviewed_on.value_or(issued_on)); }

json::object to_json(const Plan& p, std::int64_t today) {
  json::array scenarios;
  for (const auto& code : p.scenarios) {
    const auto k = accident::find_kind(code);
    scenarios.push_back(json::object{{"code", code}, {"name", k ? k->name : code}});
  }
  const auto due = p.review_due();
  return {{"id", p.id},
          {"owner", p.owner},
          {"owner_label", p.owner == "government" ? "政府预案" : "企业预案"},
          {"enterprise_uscc", p.enterprise_uscc.empty() ? json::value(nullptr) : json::value(p.enterprise_uscc)},
          {"owner_name", p.owner_name},
          {"region_code", p.region_code},
          {"name", p.name},
          {"level", p.level},
          {"level_label", plan_level_label(p.level)},
          {"scenarios", std::move(scenarios)},
          {"file_id", p.file_id.empty() ? json::value(nullptr) : json::value(p.file_id)},
          {"filing_state", p.filing_state},
          {"filing_state_label", p.filing_state == "filed" ? "已备案" : "待备案"},
          {"filing_number", p.filing_number},
          {"filed_by", p.filed_by},
          {"filed_at", p.filed_at ? json::value(format_iso(*p.filed_at)) : json::value(nullptr)},
          {"issued_on", format_date(p.issued_on)},
          {"reviewed_on", p.reviewed_on ? json::value(format_date(*p.reviewed_on)) : json::value(nullptr)},
          {"review_due", format_date(due)},
          {"review_overdue", due < today},
          {"created_by", p.created_by},
          {"created_at", format_iso(p.created_at)},
          {"updated_at", format_iso(p.updated_at)},
          {"version", p.version}};
}

Status PlanService::validate(const json::object& fields, bool creating, Plan& p) {
  JsonFields f(fields);
  if (creating) {
    p.owner = f.one_of("owner", true, kOwners).value_or("");
    if (p.owner == "enterprise") {
      if (auto v = f.string("enterprise_uscc", true, 18)) p.enterprise_uscc = *v;
      if (f.has("region_code")) f.fail(Error::invalid_field("region_code", "企业预案的行政区划随企业，不单独填写"));
    } else if (p.owner == "government") {
      if (auto v = f.string("region_code", true, 6)) p.region_code = *v;
      if (f.has("enterprise_uscc")) f.fail(Error::invalid_field("enterprise_uscc", "政府预案不属于企业"));
    }
  } else {
    for (const char* fixed : {"owner", "enterprise_uscc", "region_code"})
      if (f.has(fixed)) f.fail(Error::invalid_field(fixed, std::string(fixed) + " 不能修改"));
  }
  if (auto v = f.string("name", creating, 200)) p.name = *v;
  if (auto v = f.one_of("level", creating, plan_levels(p.owner))) p.level = *v;
  if (auto v = f.strings("scenarios", creating, 30, 20)) {
    p.scenarios.clear();
    for (const auto& s : *v) {
      const auto k = accident::find_kind(s);
      if (!k) {
        f.fail(Error::invalid_field("scenarios", "未知的事故类别：" + s + "（按 GB 6441 填写，如 火灾、爆炸、中毒和窒息）"));
        break;
      }
      if (std::find(p.scenarios.begin(), p.scenarios.end(), k->code) == p.scenarios.end()) p.scenarios.push_back(k->code);
    }
  }
  if (f.is_null("file_id")) p.file_id.clear();
  else if (auto v = f.string("file_id", false, 64)) p.file_id = *v;
  const std::int64_t today = today_shanghai(now_ms());
  if (auto v = f.string("issued_on", creating, 10)) {
    auto d = parse_date(*v);
    if (!d) f.fail(Error::invalid_field("issued_on", "发布日期须为 YYYY-MM-DD"));
    else if (*d > today) f.fail(Error::invalid_field("issued_on", "发布日期不能晚于今天"));
    else p.issued_on = *d;
  }
  if (f.is_null("reviewed_on")) p.reviewed_on.reset();
  else if (auto v = f.string("reviewed_on", false, 10)) {
    auto d = parse_date(*v);
    if (!d) f.fail(Error::invalid_field("reviewed_on", "评估日期须为 YYYY-MM-DD"));
    else if (*d > today) f.fail(Error::invalid_field("reviewed_on", "评估日期不能晚于今天"));
    else p.reviewed_on = *d;
  }
  ANJIAN_TRY(f.finish());
  if (p.reviewed_on && *p.reviewed_on < p.issued_on) return Error::invalid_field("reviewed_on", "评估日期不能早于发布日期");
  return {};
}

Result<Plan> PlanService::read(db::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM emergency_plans WHERE id = ?", {id});
  if (!row.ok()) return row.error().code == "not_found" ? Result<Plan>(Error::not_found(kNotFound)) : row.take_error();
  return from_row(*row);
}

Status PlanService::write(db::Connection& c, const Plan& p, bool insert) {
  json::array scenarios;
  for (const auto& s : p.scenarios) scenarios.push_back(json::value(s));
  const std::vector<Value> values{p.id, p.owner, p.enterprise_uscc, p.owner_name, p.org_id, p.region_code, p.name, p.level, json_text(scenarios),
                                  p.file_id, p.filing_state, p.filing_number, p.filed_by,
                                  p.filed_at ? Value(*p.filed_at) : Value(nullptr), p.issued_on,
                                  p.reviewed_on ? Value(*p.reviewed_on) : Value(nullptr), p.created_by, p.created_at, p.updated_at, p.version};
  if (insert) {
    ANJIAN_TRY(c.exec(std::string("INSERT INTO emergency_plans (") + kColumns + ") VALUES (" + db::placeholders(values.size()) + ")", values));
    return {};
  }
  std::vector<Value> set(values.begin() + 6, values.end());
  set.push_back(p.id);
  ANJIAN_TRY(c.exec("UPDATE emergency_plans SET name = ?, level = ?, scenarios = ?, file_id = ?, filing_state = ?, filing_number = ?, filed_by = ?, "
                "filed_at = ?, issued_on = ?, reviewed_on = ?, created_by = ?, created_at = ?, updated_at = ?, version = ? WHERE id = ?",
                set));
  return {};
}

Result<Plan> PlanService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  Plan p;
  ANJIAN_TRY(validate(fields, true, p));
  if (p.owner == "enterprise") {
    auto e = enterprises_.get(who.scope, p.enterprise_uscc);
    if (!e.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
    p.owner_name = e->name;
    p.region_code = e->region_code;
  } else {
    if (who.org_kind != "regulator") return Error::forbidden("政府应急预案由监管部门登记");
    if (!regions_.find(p.region_code)) return Error::invalid_field("region_code", "未知的行政区划代码");
    if (!who.scope.sees(p.region_code)) return Error{"not_found", "该行政区划不在您的管辖范围内", "region_code"};
    const auto path = regions_.path(p.region_code);
    p.owner_name = path.empty() ? p.region_code : path.back()->name + "人民政府";
  }
  if (!p.file_id.empty() && !files_.get(who.scope, p.file_id).ok()) return Error::invalid_field("file_id", "预案文件不存在或不在您的管辖范围内");
  p.id = new_id();
  p.org_id = who.org_id;
  p.created_by = who_name(who);
  p.created_at = p.updated_at = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(write(c, p, true));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "emergency_plan.create", "emergency_plan:" + p.id, p.region_code, p.enterprise_uscc, source,
                                               json_text(json::object{{"name", p.name}, {"level", plan_level_label(p.level)}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return p;
}

Result<Plan> PlanService::update(const auth::Principal& who, const std::string& id, std::int64_t version, const json::object& fields,
                                 std::string_view source) {
  Plan out;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto p = read(c, id);
    if (!p.ok()) return p.take_error();
    // Changed only in its own area (a county reads the city's plan, the city keeps it).
    if (!who.scope.sees(p->region_code, p->enterprise_uscc) || !visible(who, *p)) return Error::not_found(kNotFound);
    if (p->version != version) return Error{"precondition_failed", "该预案已被他人修改，请刷新后再改", ""};
    const std::string file_before = p->file_id;
    ANJIAN_TRY(validate(fields, false, *p));
    if (!p->file_id.empty() && p->file_id != file_before && !files_.get(who.scope, p->file_id).ok())
      return Error::invalid_field("file_id", "预案文件不存在或不在您的管辖范围内");
    // A new text is a new plan to file (备案 records the text that was filed).
    if (p->file_id != file_before && p->filing_state == "filed") {
      p->filing_state = "pending";
      p->filing_number.clear();
      p->filed_by.clear();
      p->filed_at.reset();
    }
    p->updated_at = now_ms();
    ++p->version;
    ANJIAN_TRY(write(c, *p, false));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "emergency_plan.update", "emergency_plan:" + p->id, p->region_code, p->enterprise_uscc,
                                               source, json_text(fields))));
    out = std::move(*p);
    return true;
  });
  if (!done.ok()) return done.take_error();
  return out;
}

Result<Plan> PlanService::file(const auth::Principal& who, const std::string& id, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("预案备案由监管部门办理");
  JsonFields f(fields);
  const auto number = f.string("filing_number", true, 60);
  ANJIAN_TRY(f.finish());
  Plan out;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto p = read(c, id);
    if (!p.ok()) return p.take_error();
    if (!who.scope.sees(p->region_code, p->enterprise_uscc)) return Error::not_found(kNotFound);
    if (p->filing_state == "filed") return Error::conflict("该预案已备案（备案编号 " + p->filing_number + "）");
    p->filing_state = "filed";
    p->filing_number = *number;
    p->filed_by = who_name(who);
    p->filed_at = p->updated_at = now_ms();
    ++p->version;
    ANJIAN_TRY(write(c, *p, false));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "emergency_plan.file", "emergency_plan:" + p->id, p->region_code, p->enterprise_uscc, source,
                                               json_text(json::object{{"filing_number", *number}}))));
    out = std::move(*p);
    return true;
  });
  if (!done.ok()) return done.take_error();
  return out;
}

Result<Plan> PlanService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto p = read(**r, id);
  if (!p.ok()) return p.take_error();
  if (!visible(who, *p)) return Error::not_found(kNotFound);
  return p;
}

Result<std::vector<Plan>> PlanService::list(const auth::Principal& who, const PlanFilter& f) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  std::string where = visible_sql(who, params);
  if (f.owner) { where += " AND owner = ?"; params.emplace_back(*f.owner); }
  if (f.enterprise_uscc) { where += " AND enterprise_uscc = ?"; params.emplace_back(*f.enterprise_uscc); }
  if (f.filing_state) { where += " AND filing_state = ?"; params.emplace_back(*f.filing_state); }
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM emergency_plans WHERE " + where + " ORDER BY region_code, owner_name, name", params);
  if (!rows.ok()) return rows.take_error();
  const std::int64_t today = today_shanghai(now_ms());
  std::vector<Plan> out;
  for (const auto& row : *rows) {
    Plan p = from_row(row);
    if (f.overdue && p.review_due() >= today) continue;
    out.push_back(std::move(p));
    if (static_cast<std::int64_t>(out.size()) >= f.limit) break;
  }
  return out;
}

Result<std::vector<Suggestion>> PlanService::suggest(const auth::Principal& who, const std::string& enterprise_uscc, const std::string& region_code,
                                                     const std::string& kind) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  // The enterprise's own and the governments' of the place, county up to province.
  std::vector<Value> params{enterprise_uscc};
  std::string regions;
  for (const auto* reg : regions_.path(region_code)) {
    regions += (regions.empty() ? "?" : ", ?");
    params.emplace_back(reg->code);
  }
  std::string where = "(enterprise_uscc = ? AND enterprise_uscc <> ''" ;
  where += regions.empty() ? ")" : " OR (owner = 'government' AND region_code IN (" + regions + ")))";
  where += " AND " + visible_sql(who, params);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM emergency_plans WHERE " + where, params);
  if (!rows.ok()) return rows.take_error();
  const auto k = accident::find_kind(kind);
  const std::string kind_name = k ? k->name : kind;
  std::vector<std::pair<int, Suggestion>> ranked;
  for (const auto& row : *rows) {
    Plan p = from_row(row);
    const bool covers = std::find(p.scenarios.begin(), p.scenarios.end(), kind) != p.scenarios.end();
    const bool own = p.owner == "enterprise";
    // Without the kind, only the plans meant for any accident: an enterprise's 综合, a government's 总体.
    if (!covers && p.level != "comprehensive" && p.level != "overall") continue;
    std::string reason = own ? (covers ? "本企业" + kind_name + "事故预案" : "本企业综合应急预案")
                             : p.owner_name + (covers ? kind_name + "事故预案" : "总体应急预案");
    // Own before government, covering the kind before general, the nearer government first.
    const int rank = (own ? 0 : 4) + (covers ? 0 : 2) + (own ? 0 : static_cast<int>(6 - std::min<size_t>(6, p.region_code.find_last_not_of('0') + 1)) / 2);
    ranked.push_back({rank, {std::move(p), std::move(reason)}});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Suggestion> out;
  for (auto& [_, s] : ranked) out.push_back(std::move(s));
  return out;
}

}  // namespace anjian::emergency
