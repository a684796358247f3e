#include "modules/enforcement/task_service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

namespace {
// What a regulator may start a task from by hand; plan, draw and recheck tasks are made by their
// plan item, draw or measure.
const std::vector<std::string_view> kManualSources = {"plan", "complaint", "referral", "accident", "hidden_danger", "other"};
constexpr const char* kColumns =
    "t.id, t.enterprise_uscc, e.name, t.region_code, t.owner_region, t.org_id, t.source, t.plan_item_id, t.draw_id, "
    "t.follows_measure_id, t.template_id, t.due_date, t.state, t.note, t.inspection_id, t.created_by, t.created_at, t.version";
constexpr const char* kFrom = " FROM inspection_tasks t JOIN enterprises e ON e.uscc = t.enterprise_uscc";

Task from_row(const db::Row& r) {
  Task t;
  t.id = r.str(0);
  t.enterprise_uscc = r.str(1);
  t.enterprise_name = r.str(2);
  t.region_code = r.str(3);
  t.owner_region = r.str(4);
  t.org_id = r.str(5);
  t.source = r.str(6);
  t.plan_item_id = r.str(7);
  t.draw_id = r.str(8);
  t.follows_measure_id = r.str(9);
  t.template_id = r.str(10);
  t.due_date = r.str(11);
  t.state = r.str(12);
  t.note = r.str(13);
  t.inspection_id = r.str(14);
  t.created_by = r.str(15);
  t.created_at = r.i64(16);
  t.version = r.i64(17);
  return t;
}

// The inspectors of a page of tasks in one query (not one per task).
Status fill_inspectors(db::Connection& c, std::vector<Task>& tasks) {
  if (tasks.empty()) return {};
  std::vector<Value> ids;
  std::map<std::string, Task*> by_id;
  for (auto& t : tasks) {
    ids.emplace_back(t.id);
    by_id[t.id] = &t;
  }
  auto rows = c.query("SELECT task_id, user_id, name, badge_number FROM inspection_task_inspectors WHERE task_id IN (" +
                          db::placeholders(ids.size()) + ") ORDER BY task_id, seq",
                      ids);
  if (!rows.ok()) return rows.take_error();
  for (const auto& r : *rows) by_id.at(r.str(0))->inspectors.push_back({r.str(1), r.str(2), r.str(3)});
  return {};
}

std::optional<std::string> due_date_of(JsonFields& f, bool required) {
  auto text = f.string("due_date", required, 10);
  if (text && !parse_date(*text)) f.fail(Error::invalid_field("due_date", "到期日须为 YYYY-MM-DD 格式的日期"));
  return text;
}
}  // namespace

std::string_view task_source_label(std::string_view source) {
  static const std::vector<std::pair<std::string_view, std::string_view>> labels = {
      {"plan", "计划检查"}, {"draw", "双随机抽查"}, {"complaint", "投诉举报"}, {"referral", "移送交办"}, {"accident", "事故调查"},
      {"hidden_danger", "隐患跟踪"}, {"recheck", "整改复查"}, {"other", "其他"}};
  for (const auto& [k, v] : labels)
    if (k == source) return v;
  return source;
}

json::object to_json(const Task& t) {
  json::array inspectors;
  for (const auto& i : t.inspectors)
    inspectors.push_back(json::object{{"user_id", i.user_id}, {"name", i.name}, {"badge_number", i.badge_number}});
  const bool open = t.state == "issued";
  return {{"id", t.id},
          {"enterprise_uscc", t.enterprise_uscc},
          {"enterprise_name", t.enterprise_name},
          {"region_code", t.region_code},
          {"owner_region", t.owner_region},
          {"source", t.source},
          {"source_label", task_source_label(t.source)},
          {"plan_item_id", t.plan_item_id},
          {"draw_id", t.draw_id},
          {"follows_measure_id", t.follows_measure_id},
          {"template_id", t.template_id},
          {"due_date", t.due_date},
          {"overdue", open && t.due_date < TaskService::today()},
          {"state", t.state},
          {"note", t.note},
          {"inspection_id", t.inspection_id},
          {"inspectors", std::move(inspectors)},
          {"created_by", t.created_by},
          {"created_at", format_iso(t.created_at)},
          {"version", t.version}};
}

