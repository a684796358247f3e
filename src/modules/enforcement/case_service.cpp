#include "modules/enforcement/case_service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/enforcement/case_rules.h"
#include "modules/enforcement/measures.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

namespace {
const std::vector<std::string_view> kPartyKinds = {"unit", "person"};
constexpr const char* kColumns =
    "c.id, c.enterprise_uscc, e.name, c.region_code, c.owner_region, c.org_id, c.inspection_id, c.party_kind, c.party_name, c.cause, "
    "c.facts, c.violated, c.legal_basis, c.penalty, c.fine_yuan, c.state, c.state_at, c.created_by, c.created_at, c.closed_at, c.version";
constexpr const char* kFrom = " FROM enforcement_cases c JOIN enterprises e ON e.uscc = c.enterprise_uscc WHERE ";

Case from_row(const db::Row& r) {
  Case c;
  c.id = r.str(0);
  c.enterprise_uscc = r.str(1);
  c.enterprise_name = r.str(2);
  c.region_code = r.str(3);
  c.owner_region = r.str(4);
  c.org_id = r.str(5);
  c.inspection_id = r.str(6);
  c.party_kind = r.str(7);
  c.party_name = r.str(8);
  c.cause = r.str(9);
  c.facts = r.str(10);
  c.violated = r.str(11);
  c.legal_basis = r.str(12);
  c.penalty = r.str(13);
  c.fine_yuan = r.i64(14);
  c.state = r.str(15);
  c.state_at = r.i64(16);
  c.created_by = r.str(17);
  c.created_at = r.i64(18);
  if (!r.null(19)) c.closed_at = r.i64(19);
  c.version = r.i64(20);
  return c;
}

std::string yuan(std::int64_t n) { return std::to_string(n) + " 元"; }

std::string penalty_words(const Case& c) {
  std::string p = c.penalty;
  if (c.fine_yuan > 0) p += (p.empty() ? "" : "；") + std::string("罚款人民币 ") + yuan(c.fine_yuan);
  return p;
}

std::vector<std::pair<std::string, std::string>> party_fields(const Case& c, const enterprise::Enterprise& e) {
  if (c.party_kind == "person") return {{"当事人", c.party_name}, {"单位", e.name}, {"地址", e.address.value_or("")}};
  return {{"当事人", c.party_name}, {"统一社会信用代码", e.uscc}, {"地址", e.address.value_or("")},
          {"法定代表人（负责人）", e.legal_representative.value_or("")}};
}
}  // namespace

std::string_view case_state_label(std::string_view s) {
  static const std::vector<std::pair<std::string_view, std::string_view>> labels = {
      {"filed", "已立案"},   {"investigating", "调查取证"}, {"notified", "已告知"}, {"hearing", "听证"},       {"decided", "已决定"},
      {"served", "已送达"}, {"executed", "已执行"},      {"review", "行政复议"}, {"litigation", "行政诉讼"}, {"closed", "已结案"}};
  for (const auto& [k, v] : labels)
    if (k == s) return v;
  return s;
}

std::string_view case_action_label(std::string_view a) {
  static const std::vector<std::pair<std::string_view, std::string_view>> labels = {
      {"investigate", "调查取证"}, {"notify", "处罚告知"}, {"request_hearing", "申请听证"}, {"decide", "作出决定"},
      {"serve", "送达"},          {"execute", "执行完毕"}, {"apply_review", "申请复议"},   {"sue", "提起诉讼"},
      {"revoke", "决定撤销"},      {"close", "结案"},      {"drop", "不予处罚/撤销立案"}, {"file", "立案"}};
  for (const auto& [k, v] : labels)
    if (k == a) return v;
  return a;
}

json::object to_json(const Case& c, bool full) {
  json::object o{{"id", c.id},
                 {"enterprise_uscc", c.enterprise_uscc},
                 {"enterprise_name", c.enterprise_name},
                 {"region_code", c.region_code},
                 {"owner_region", c.owner_region},
                 {"inspection_id", c.inspection_id},
                 {"party_kind", c.party_kind},
                 {"party_name", c.party_name},
                 {"cause", c.cause},
                 {"facts", c.facts},
                 {"violated", c.violated},
                 {"legal_basis", c.legal_basis},
                 {"penalty", c.penalty},
                 {"fine_yuan", c.fine_yuan},
                 {"state", c.state},
                 {"state_label", case_state_label(c.state)},
                 {"state_at", format_iso(c.state_at)},
                 {"created_by", c.created_by},
                 {"created_at", format_iso(c.created_at)},
                 {"closed_at", c.closed_at ? json::value(format_iso(*c.closed_at)) : json::value(nullptr)},
                 {"version", c.version}};
  if (full) {
    json::array steps, docs, actions;
    for (const auto& s : c.steps)
      steps.push_back(json::object{{"seq", s.seq}, {"action", s.action}, {"action_label", case_action_label(s.action)}, {"from", s.from_state},
                                   {"to", s.to_state}, {"to_label", case_state_label(s.to_state)}, {"note", s.note},
                                   {"document_id", s.document_id}, {"actor", s.actor}, {"at", format_iso(s.at)}});
    for (const auto& d : c.documents) docs.push_back(to_json(d, false));
    for (const auto& a : c.actions) actions.push_back(json::object{{"action", a}, {"label", case_action_label(a)}});
    o["steps"] = std::move(steps);
    o["documents"] = std::move(docs);
    o["actions"] = std::move(actions);
  }
  return o;
}

