#include "modules/risk/hazard_assessment.h"
#include "base/json_text.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "base/crypto.h"
#include "modules/risk/gb18218_rules.h"

namespace anjian::risk {
namespace json = boost::json;
using db::Value;

Result<json::object> HazardAssessments::assess(const auth::Principal& who, const std::string& id, std::string_view reason,
                                               std::string_view source) {
  auto h = hazards_.get(who.scope, id);
  if (!h.ok()) return h.take_error();
  if (!h->people_exposed)
    return Error::invalid_field("people_exposed", "先填写厂区边界向外 500 米范围内的常住人口数（people_exposed），它决定校正系数 α");
  if (h->substances.empty()) return Error::invalid_field("substances", "该重大危险源未登记危险化学品，无法辨识");
  gb18218::UnitInput input;
  input.unit_type = hazard::is_storage(h->kind) ? "storage" : "production";
  input.people_exposed = *h->people_exposed;
  json::array inputs;
  for (const auto& s : h->substances) {
    gb18218::SubstanceInput in;
    if (!s.name.empty()) in.name = s.name;
    in.cas = s.cas;
    in.categories = s.categories;
    in.mixture = s.mixture;
    in.quantity_t = gb18218::exact(s.quantity_t);
    input.substances.push_back(std::move(in));
  }
  auto evaluation = gb18218::evaluate(gb18218::Tables::standard(), input);
  if (!evaluation.ok()) return evaluation.take_error();
  json::object result = gb18218::to_json(*evaluation);

  // The source's grade follows the result (none when it is not a major hazard source).
  const std::optional<int> previous = h->grade;
  if (previous != evaluation->grade) {
    auto updated = hazards_.set_assessed_grade(who, id, h->version, evaluation->grade, source);
    if (!updated.ok()) return updated.take_error();
  }
  json::object record{{"id", new_id()}, {"hazard_source_id", id}, {"assessed_at", now_ms()},
                      {"assessed_by", who.username}, {"reason", reason},
                      {"previous_grade", previous ? json::value(*previous) : json::value(nullptr)}};
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  auto ins = (*w)->exec(
      "INSERT INTO hazard_assessments (id, hazard_source_id, assessed_at, assessed_by, reason, table_name, input, result, "
      "is_major, grade, previous_grade) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::string(record["id"].as_string()), id, record["assessed_at"].as_int64(), who.username, std::string(reason),
       std::string(gb18218::kTableName), hazard::substances_json(h->substances), json_text(result),
       std::int64_t{evaluation->is_major}, evaluation->grade ? Value(std::int64_t{*evaluation->grade}) : Value(nullptr),
       previous ? Value(std::int64_t{*previous}) : Value(nullptr)});
  if (!ins.ok()) return ins.take_error();
  for (auto& [k, v] : result) record[k] = v;
  record["assessed_at"] = format_iso(record["assessed_at"].as_int64());
  return record;
}

Result<json::object> HazardAssessments::latest(const auth::Scope& scope, const std::string& id) {
  auto h = hazards_.get(scope, id);  // the scope check: outside it, the source does not exist
  if (!h.ok()) return h.take_error();
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT id, assessed_at, assessed_by, reason, result, grade, previous_grade, is_major "
                          "FROM hazard_assessments WHERE hazard_source_id = ? ORDER BY assessed_at DESC, id DESC LIMIT 50",
                          {id});
  if (!rows.ok()) return rows.take_error();
  if (rows->empty()) return Error{"not_found", "该重大危险源尚未按 GB 18218 辨识分级", ""};
  const auto& top = rows->front();
  json::object out = json::parse(top.str(4)).as_object();
  out["id"] = top.str(0);
  out["hazard_source_id"] = id;
  out["assessed_at"] = format_iso(top.i64(1));
  out["assessed_by"] = top.str(2);
  out["reason"] = top.str(3);
  out["previous_grade"] = top.opt_i64(6) ? json::value(*top.opt_i64(6)) : json::value(nullptr);
  json::array history;
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& row = (*rows)[i];
    history.push_back(json::object{{"id", row.str(0)}, {"assessed_at", format_iso(row.i64(1))}, {"assessed_by", row.str(2)},
                                   {"reason", row.str(3)}, {"is_major", row.i64(7) != 0},
                                   {"grade", row.opt_i64(5) ? json::value(*row.opt_i64(5)) : json::value(nullptr)}});
  }
  out["history"] = std::move(history);
  return out;
}

void HazardAssessments::on_changed(const Event& e) {
  const auto* changed = e.data.if_contains("inventory_changed");
  if (!changed || !changed->is_bool() || !changed->as_bool()) return;
  const std::string id(e.data.at("id").as_string());
  auto r = db_.read();
  if (!r.ok()) return;
  auto assessed = (*r)->query_one("SELECT COUNT(*) FROM hazard_assessments WHERE hazard_source_id = ?", {id});
  if (!assessed.ok() || assessed->i64(0) == 0) return;  // never assessed: nothing to keep current
  auto again = assess(auth::system_principal("gb18218"), id, "inventory_changed", "event");
  if (!again.ok()) spdlog::warn("hazard source {}: not re-graded after its inventory changed: {}", id, again.error().message);
}

}  // namespace anjian::risk