std::string TaskService::today() { return format_date(today_shanghai(now_ms())); }

Result<std::vector<TaskInspector>> TaskService::staff(const auth::Principal& who, const std::vector<std::string>& ids,
                                                      const std::string& uscc) {
  if (std::set<std::string>(ids.begin(), ids.end()).size() != ids.size())
    return Error::invalid_field("inspectors", "同一名执法人员不能重复列出");
  if (ids.size() < 2) return Error::invalid_field("inspectors", "现场检查须有两名以上执法人员（行政处罚法第四十二条）");
  auto on_duty = registry_.on_duty(who, ids);
  if (!on_duty.ok()) return on_duty.take_error();
  std::vector<TaskInspector> out;
  for (const auto& i : *on_duty) {
    for (const auto& c : i.conflicts)
      if (c.enterprise_uscc == uscc)
        return Error::invalid_field("inspectors", i.display_name + " 对该企业申报了回避（" + c.reason + "），不能派其检查（行政处罚法第四十三条）");
    out.push_back({i.user_id, i.display_name, i.badge_number});
  }
  return out;
}

Status TaskService::insert_in(db::Connection& c, Task& t) {
  ANJIAN_TRY(c.exec("INSERT INTO inspection_tasks (id, enterprise_uscc, region_code, owner_region, org_id, source, plan_item_id, draw_id, "
                    "follows_measure_id, template_id, due_date, state, note, created_by, created_at, version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    {t.id, t.enterprise_uscc, t.region_code, t.owner_region, t.org_id, t.source, t.plan_item_id, t.draw_id,
                     t.follows_measure_id, t.template_id, t.due_date, t.state, t.note, t.created_by, t.created_at}));
  std::int64_t seq = 0;
  for (const auto& i : t.inspectors)
    ANJIAN_TRY(c.exec("INSERT INTO inspection_task_inspectors (task_id, user_id, seq, name, badge_number) VALUES (?, ?, ?, ?, ?)",
                      {t.id, i.user_id, ++seq, i.name, i.badge_number}));
  t.version = 1;
  return {};
}

Result<Task> TaskService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("只有监管部门可以下达检查任务");
  JsonFields f(fields);
  Task t;
  t.enterprise_uscc = f.string("enterprise_uscc", true, 40).value_or("");
  t.source = f.one_of("source", true, kManualSources).value_or("");
  const auto ids = f.strings("inspectors", true, 20, 64);
  t.due_date = due_date_of(f, true).value_or("");
  t.template_id = f.string("template_id", false, 64).value_or("");
  t.note = f.string("note", false, 1000).value_or("");
  t.plan_item_id = f.string("plan_item_id", false, 64).value_or("");
  ANJIAN_TRY(f.finish());
  auto ent = enterprises_.get(who.scope, t.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  auto staff_ = staff(who, *ids, ent->uscc);
  if (!staff_.ok()) return staff_.take_error();
  t.inspectors = std::move(*staff_);
  t.id = new_id();
  t.enterprise_name = ent->name;
  t.region_code = ent->region_code;
  t.owner_region = who.region_code;
  t.org_id = who.org_id;
  t.state = "issued";
  t.created_by = who.username;
  t.created_at = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(insert_in(c, t));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspection_task.create", "inspection_task:" + t.id, t.region_code, t.enterprise_uscc,
                                               source, json_text(to_json(t)))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return t;
}

