#include "modules/enforcement/documents.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_text.h"
#include "modules/enforcement/document_rules.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "id, kind, number, issuer_region, year, seq, enterprise_uscc, region_code, inspection_id, measure_id, case_id, refers_to, "
    "content, issued_by, issued_at, pdf_sha256, pdf_sm3";

Document from_row(const db::Row& r) {
  Document d;
  d.id = r.str(0);
  d.kind = r.str(1);
  d.number = r.str(2);
  d.issuer_region = r.str(3);
  d.year = r.i64(4);
  d.seq = r.i64(5);
  d.enterprise_uscc = r.str(6);
  d.region_code = r.str(7);
  d.inspection_id = r.str(8);
  d.measure_id = r.str(9);
  d.case_id = r.str(10);
  d.refers_to = r.str(11);
  d.content = object_of_text(r.str(12));
  d.issued_by = r.str(13);
  d.issued_at = r.i64(14);
  d.pdf = {r.str(15), r.str(16)};
  if (const auto* k = document_kind(d.kind)) d.title = std::string(k->title);
  if (const auto* v = d.content.if_contains("issuer"); v && v->is_string()) d.issuer_name = std::string(v->as_string());
  return d;
}

json::array pairs(const std::vector<std::pair<std::string, std::string>>& list, const char* a, const char* b) {
  json::array out;
  for (const auto& [x, y] : list) out.push_back(json::object{{a, x}, {b, y}});
  return out;
}

// Whether the caller sees a document of this region and enterprise.
std::string visible_sql(const auth::Principal& who, std::vector<Value>& params) { return who.scope.sql("region_code", "enterprise_uscc", params); }
}  // namespace

json::object to_json(const Document& d, bool with_content) {
  json::object o{{"id", d.id},
                 {"kind", d.kind},
                 {"title", d.title},
                 {"number", d.number},
                 {"issuer_region", d.issuer_region},
                 {"issuer_name", d.issuer_name},
                 {"enterprise_uscc", d.enterprise_uscc},
                 {"region_code", d.region_code},
                 {"inspection_id", d.inspection_id},
                 {"measure_id", d.measure_id},
                 {"case_id", d.case_id},
                 {"refers_to", d.refers_to},
                 {"issued_by", d.issued_by},
                 {"issued_at", format_iso(d.issued_at)},
                 {"pdf", "/api/v1/documents/" + d.id + "/pdf"},
                 {"pdf_sm3", d.pdf.sm3}};
  if (with_content) o["content"] = d.content;
  return o;
}

std::string DocumentService::issuer_name(const auth::Principal& who) const {
  if (!who.org_name.empty()) return who.org_name;
  std::string name;
  for (const auto* r : regions_.path(who.region_code)) name += r->name;
  return name + "应急管理局";
}