Result<Case> CaseService::file(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("只有监管部门可以立案");
  JsonFields f(fields);
  Case c;
  c.enterprise_uscc = f.string("enterprise_uscc", true, 40).value_or("");
  c.party_kind = f.one_of("party_kind", true, kPartyKinds).value_or("");
  c.party_name = f.string("party_name", false, 100).value_or("");
  c.cause = f.string("cause", true, 200).value_or("");
  c.facts = f.string("facts", false, 10'000).value_or("");
  c.inspection_id = f.string("inspection_id", false, 64).value_or("");
  ANJIAN_TRY(f.finish());
  auto ent = enterprises_.get(who.scope, c.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  if (c.party_kind == "person" && c.party_name.empty()) return Error::invalid_field("party_name", "个人案件须写明当事人姓名");
  if (c.party_name.empty()) c.party_name = ent->name;
  std::string source_doc;
  if (!c.inspection_id.empty()) {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    std::vector<Value> params{c.inspection_id, ent->uscc};
    auto row = (*r)->query_one("SELECT d.number FROM inspections i LEFT JOIN enforcement_documents d ON d.inspection_id = i.id AND d.kind = 'inspection_record' "
                               "WHERE i.id = ? AND i.enterprise_uscc = ? AND " + who.scope.sql("i.region_code", "i.enterprise_uscc", params),
                               params);
    if (!row.ok()) return Error::invalid_field("inspection_id", "检查记录不存在，或不是该企业的检查");
    source_doc = row->null(0) ? "" : row->str(0);
  }
  c.id = new_id();
  c.enterprise_name = ent->name;
  c.region_code = ent->region_code;
  c.owner_region = who.region_code;
  c.org_id = who.org_id;
  c.state = "filed";
  c.created_by = who.username;
  c.created_at = c.state_at = now_ms();
  DocumentText text;
  text.fields = {{"案由", c.cause}};
  for (auto& p : party_fields(c, *ent)) text.fields.push_back(std::move(p));
  text.fields.push_back({"案件来源", source_doc.empty() ? "其他" : "现场检查（" + source_doc + "）"});
  text.sections = {{"简要案情", c.facts.empty() ? "（待调查）" : c.facts}, {"立案意见", "经初步审查，当事人涉嫌违反安全生产法律法规，符合立案条件，建议立案调查。"}};
  text.signatures = {"承办人（签名）", "承办机构负责人审核意见", "负责人审批意见"};
  text.seal = false;
  return db::with_transaction(db_, [&](db::Connection& tx) -> Result<Case> {
    ANJIAN_TRY(tx.exec("INSERT INTO enforcement_cases (id, enterprise_uscc, region_code, owner_region, org_id, inspection_id, party_kind, "
                       "party_name, cause, facts, state, state_at, created_by, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                       {c.id, c.enterprise_uscc, c.region_code, c.owner_region, c.org_id, c.inspection_id, c.party_kind, c.party_name,
                        c.cause, c.facts, c.state, c.state_at, c.created_by, c.created_at}));
    auto doc = documents_.issue_in(tx, who, "case_filing", DocumentLinks{c.enterprise_uscc, c.region_code, c.inspection_id, "", c.id, ""},
                                   text, source);
    if (!doc.ok()) return doc.take_error();
    ANJIAN_TRY(tx.exec("INSERT INTO enforcement_case_steps (case_id, seq, action, from_state, to_state, note, document_id, actor, at) "
                       "VALUES (?, 1, 'file', '', 'filed', ?, ?, ?, ?)",
                       {c.id, c.cause, doc->id, who.display_name, c.created_at}));
    ANJIAN_TRY(audit_.record_in(tx, audit_event(who, "case.file", "case:" + c.id, c.region_code, c.enterprise_uscc, source,
                                                json_text(json::object{{"cause", c.cause}, {"party", c.party_name}, {"document", doc->number}}))));
    c.version = 1;
    return c;
  });
}

Result<Case> CaseService::act(const auth::Principal& who, const std::string& id, std::string_view action, std::int64_t version,
                              const json::object& fields, std::string_view source) {
  auto current = get(who, id);
  if (!current.ok()) return current.take_error();
  Case c = std::move(*current);
  if (who.org_id != c.org_id) return Error::forbidden("只有立案机关可以办理该案件");
  if (std::find(std::begin(kCaseActions), std::end(kCaseActions), action) == std::end(kCaseActions))
    return Error::invalid_field("action", "未知的办案环节：" + std::string(action));
  const std::string next = case_next_state(c.state, action);
  if (next.empty()) {
    const auto possible = case_actions(c.state);
    std::string allowed;
    for (const auto& a : possible) allowed += (allowed.empty() ? "" : "、") + std::string(case_action_label(a));
    Error e{"invalid_transition",
            "案件" + std::string(case_state_label(c.state)) + "，不能" + std::string(case_action_label(action)) +
                (allowed.empty() ? "" : "；现在可以：" + allowed),
            "action"};
    e.allowed = possible;
    return e;
  }
  JsonFields f(fields);
  std::string note = f.string("note", false, 5000).value_or("");
  json::object contact;
  bool waived = false;
  if (action == "notify") {
    c.facts = f.string("facts", true, 10'000).value_or("");
    c.violated = f.string("violated", true, 2000).value_or("");
    c.legal_basis = f.string("legal_basis", true, 2000).value_or("");
    c.penalty = f.string("penalty", false, 2000).value_or("");
    c.fine_yuan = f.integer("fine_yuan", true, 0, 100'000'000).value_or(0);
    if (const json::object* k = f.object("contact", false)) {
      JsonFields g = f.child("contact", *k);
      for (auto key : {"address", "person", "phone", "postcode"}) contact[key] = g.string(key, false, 200).value_or("");
      f.absorb(g);
    }
  } else if (action == "decide") {
    waived = f.boolean("waived_statement", false).value_or(false);
    if (auto p = f.string("penalty", false, 2000)) c.penalty = *p;
    if (auto n = f.integer("fine_yuan", false, 0, 100'000'000)) c.fine_yuan = *n;
  } else if (action == "drop") {
    note = f.string("reason", true, 2000).value_or("");
  }
  ANJIAN_TRY(f.finish());
  if (action == "notify" && c.penalty.empty() && c.fine_yuan == 0) return Error::invalid_field("penalty", "须写明拟作出的行政处罚");
  // After a hearing the decision rests on its report (行政处罚法第六十五条): what it found is said.
  if (action == "decide" && c.state == "hearing" && note.empty())
    return Error::invalid_field("note", "听证后作出决定，须写明听证情况（听证会报告书的意见）");
  const Millis now = now_ms();
  if (action == "decide" && c.state == "notified" && !waived && now < c.state_at + kStatementDays * 86'400'000LL)
    return Error{"statement_period",
                 "陈述、申辩期未满（告知后 3 日，至 " + format_minute(c.state_at + kStatementDays * 86'400'000LL) + "）；当事人放弃的，请注明",
                 "waived_statement"};
  auto ent = enterprises_.get(who.scope, c.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", ""};

  // The document this step issues, if any.
  const std::string_view kind = case_action_document(action, c.party_kind);
  DocumentText text;
  std::string refers_to;
  if (action == "notify") {
    text.fields = party_fields(c, *ent);
    const bool hearing = c.fine_yuan >= (c.party_kind == "person" ? hearing_person_yuan_ : hearing_unit_yuan_);
    text.sections = {{"违法事实", c.facts}, {"违反的规定", c.violated}, {"处罚依据", c.legal_basis}, {"拟作出的行政处罚", penalty_words(c)}};
    std::string rights = "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权在收到本告知书之日起三日内向本局进行陈述和申辩，逾期不陈述和申辩的，视为放弃上述权利。";
    if (hearing) rights += "根据该法第六十三条、第六十四条的规定，你（单位）有权在收到本告知书之日起五日内要求举行听证，逾期不提出的，视为放弃听证权利。";
    text.rights = rights;
    if (!contact.empty())
      text.sections.push_back({"联系方式", "地址：" + std::string(contact["address"].as_string()) + "　联系人：" + std::string(contact["person"].as_string()) +
                                            "　电话：" + std::string(contact["phone"].as_string()) + "　邮编：" + std::string(contact["postcode"].as_string())});
  } else if (action == "decide") {
    text.fields = party_fields(c, *ent);
    text.sections = {{"违法事实", c.facts},
                     {"违反的规定", c.violated},
                     {"处罚依据", c.legal_basis},
                     {"处罚决定", "本局决定对你（单位）作出如下行政处罚：" + penalty_words(c) + "。"}};
    if (c.fine_yuan > 0)
      text.sections.push_back({"履行方式", "罚款限于收到本决定书之日起十五日内缴至指定银行。逾期不缴纳的，本局将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三加处罚款。"});
    if (!note.empty()) text.sections.push_back({"陈述申辩及采纳情况", note});
    text.rights = appeal_notice(documents_.regions(), c.owner_region);
  } else if (action == "close" || action == "drop") {
    text.fields = {{"案由", c.cause}, {"当事人", c.party_name}};
    for (const auto& d : c.documents)
      if (d.kind == "penalty_decision_unit" || d.kind == "penalty_decision_person") {
        text.fields.push_back({"处罚决定书", d.number});
        refers_to = d.id;
      }
    text.fields.push_back({"处理结果", action == "drop" ? "不予处罚（撤销立案）" : penalty_words(c)});
    text.sections = {{action == "drop" ? "理由" : "执行情况", note.empty() ? "已执行完毕。" : note}, {"结案意见", "建议结案。"}};
    text.signatures = {"承办人（签名）", "承办机构负责人审核意见", "负责人审批意见"};
    text.seal = false;
  }
  if (text.signatures.empty() && !kind.empty()) text.signatures = {"执法人员（签名）", "当事人（签名）"};

  auto done = db::with_transaction(db_, [&](db::Connection& tx) -> Result<bool> {
    const bool closing = next == "closed";
    auto n = tx.exec("UPDATE enforcement_cases SET state = ?, state_at = ?, facts = ?, violated = ?, legal_basis = ?, penalty = ?, fine_yuan = ?, "
                     "closed_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                     {next, now, c.facts, c.violated, c.legal_basis, c.penalty, c.fine_yuan, closing ? Value(now) : Value(nullptr), id, version});
    if (!n.ok()) return n.take_error();
    if (*n == 0) return Error{"precondition_failed", "案件已被他人办理，请刷新后重试", ""};
    std::string doc_id, doc_number;
    if (!kind.empty()) {
      auto doc = documents_.issue_in(tx, who, kind, DocumentLinks{c.enterprise_uscc, c.region_code, c.inspection_id, "", c.id, refers_to}, text,
                                     source);
      if (!doc.ok()) return doc.take_error();
      doc_id = doc->id;
      doc_number = doc->number;
    }
    ANJIAN_TRY(tx.exec("INSERT INTO enforcement_case_steps (case_id, seq, action, from_state, to_state, note, document_id, actor, at) "
                       "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM enforcement_case_steps WHERE case_id = ?), ?, ?, ?, ?, ?, ?, ?)",
                       {id, id, std::string(action), c.state, next, waived ? "当事人放弃陈述、申辩。" + note : note, doc_id, who.display_name, now}));
    ANJIAN_TRY(audit_.record_in(tx, audit_event(who, "case." + std::string(action), "case:" + id, c.region_code, c.enterprise_uscc, source,
                                                json_text(json::object{{"from", case_state_label(c.state)}, {"to", case_state_label(next)},
                                                                       {"document", doc_number}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  auto after = get(who, id);
  if (after.ok() && changed_) changed_(*after, action);
  return after;
}

Result<Case> CaseService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + kFrom + "c.id = ? AND " + who.scope.sql("c.region_code", "c.enterprise_uscc", params),
                             params);
  if (!row.ok()) return row.error().code == "not_found" ? Result<Case>(Error{"not_found", "案件不存在或不在您的管辖范围内", ""}) : row.take_error();
  Case c = from_row(*row);
  auto steps = (*r)->query("SELECT seq, action, from_state, to_state, note, document_id, actor, at FROM enforcement_case_steps WHERE case_id = ? ORDER BY seq",
                           {id});
  if (!steps.ok()) return steps.take_error();
  for (const auto& s : *steps) c.steps.push_back({s.i64(0), s.str(1), s.str(2), s.str(3), s.str(4), s.str(5), s.str(6), s.i64(7)});
  auto docs = documents_.of(who, "case_id", id);
  if (!docs.ok()) return docs.take_error();
  c.documents = std::move(*docs);
  if (who.org_id == c.org_id) c.actions = case_actions(c.state);
  return c;
}

Result<CasePage> CaseService::list(const auth::Principal& who, const std::optional<std::string>& state, const std::optional<std::string>& uscc,
                                   std::int64_t page, std::int64_t page_size) {
  std::vector<Value> params;
  std::string where = who.scope.sql("c.region_code", "c.enterprise_uscc", params);
  if (state) { where += " AND c.state = ?"; params.emplace_back(*state); }
  if (uscc) { where += " AND c.enterprise_uscc = ?"; params.emplace_back(*uscc); }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto n = (*r)->query_one("SELECT COUNT(*) FROM enforcement_cases c WHERE " + where, params);
  if (!n.ok()) return n.take_error();
  CasePage out;
  out.total = n->i64(0);
  params.emplace_back(page_size);
  params.emplace_back((page - 1) * page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY c.created_at DESC, c.id LIMIT ? OFFSET ?", params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) out.items.push_back(from_row(row));
  return out;
}

}  // namespace anjian::enforcement