Result<std::vector<Task>> TaskService::issue_draw(const auth::Principal& who, const std::string& draw_id, const json::object& fields,
                                                  std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("只有监管部门可以下达检查任务");
  JsonFields f(fields);
  const std::string due = due_date_of(f, true).value_or("");
  const std::string template_id = f.string("template_id", false, 64).value_or("");
  ANJIAN_TRY(f.finish());
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT region_code, record, plan_item_id FROM draws WHERE id = ?", {draw_id});
  if (!row.ok() || !(who.region_code.empty() || regions_.contains(who.region_code, row->str(0))))
    return Error{"not_found", "抽取记录不存在或不在您的管辖范围内", ""};
  const json::object record = object_of_text(row->str(1));
  if (!record.contains("result")) return Error{"storage_error", "抽取记录已损坏", ""};
  const std::string plan_item = row->str(2);
  std::vector<Task> tasks;
  for (const auto& a : record.at("result").as_array()) {
    const auto& o = a.as_object();
    std::vector<std::string> ids;
    for (const auto& i : o.at("inspectors").as_array()) ids.emplace_back(i.as_string());
    const std::string uscc(o.at("enterprise_uscc").as_string());
    auto ent = enterprises_.get(who.scope, uscc);
    if (!ent.ok()) return Error{"not_found", "抽中的企业 " + uscc + " 已不在您的管辖范围内", ""};
    auto staff_ = staff(who, ids, uscc);
    if (!staff_.ok()) return staff_.take_error();
    Task t;
    t.id = new_id();
    t.enterprise_uscc = uscc;
    t.enterprise_name = ent->name;
    t.region_code = ent->region_code;
    t.owner_region = who.region_code;
    t.org_id = who.org_id;
    t.source = "draw";
    t.plan_item_id = plan_item;
    t.draw_id = draw_id;
    t.template_id = template_id;
    t.due_date = due;
    t.state = "issued";
    t.created_by = who.username;
    t.created_at = now_ms();
    t.inspectors = std::move(*staff_);
    tasks.push_back(std::move(t));
  }
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    // Inside the transaction: two regulators issuing the same draw at once get one set of tasks.
    auto n = c.query_one("SELECT COUNT(*) FROM inspection_tasks WHERE draw_id = ?", {draw_id});
    if (!n.ok()) return n.take_error();
    if (n->i64(0) > 0) return Error{"conflict", "该抽取结果已下达任务，抽取结果已确定", ""};
    for (auto& t : tasks) ANJIAN_TRY(insert_in(c, t));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "draw.issue", "draw:" + draw_id, row->str(0), "", source,
                                               json_text(json::object{{"tasks", tasks.size()}, {"due_date", due}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return tasks;
}

Result<Task> TaskService::load(db::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE t.id = ?", {id});
  if (!row.ok()) return row.take_error();
  std::vector<Task> one{from_row(*row)};
  ANJIAN_TRY(fill_inspectors(c, one));
  return std::move(one[0]);
}

Result<Task> TaskService::get(const auth::Principal& who, const std::string& id) {
  const Error absent{"not_found", "检查任务不存在或不在您的管辖范围内", ""};
  if (who.org_kind != "regulator") return absent;  // an enterprise is not told of inspections ahead
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + kFrom + " WHERE t.id = ? AND " + who.scope.sql("t.region_code", "t.enterprise_uscc", params),
                             params);
  if (!row.ok()) return row.error().code == "not_found" ? Result<Task>(absent) : row.take_error();
  std::vector<Task> one{from_row(*row)};
  ANJIAN_TRY(fill_inspectors(**r, one));
  return std::move(one[0]);
}

Result<TaskPage> TaskService::list(const auth::Principal& who, const TaskFilter& f) {
  if (who.org_kind != "regulator") return TaskPage{};
  std::vector<Value> params;
  std::string where = " WHERE " + who.scope.sql("t.region_code", "t.enterprise_uscc", params);
  if (f.mine) {
    where += " AND t.id IN (SELECT task_id FROM inspection_task_inspectors WHERE user_id = ?)";
    params.emplace_back(who.user_id);
  }
  if (f.state) { where += " AND t.state = ?"; params.emplace_back(*f.state); }
  if (f.source) { where += " AND t.source = ?"; params.emplace_back(*f.source); }
  if (f.enterprise_uscc) { where += " AND t.enterprise_uscc = ?"; params.emplace_back(*f.enterprise_uscc); }
  if (f.due_before) { where += " AND t.due_date <= ?"; params.emplace_back(*f.due_before); }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto total = (*r)->query_one("SELECT COUNT(*) FROM inspection_tasks t" + where, params);
  if (!total.ok()) return total.take_error();
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  // Open tasks first, the most urgent on top.
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where +
                              " ORDER BY CASE t.state WHEN 'issued' THEN 0 ELSE 1 END, t.due_date, t.created_at DESC, t.id LIMIT ? OFFSET ?",
                          params);
  if (!rows.ok()) return rows.take_error();
  TaskPage page;
  page.total = total->i64(0);
  for (const auto& row : *rows) page.items.push_back(from_row(row));
  ANJIAN_TRY(fill_inspectors(**r, page.items));
  return page;
}