Result<Document> DocumentService::issue_in(db::Connection& c, const auth::Principal& who, std::string_view kind,
                                           const DocumentLinks& links, const DocumentText& text, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("执法文书只能由监管部门出具");
  const DocumentKind* k = document_kind(kind);
  if (!k) return Error::invalid_field("kind", "未知的文书种类：" + std::string(kind));
  // The order of the procedure: a document that follows another names one of the right kinds.
  if (const auto& follows = must_follow(kind); !follows.empty()) {
    auto prior = links.refers_to.empty() ? Result<db::Row>(Error{"not_found", "", ""})
                                         : c.query_one("SELECT kind FROM enforcement_documents WHERE id = ?", {links.refers_to});
    if (!prior.ok() || std::find(follows.begin(), follows.end(), prior->str(0)) == follows.end())
      return Error::invalid_field("refers_to", std::string(k->title) + "须跟随其复查的指令书或决定书出具");
  }
  Document d;
  d.id = new_id();
  d.kind = std::string(kind);
  d.title = std::string(k->title);
  d.issuer_region = who.region_code;
  d.issuer_name = issuer_name(who);
  d.enterprise_uscc = links.enterprise_uscc;
  d.region_code = links.region_code;
  d.inspection_id = links.inspection_id;
  d.measure_id = links.measure_id;
  d.case_id = links.case_id;
  d.refers_to = links.refers_to;
  d.issued_by = who.username;
  d.issued_at = now_ms();
  d.year = std::stoi(format_date(today_shanghai(d.issued_at)).substr(0, 4));
  // The counter's row is locked by this increment until the caller's commit; a rollback returns
  // the number (gapless per regulator, 种类 and year).
  auto n = c.query_one("INSERT INTO document_counters (issuer_region, counter, year, last) VALUES (?, ?, ?, 1) "
                       "ON CONFLICT (issuer_region, counter, year) DO UPDATE SET last = document_counters.last + 1 RETURNING last",
                       {d.issuer_region, std::string(k->counter), d.year});
  if (!n.ok()) return n.take_error();
  d.seq = n->i64(0);
  const codes::Region* region = regions_.find(who.region_code);
  d.number = document_number(issuer_abbreviation(who.region_code, region ? region->name : ""), k->counter, static_cast<int>(d.year), d.seq);
  d.content = json::object{{"title", d.title},
                           {"number", d.number},
                           {"issuer", d.issuer_name},
                           {"fields", pairs(text.fields, "label", "text")},
                           {"sections", pairs(text.sections, "heading", "text")},
                           {"rights", text.rights},
                           {"inspectors", pairs(text.inspectors, "name", "badge_number")},
                           {"signatures", json::value_from(text.signatures)},
                           {"seal", text.seal},
                           {"date", format_chinese_date(text.signed_at.value_or(d.issued_at))}};
  // Drawn and kept before the row: a rollback leaves at most an unnamed file in the store.
  if (keeper_) {
    ANJIAN_ASSIGN(d.pdf, keeper_(d));
  }
  ANJIAN_TRY(c.exec("INSERT INTO enforcement_documents (id, kind, number, issuer_region, counter, year, seq, enterprise_uscc, region_code, "
                    "inspection_id, measure_id, case_id, refers_to, content, issued_by, issued_at, pdf_sha256, pdf_sm3) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {d.id, d.kind, d.number, d.issuer_region, std::string(k->counter), d.year, d.seq, d.enterprise_uscc, d.region_code,
                     d.inspection_id, d.measure_id, d.case_id, d.refers_to, json_text(d.content), d.issued_by, d.issued_at,
                     d.pdf.sha256, d.pdf.sm3}));
  // The digest goes into the audit chain too: a record and file changed together still differ from it.
  ANJIAN_TRY(audit_.record_in(c, audit_event(who, "document.issue", "document:" + d.id, d.region_code, d.enterprise_uscc, source,
                                             json_text(json::object{{"kind", d.title}, {"number", d.number}, {"pdf_sm3", d.pdf.sm3}}))));
  return d;
}

Result<Document> DocumentService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + " FROM enforcement_documents WHERE id = ? AND " + visible_sql(who, params), params);
  if (!row.ok())
    return row.error().code == "not_found" ? Result<Document>(Error{"not_found", "文书不存在或不在您的管辖范围内", ""}) : row.take_error();
  return from_row(*row);
}

Result<std::vector<Document>> DocumentService::of(const auth::Principal& who, std::string_view column, const std::string& id) {
  if (column != "inspection_id" && column != "measure_id" && column != "case_id") return Error::invalid_field("column", "");
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM enforcement_documents WHERE " + std::string(column) + " = ? AND " +
                              visible_sql(who, params) + " ORDER BY issued_at, id",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Document> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

Result<std::vector<Document>> DocumentService::recent(const auth::Principal& who, std::int64_t limit) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  const std::string where = visible_sql(who, params);
  params.emplace_back(limit);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM enforcement_documents WHERE " + where + " ORDER BY issued_at DESC, id LIMIT ?",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Document> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

}  // namespace anjian::enforcement
