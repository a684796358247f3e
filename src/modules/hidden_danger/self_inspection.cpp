#include "modules/hidden_danger/self_inspection.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::hidden_danger {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "s.id, s.enterprise_uscc, e.name, s.region_code, s.template_id, t.name, t.version, s.inspected_at, s.inspector, s.note, s.passed, "
    "s.failed, s.not_applicable, s.created_by, s.created_at";
constexpr const char* kFrom =
    " FROM self_inspections s JOIN enterprises e ON e.uscc = s.enterprise_uscc JOIN checklist_templates t ON t.id = s.template_id WHERE ";

SelfInspection from_row(const db::Row& r) {
  SelfInspection s;
  s.id = r.str(0);
  s.enterprise_uscc = r.str(1);
  s.enterprise_name = r.str(2);
  s.region_code = r.str(3);
  s.template_id = r.str(4);
  s.template_name = r.str(5);
  s.template_version = r.i64(6);
  s.inspected_at = r.i64(7);
  s.inspector = r.str(8);
  s.note = r.str(9);
  s.passed = r.i64(10);
  s.failed = r.i64(11);
  s.not_applicable = r.i64(12);
  s.created_by = r.str(13);
  s.created_at = r.i64(14);
  return s;
}
}  // namespace

json::object to_json(const SelfInspection& s, bool with_results) {
  json::object o{{"id", s.id}, {"enterprise_uscc", s.enterprise_uscc}, {"enterprise_name", s.enterprise_name},
                 {"region_code", s.region_code}, {"template_id", s.template_id}, {"template_name", s.template_name},
                 {"template_version", s.template_version}, {"inspected_at", format_iso(s.inspected_at)}, {"inspector", s.inspector},
                 {"note", s.note}, {"passed", s.passed}, {"failed", s.failed}, {"not_applicable", s.not_applicable},
                 {"created_at", format_iso(s.created_at)}};
  if (with_results) {
    json::array results, dangers;
    for (const auto& r : s.results) {
      results.push_back(json::object{{"seq", r.seq}, {"number", r.number}, {"text", r.text}, {"major", r.major}, {"result", r.result},
                                     {"note", r.note}, {"files", r.files},
                                     {"hidden_danger_id", r.hidden_danger_id ? json::value(*r.hidden_danger_id) : json::value(nullptr)}});
      if (r.hidden_danger_id) dangers.emplace_back(*r.hidden_danger_id);
    }
    o["results"] = std::move(results);
    o["hidden_danger_ids"] = std::move(dangers);
  }
  return o;
}

