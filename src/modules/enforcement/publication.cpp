#include "modules/enforcement/publication.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/json_text.h"
#include "modules/enforcement/publication_rules.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

json::object to_json(const Pending& p) {
  return {{"inspection_id", p.inspection_id}, {"enterprise_uscc", p.enterprise_uscc}, {"enterprise_name", p.enterprise_name},
          {"region_code", p.region_code},     {"draw_id", p.draw_id},                 {"draw_name", p.draw_name},
          {"concluded_at", format_iso(p.concluded_at)}, {"deadline", p.deadline},      {"working_days_left", p.working_days_left},
          {"flag", p.flag}};
}

json::object to_json(const PublishedResult& r) {
  return {{"enterprise_uscc", r.enterprise_uscc}, {"enterprise_name", r.enterprise_name}, {"region_code", r.region_code},
          {"item", r.item}, {"inspected_on", format_date(today_shanghai(r.inspected_at))}, {"result", r.result},
          {"draw_id", r.draw_id}, {"draw_record", "/api/v1/public/draws/" + r.draw_id + "/record"},
          {"published_at", format_iso(r.published_at)}};
}

Result<std::vector<Pending>> PublicationService::pending(const auth::Principal& who) {
  if (who.org_kind != "regulator") return std::vector<Pending>{};
  std::vector<Value> params;
  const std::string scope = who.scope.sql("i.region_code", "i.enterprise_uscc", params);
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT i.id, i.enterprise_uscc, e.name, i.region_code, t.draw_id, d.name, i.ended_at FROM inspections i "
                          "JOIN inspection_tasks t ON t.id = i.task_id JOIN draws d ON d.id = t.draw_id "
                          "JOIN enterprises e ON e.uscc = i.enterprise_uscc "
                          "WHERE t.source = 'draw' AND i.published_at IS NULL AND " + scope + " ORDER BY i.ended_at LIMIT 2000",
                          params);
  if (!rows.ok()) return rows.take_error();
  const std::int64_t today = today_shanghai(now_ms());
  std::vector<Pending> out;
  for (const auto& row : *rows) {
    Pending p{row.str(0), row.str(1), row.str(2), row.str(3), row.str(4), row.str(5), row.i64(6)};
    const auto due = publication_due(today_shanghai(p.concluded_at), today);
    p.deadline = format_date(due.deadline);
    p.working_days_left = due.working_days_left;
    p.flag = std::string(due.flag);
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(), [](const Pending& a, const Pending& b) { return a.working_days_left < b.working_days_left; });
  return out;
}

Status PublicationService::publish(const auth::Principal& who, const std::string& inspection_id, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("检查结果由监管部门公开");
  std::vector<Value> params{inspection_id};
  const std::string scope = who.scope.sql("i.region_code", "i.enterprise_uscc", params);
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto row = c.query_one("SELECT i.region_code, i.enterprise_uscc, t.source, i.published_at FROM inspections i "
                           "JOIN inspection_tasks t ON t.id = i.task_id WHERE i.id = ? AND " + scope,
                           params);
    if (!row.ok()) return row.error().code == "not_found" ? Error{"not_found", "检查记录不存在或不在您的管辖范围内", ""} : row.take_error();
    if (row->str(2) != "draw") return Error{"conflict", "只有双随机抽查的结果按此公开", ""};
    if (!row->null(3)) return Error{"conflict", "该结果已公开", ""};
    ANJIAN_TRY(c.exec("UPDATE inspections SET published_at = ?, published_by = ? WHERE id = ? AND published_at IS NULL",
                      {now_ms(), who.username, inspection_id}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspection.publish", "inspection:" + inspection_id, row->str(0), row->str(1), source)));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return {};
}

Result<Feed> PublicationService::feed(const std::string& after, std::int64_t limit) {
  // The cursor: "published_at~inspection id" of the last item seen.
  std::int64_t at = 0;
  std::string id;
  if (!after.empty()) {
    const auto tilde = after.find('~');
    try {
      if (tilde == std::string::npos) throw std::invalid_argument("no ~");
      at = std::stoll(after.substr(0, tilde));
      id = after.substr(tilde + 1);
    } catch (const std::exception&) {
      return Error::invalid_field("after", "after 须为上一页返回的 next");
    }
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query(
      "SELECT i.id, i.enterprise_uscc, e.name, i.region_code, d.name, i.failed, i.findings, i.ended_at, i.published_at, d.id, "
      "(SELECT COUNT(*) FROM enforcement_measures m WHERE m.inspection_id = i.id) "
      "FROM inspections i JOIN inspection_tasks t ON t.id = i.task_id JOIN draws d ON d.id = t.draw_id "
      "JOIN enterprises e ON e.uscc = i.enterprise_uscc "
      "WHERE i.published_at IS NOT NULL AND (i.published_at > ? OR (i.published_at = ? AND i.id > ?)) "
      "ORDER BY i.published_at, i.id LIMIT ?",
      {at, at, id, limit + 1});
  if (!rows.ok()) return rows.take_error();
  Feed f;
  for (const auto& row : *rows) {
    if (static_cast<std::int64_t>(f.items.size()) == limit) {
      const auto& last = f.items.back();
      f.next = std::to_string(last.published_at) + "~" + last.inspection_id;
      break;
    }
    const std::int64_t problems = row.i64(5) + static_cast<std::int64_t>(array_of_text(row.str(6)).size());
    std::string result = problems == 0 ? "未发现问题" : "发现问题 " + std::to_string(problems) + " 项";
    if (problems > 0 && row.i64(10) > 0) result += "，已责令整改";
    f.items.push_back({row.str(0), row.str(1), row.str(2), row.str(3), row.str(4), result, row.str(9), row.i64(7), row.i64(8)});
  }
  return f;
}

Result<json::object> PublicationService::public_record(const std::string& draw_id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT d.record FROM draws d WHERE d.id = ? AND EXISTS (SELECT 1 FROM inspection_tasks t JOIN inspections i "
                             "ON i.task_id = t.id WHERE t.draw_id = d.id AND i.published_at IS NOT NULL)",
                             {draw_id});
  if (!row.ok()) return row.error().code == "not_found" ? Result<json::object>(Error{"not_found", "没有公开的抽取记录", ""}) : row.take_error();
  return object_of_text(row->str(0));
}

}  // namespace anjian::enforcement
