#include "modules/enforcement/plans.h"

#include <boost/json.hpp>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

namespace {
const std::vector<std::string_view> kKinds = {"key", "general", "special"};
std::string_view kind_label(std::string_view k) { return k == "key" ? "重点检查" : k == "general" ? "一般检查（双随机）" : "专项检查"; }

// Whether the caller sees a plan of `region` (its own region and below; the nation everything).
bool visible(const codes::RegionTable& regions, const auth::Principal& who, const std::string& region) {
  return who.org_kind == "regulator" && (who.region_code.empty() || regions.contains(who.region_code, region));
}
}  // namespace

json::object to_json(const Plan& p, int required_share_percent) {
  json::array items;
  for (const auto& i : p.items) {
    json::array planned, issued, done;
    for (int q = 0; q < 4; ++q) {
      planned.push_back(i.planned[q]);
      issued.push_back(i.issued[q]);
      done.push_back(i.done[q]);
    }
    items.push_back(json::object{{"id", i.id}, {"kind", i.kind}, {"kind_label", kind_label(i.kind)}, {"name", i.name},
                                 {"legal_basis", i.legal_basis}, {"template_id", i.template_id}, {"enterprises", json::value_from(i.enterprises)},
                                 {"filter", i.filter}, {"planned", std::move(planned)}, {"issued", std::move(issued)}, {"done", std::move(done)},
                                 {"cap_per_year", i.cap_per_year}, {"inspection_item_id", i.inspection_item_id}, {"note", i.note}});
  }
  const double share = p.planned_total ? static_cast<double>(p.planned_double_random) / static_cast<double>(p.planned_total) : 0;
  return {{"id", p.id}, {"region_code", p.region_code}, {"name", p.name}, {"year", p.year}, {"month", p.month}, {"state", p.state},
          {"items", std::move(items)}, {"planned_total", p.planned_total}, {"planned_double_random", p.planned_double_random},
          {"double_random_share", std::round(share * 1000) / 1000}, {"required_share", required_share_percent / 100.0},
          {"share_ok", p.planned_total > 0 && p.planned_double_random * 100 >= p.planned_total * required_share_percent},
          {"created_by", p.created_by}, {"created_at", format_iso(p.created_at)}, {"version", p.version}};
}