Result<SelfInspection> SelfInspectionService::run(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "enterprise") return Error::forbidden("自查由企业开展；监管部门的检查请在执法检查中记录");
  JsonFields f(fields);
  SelfInspection s;
  s.enterprise_uscc = f.string("enterprise_uscc", true, 40).value_or("");
  s.template_id = f.string("template_id", true, 64).value_or("");
  std::optional<Millis> at;
  if (auto text = f.string("inspected_at", true, 40)) {
    at = parse_instant(*text);
    if (!at) f.fail(Error::invalid_field("inspected_at", "排查时间须为带时区的时间，如 2026-11-30T18:58:00+08:00"));
  }
  s.inspector = f.string("inspector", false, 50).value_or(who.display_name);
  s.note = f.string("note", false, 2000).value_or("");
  std::vector<ChecklistAnswer> answers;
  read_answers(f, fields, true, answers);
  ANJIAN_TRY(f.finish());
  s.inspected_at = *at;
  if (s.inspected_at > now_ms() + 5 * 60'000) return Error::invalid_field("inspected_at", "排查时间不能晚于现在");

  auto ent = enterprises_.get(who.scope, s.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  auto tpl = checklists_.get(who, s.template_id);
  if (!tpl.ok()) return Error{"not_found", "排查表不存在", "template_id"};
  if (!tpl->industries.empty() && std::find(tpl->industries.begin(), tpl->industries.end(), ent->industry) == tpl->industries.end())
    return Error{"template_not_applicable", "排查表「" + tpl->name + "」不适用于" + std::string(enterprise::industry_label(ent->industry)) +
                                                "企业",
                 "template_id"};
  // Every item answered once.
  auto by_item = answers_in_order(*tpl, answers);
  if (!by_item.ok()) return by_item.take_error();
  s.id = new_id();
  s.enterprise_name = ent->name;
  s.region_code = ent->region_code;
  s.template_name = tpl->name;
  s.template_version = tpl->version;
  s.created_by = who.username;
  s.created_at = now_ms();
  std::vector<Prepared> dangers;
  for (size_t seq = 1; seq <= tpl->items.size(); ++seq) {
    const ChecklistAnswer& a = *(*by_item)[seq - 1];
    const ChecklistItem& item = tpl->items[seq - 1];
    auto files = hidden_dangers_.files_of(who, ent->uscc, a.raw, "files");
    if (!files.ok()) {
      Error e = files.take_error();
      e.field = "results[" + std::to_string(seq - 1) + "].files";
      return e;
    }
    ItemResult r{static_cast<std::int64_t>(seq), item.number, item.text, a.result, a.note, item.major, *files, std::nullopt};
    if (a.result == "pass") ++s.passed;
    if (a.result == "not_applicable") ++s.not_applicable;
    if (a.result == "fail") {
      ++s.failed;
      HiddenDanger h = danger_of_failed_item(*ent, *tpl, item, a, "self_inspection", s.inspector, s.inspected_at);
      h.self_inspection_id = s.id;
      dangers.push_back(Prepared{std::move(h), *files});
    }
    s.results.push_back(std::move(r));
  }

  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec("INSERT INTO self_inspections (id, enterprise_uscc, region_code, template_id, inspected_at, inspector, note, passed, "
                      "failed, not_applicable, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {s.id, s.enterprise_uscc, s.region_code, s.template_id, s.inspected_at, s.inspector, s.note, s.passed, s.failed,
                       s.not_applicable, s.created_by, s.created_at}));
    size_t d = 0;
    for (auto& r : s.results) {
      if (r.result == "fail") {
        ANJIAN_TRY(hidden_dangers_.insert_in(c, who, dangers[d], source));
        r.hidden_danger_id = dangers[d++].record.id;
      }
      ANJIAN_TRY(c.exec("INSERT INTO self_inspection_results (inspection_id, seq, result, note, files, hidden_danger_id) VALUES (?, ?, ?, ?, ?, ?)",
                        {s.id, r.seq, r.result, r.note, json_text(r.files), db::opt(r.hidden_danger_id)}));
    }
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "self_inspection.run", "self_inspection:" + s.id, s.region_code, s.enterprise_uscc,
                                               source,
                                               json_text(json::object{{"template", tpl->name}, {"passed", s.passed}, {"failed", s.failed},
                                                                      {"not_applicable", s.not_applicable}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  for (const auto& p : dangers) hidden_dangers_.announce(p.record, "report");
  return s;
}

Result<SelfInspection> SelfInspectionService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + kFrom + "s.id = ? AND " + who.scope.sql("s.region_code", "s.enterprise_uscc", params),
                             params);
  if (!row.ok()) return row.error().code == "not_found" ? Result<SelfInspection>(Error{"not_found", "排查记录不存在或不在您的管辖范围内", ""})
                                                        : row.take_error();
  SelfInspection s = from_row(*row);
  auto results = (*r)->query("SELECT r.seq, i.number, i.text, i.major, r.result, r.note, r.files, r.hidden_danger_id "
                             "FROM self_inspection_results r JOIN checklist_items i ON i.template_id = ? AND i.seq = r.seq "
                             "WHERE r.inspection_id = ? ORDER BY r.seq",
                             {s.template_id, id});
  if (!results.ok()) return results.take_error();
  for (const auto& x : *results) {
    boost::system::error_code ec;
    auto files = json::parse(x.str(6), ec);
    s.results.push_back({x.i64(0), x.str(1), x.str(2), x.str(4), x.str(5), x.i64(3) != 0,
                         !ec && files.is_array() ? files.as_array() : json::array{}, x.opt_str(7)});
  }
  return s;
}

Result<SelfInspectionPage> SelfInspectionService::list(const auth::Principal& who, const std::optional<std::string>& enterprise_uscc,
                                                       const std::optional<std::string>& region_code, std::int64_t page,
                                                       std::int64_t page_size) {
  std::vector<Value> params;
  std::string where = "(" + who.scope.sql("s.region_code", "s.enterprise_uscc", params) + ")";
  if (enterprise_uscc) { where += " AND s.enterprise_uscc = ?"; params.emplace_back(*enterprise_uscc); }
  if (region_code) {
    if (!regions_.find(*region_code)) return Error::invalid_field("region_code", "行政区划不存在：" + *region_code);
    where += " AND (" + auth::Scope::region(regions_, *region_code).sql("s.region_code", "s.enterprise_uscc", params) + ")";
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  SelfInspectionPage out;
  auto n = (*r)->query_one("SELECT COUNT(*) FROM self_inspections s WHERE " + where, params);
  if (!n.ok()) return n.take_error();
  out.total = n->i64(0);
  params.emplace_back(page_size);
  params.emplace_back((page - 1) * page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY s.inspected_at DESC, s.id LIMIT ? OFFSET ?", params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) out.items.push_back(from_row(row));
  return out;
}

}  // namespace anjian::hidden_danger