Result<Task> TaskService::update(const auth::Principal& who, const std::string& id, std::int64_t version, const json::object& fields,
                                 std::string_view source) {
  auto current = get(who, id);
  if (!current.ok()) return current.take_error();
  JsonFields f(fields);
  const auto ids = f.strings("inspectors", false, 20, 64);
  const auto due = due_date_of(f, false);
  const auto note = f.string("note", false, 1000);
  ANJIAN_TRY(f.finish());
  Task t = *current;
  if (t.state != "issued") return Error{"invalid_transition", "任务已" + std::string(t.state == "done" ? "完成" : "取消") + "，不能再改", ""};
  if (ids) {
    auto staff_ = staff(who, *ids, t.enterprise_uscc);
    if (!staff_.ok()) return staff_.take_error();
    t.inspectors = std::move(*staff_);
  }
  if (due) t.due_date = *due;
  if (note) t.note = *note;
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<Task> {
    auto n = c.exec("UPDATE inspection_tasks SET due_date = ?, note = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'issued'",
                    {t.due_date, t.note, id, version});
    if (!n.ok()) return n.take_error();
    if (*n == 0) return Error{"precondition_failed", "任务已被他人修改，请刷新后重试", ""};
    if (ids) {
      ANJIAN_TRY(c.exec("DELETE FROM inspection_task_inspectors WHERE task_id = ?", {id}));
      std::int64_t seq = 0;
      for (const auto& i : t.inspectors)
        ANJIAN_TRY(c.exec("INSERT INTO inspection_task_inspectors (task_id, user_id, seq, name, badge_number) VALUES (?, ?, ?, ?, ?)",
                          {id, i.user_id, ++seq, i.name, i.badge_number}));
    }
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspection_task.update", "inspection_task:" + id, t.region_code, t.enterprise_uscc,
                                               source, json_text(fields))));
    return load(c, id);
  });
}

Result<Task> TaskService::cancel(const auth::Principal& who, const std::string& id, std::int64_t version, const json::object& fields,
                                 std::string_view source) {
  auto current = get(who, id);
  if (!current.ok()) return current.take_error();
  JsonFields f(fields);
  const std::string reason = f.string("reason", true, 500).value_or("");
  ANJIAN_TRY(f.finish());
  if (current->state != "issued") return Error{"invalid_transition", "只有未完成的任务可以取消", ""};
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<Task> {
    auto n = c.exec("UPDATE inspection_tasks SET state = 'cancelled', note = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'issued'",
                    {reason, id, version});
    if (!n.ok()) return n.take_error();
    if (*n == 0) return Error{"precondition_failed", "任务已被他人修改，请刷新后重试", ""};
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspection_task.cancel", "inspection_task:" + id, current->region_code,
                                               current->enterprise_uscc, source, json_text(json::object{{"reason", reason}}))));
    return load(c, id);
  });
}

Status TaskService::complete_in(db::Connection& c, const std::string& task_id, const std::string& inspection_id) {
  auto n = c.exec("UPDATE inspection_tasks SET state = 'done', inspection_id = ?, version = version + 1 WHERE id = ? AND state = 'issued'",
                  {inspection_id, task_id});
  if (!n.ok()) return n.take_error();
  if (*n == 0) return Error{"conflict", "任务已完成或已取消", "task_id"};
  return {};
}

}  // namespace anjian::enforcement