Result<Plan> PlanService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("检查计划由监管部门编制");
  JsonFields f(fields);
  Plan p;
  p.name = f.string("name", true, 200).value_or("");
  p.year = f.integer("year", true, 2020, 2100).value_or(0);
  p.month = f.integer("month", false, 1, 12).value_or(0);
  f.objects("items", true, 200, [&](JsonFields& g, size_t i) {
    PlanItem it;
    it.kind = g.one_of("kind", true, kKinds).value_or("");
    it.name = g.string("name", true, 200).value_or("");
    it.legal_basis = g.string("legal_basis", false, 1000).value_or("");
    it.template_id = g.string("template_id", false, 64).value_or("");
    it.inspection_item_id = g.string("inspection_item_id", false, 64).value_or("");
    it.note = g.string("note", false, 1000).value_or("");
    it.enterprises = g.strings("enterprises", false, 5000, 40).value_or(std::vector<std::string>{});
    if (const json::object* filter = g.object("filter", false)) {
      JsonFields h = g.child("filter", *filter);
      (void)h.string("region_code", false, 6);
      (void)h.string("industry", false, 40);
      (void)h.one_of("risk_level", false, {"major", "larger", "general", "low"});
      g.absorb(h);
      it.filter = *filter;
    }
    for (int q = 0; q < 4; ++q) it.planned[q] = g.integer("q" + std::to_string(q + 1), true, 0, 100'000).value_or(0);
    it.cap_per_year = g.integer("cap_per_year", false, 0, 12).value_or(0);
    if (it.kind == "key" && it.enterprises.empty()) g.fail(Error::invalid_field(g.path("enterprises"), "重点检查须列出企业"));
    (void)i;
    p.items.push_back(std::move(it));
  });
  ANJIAN_TRY(f.finish());
  for (size_t i = 0; i < p.items.size(); ++i)
    if (!p.items[i].inspection_item_id.empty() && (!items_ || !items_->get(who, p.items[i].inspection_item_id).ok()))
      return Error::invalid_field("items[" + std::to_string(i) + "].inspection_item_id", "随机抽查事项不存在");
  for (size_t i = 0; i < p.items.size(); ++i)
    for (const auto& u : p.items[i].enterprises)
      if (!enterprises_.get(who.scope, u).ok())
        return Error::invalid_field("items[" + std::to_string(i) + "].enterprises", "企业不存在或不在管辖范围内：" + u);
  p.id = new_id();
  p.region_code = who.region_code;
  p.org_id = who.org_id;
  p.state = "in_force";
  p.created_by = who.username;
  p.created_at = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec("INSERT INTO plans (id, region_code, org_id, year, month, name, state, created_by, created_at, version) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                      {p.id, p.region_code, p.org_id, p.year, p.month, p.name, p.state, p.created_by, p.created_at}));
    std::int64_t seq = 0;
    for (auto& it : p.items) {
      it.id = new_id();
      ANJIAN_TRY(c.exec("INSERT INTO plan_items (id, plan_id, seq, kind, name, legal_basis, template_id, enterprises, filter, q1, q2, q3, q4, "
                        "cap_per_year, note, inspection_item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        {it.id, p.id, ++seq, it.kind, it.name, it.legal_basis, it.template_id, json_text(json::value_from(it.enterprises)),
                         json_text(it.filter), it.planned[0], it.planned[1], it.planned[2], it.planned[3], it.cap_per_year, it.note,
                         it.inspection_item_id}));
    }
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "plan.create", "plan:" + p.id, p.region_code, "", source,
                                               json_text(json::object{{"name", p.name}, {"year", p.year}, {"items", p.items.size()}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return get(who, p.id);
}

Status PlanService::fill(db::Connection& c, Plan& p) {
  auto rows = c.query("SELECT id, kind, name, legal_basis, template_id, enterprises, filter, q1, q2, q3, q4, cap_per_year, note, inspection_item_id "
                      "FROM plan_items WHERE plan_id = ? ORDER BY seq",
                      {p.id});
  if (!rows.ok()) return rows.take_error();
  for (const auto& r : *rows) {
    PlanItem it;
    it.id = r.str(0);
    it.kind = r.str(1);
    it.name = r.str(2);
    it.legal_basis = r.str(3);
    it.template_id = r.str(4);
    for (const auto& u : array_of_text(r.str(5))) it.enterprises.emplace_back(u.as_string());
    it.filter = object_of_text(r.str(6));
    for (int q = 0; q < 4; ++q) it.planned[q] = r.i64(7 + q);
    it.cap_per_year = r.i64(11);
    it.note = r.str(12);
    it.inspection_item_id = r.str(13);
    // Progress: the item's tasks by the quarter of their due date (YYYY-MM-DD).
    auto tasks = c.query("SELECT due_date, state FROM inspection_tasks WHERE plan_item_id = ? AND state <> 'cancelled'", {it.id});
    if (!tasks.ok()) return tasks.take_error();
    for (const auto& t : *tasks) {
      const std::string due = t.str(0);
      if (due.size() < 7 || std::stoll(due.substr(0, 4)) != p.year) continue;
      const int q = (std::stoi(due.substr(5, 2)) - 1) / 3;
      ++it.issued[q];
      if (t.str(1) == "done") ++it.done[q];
    }
    for (int q = 0; q < 4; ++q) {
      p.planned_total += it.planned[q];
      if (it.kind == "general") p.planned_double_random += it.planned[q];
    }
    p.items.push_back(std::move(it));
  }
  return {};
}

Result<Plan> PlanService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT id, region_code, org_id, year, month, name, state, created_by, created_at, version FROM plans WHERE id = ?", {id});
  if (!row.ok() || !visible(regions_, who, row->str(1))) return Error{"not_found", "检查计划不存在或不在您的管辖范围内", ""};
  Plan p{row->str(0), row->str(1), row->str(2), row->str(5), row->str(6), row->str(7), row->i64(3), row->i64(4), row->i64(8), row->i64(9)};
  ANJIAN_TRY(fill(**r, p));
  return p;
}

Result<std::vector<Plan>> PlanService::list(const auth::Principal& who, std::int64_t year) {
  if (who.org_kind != "regulator") return std::vector<Plan>{};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT id, region_code FROM plans WHERE year = ? ORDER BY month, created_at", {year});
  if (!rows.ok()) return rows.take_error();
  std::vector<Plan> out;
  for (const auto& row : *rows)
    if (visible(regions_, who, row.str(1)))
      if (auto p = get(who, row.str(0)); p.ok()) out.push_back(std::move(*p));
  return out;
}

Result<std::vector<Task>> PlanService::issue(const auth::Principal& who, const std::string& item_id, const json::object& fields,
                                             std::string_view source) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT i.kind, i.enterprises, i.template_id, p.id FROM plan_items i JOIN plans p ON p.id = i.plan_id WHERE i.id = ?", {item_id});
  if (!row.ok()) return Error{"not_found", "计划事项不存在", ""};
  auto plan = get(who, row->str(3));
  if (!plan.ok()) return Error{"not_found", "计划事项不存在", ""};
  if (row->str(0) == "general") return Error::invalid_field("kind", "一般检查由双随机抽取产生任务：请以该计划事项抽取后下达");
  std::vector<Task> out;
  for (const auto& u : array_of_text(row->str(1))) {
    json::object body = fields;
    body["enterprise_uscc"] = u;
    body["source"] = "plan";
    body["plan_item_id"] = item_id;
    if (!row->str(2).empty() && !body.contains("template_id")) body["template_id"] = row->str(2);
    auto t = tasks_.create(who, body, source);
    if (!t.ok()) return t.take_error();
    out.push_back(std::move(*t));
  }
  return out;
}

}  // namespace anjian::enforcement
