#include "modules/enforcement/measures.h"

#include <boost/json.hpp>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

namespace {
const std::vector<std::string_view> kKinds = {"rectify", "on_site", "suspend", "coercive"};
constexpr const char* kColumns =
    "m.id, m.inspection_id, m.enterprise_uscc, e.name, m.region_code, m.owner_region, m.kind, m.items, m.deadline, m.state, "
    "m.recheck_due, m.created_by, m.created_at, m.version";

std::string_view document_of(std::string_view kind) {
  if (kind == "rectify") return "rectify_order";
  if (kind == "coercive") return "coercive_decision";
  return "on_site_decision";
}

// 安全生产法 (2021) 第六十五条第一款: (二) 违法行为当场纠正或限期改正, (三) 事故隐患立即排除或
// 责令暂时停产停业, (四) 查封、扣押.
std::string_view basis_of(std::string_view kind) {
  if (kind == "rectify") return "《中华人民共和国安全生产法》第六十五条第一款第（二）项、第（三）项";
  if (kind == "coercive") return "《中华人民共和国安全生产法》第六十五条第一款第（四）项";
  return "《中华人民共和国安全生产法》第六十五条第一款第（三）项";
}

Measure from_row(const db::Row& r) {
  Measure m;
  m.id = r.str(0);
  m.inspection_id = r.str(1);
  m.enterprise_uscc = r.str(2);
  m.enterprise_name = r.str(3);
  m.region_code = r.str(4);
  m.owner_region = r.str(5);
  m.kind = r.str(6);
  for (const auto& v : array_of_text(r.str(7))) {
    const auto& o = v.as_object();
    m.items.push_back({std::string(o.at("text").as_string()), std::string(o.at("deadline").as_string())});
  }
  m.deadline = r.str(8);
  m.state = r.str(9);
  m.recheck_due = r.str(10);
  m.created_by = r.str(11);
  m.created_at = r.i64(12);
  m.version = r.i64(13);
  return m;
}

Status fill(db::Connection& c, Measure& m) {
  auto t = c.query("SELECT id FROM inspection_tasks WHERE follows_measure_id = ?", {m.id});
  if (!t.ok()) return t.take_error();
  if (!t->empty()) m.recheck_task_id = (*t)[0].str(0);
  auto d = c.query("SELECT id, number FROM enforcement_documents WHERE measure_id = ? AND kind <> 'recheck_opinion' ORDER BY issued_at", {m.id});
  if (!d.ok()) return d.take_error();
  if (!d->empty()) {
    m.document_id = (*d)[0].str(0);
    m.document_number = (*d)[0].str(1);
  }
  return {};
}

std::string date_words(const std::string& ymd) {
  auto d = parse_date(ymd);
  return d ? chinese_date_of_day(*d) : ymd;
}
}  // namespace

std::string_view measure_kind_label(std::string_view kind) {
  if (kind == "rectify") return "责令限期整改";
  if (kind == "on_site") return "现场处理措施";
  if (kind == "suspend") return "责令暂时停产停业";
  if (kind == "coercive") return "查封、扣押";
  return kind;
}

std::string appeal_notice(const codes::RegionTable& regions, const std::string& issuer_region) {
  const codes::Region* r = regions.find(issuer_region);
  const codes::Region* parent = r && !r->parent.empty() ? regions.find(r->parent) : nullptr;
  const std::string gov = r ? r->name + "人民政府" : "本级人民政府";
  const std::string upper = parent ? parent->name + "应急管理局" : (r ? "上一级应急管理部门" : "应急管理部");
  const std::string court = r ? r->name + "人民法院" : "有管辖权的人民法院";
  return "如不服本决定，可以在接到本决定书之日起六十日内依法向" + gov + "或者" + upper + "申请行政复议，或者在六个月内依法向" + court +
         "提起行政诉讼，但本决定不停止执行，法律另有规定的除外。";
}

json::object to_json(const Measure& m) {
  json::array items;
  for (const auto& i : m.items) items.push_back(json::object{{"text", i.text}, {"deadline", i.deadline}});
  return {{"id", m.id},
          {"inspection_id", m.inspection_id},
          {"enterprise_uscc", m.enterprise_uscc},
          {"enterprise_name", m.enterprise_name},
          {"region_code", m.region_code},
          {"kind", m.kind},
          {"kind_label", measure_kind_label(m.kind)},
          {"items", std::move(items)},
          {"deadline", m.deadline},
          {"state", m.state},
          {"recheck_due", m.recheck_due},
          {"recheck_task_id", m.recheck_task_id},
          {"document_id", m.document_id},
          {"document_number", m.document_number},
          {"created_by", m.created_by},
          {"created_at", format_iso(m.created_at)},
          {"version", m.version}};
}

Result<Measure> MeasureService::issue(const auth::Principal& who, const std::string& inspection_id, const json::object& fields,
                                      std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("执法措施只能由监管部门作出");
  JsonFields f(fields);
  Measure m;
  m.kind = f.one_of("kind", true, kKinds).value_or("");
  m.note = f.string("note", false, 1000).value_or("");
  const std::int64_t today = today_shanghai(now_ms());
  f.objects("items", true, 50, [&](JsonFields& g, size_t) {
    MeasureItem item{g.string("text", true, 1000).value_or(""), g.string("deadline", false, 10).value_or("")};
    if (!item.deadline.empty()) {
      auto d = parse_date(item.deadline);
      if (!d) g.fail(Error::invalid_field(g.path("deadline"), "整改期限须为 YYYY-MM-DD 格式的日期"));
      else if (*d < today || *d > today + 366) g.fail(Error::invalid_field(g.path("deadline"), "整改期限须在今天至一年之内"));
    }
    if (item.deadline > m.deadline) m.deadline = item.deadline;
    m.items.push_back(std::move(item));
  });
  ANJIAN_TRY(f.finish());
  if (m.items.empty()) return Error::invalid_field("items", "至少列出一项问题或措施");
  // The inspection, in scope, and its inspectors (the same people sign the order).
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{inspection_id};
  auto row = (*r)->query_one("SELECT i.enterprise_uscc, i.region_code, i.task_id, i.ended_at FROM inspections i WHERE i.id = ? AND " +
                                 who.scope.sql("i.region_code", "i.enterprise_uscc", params),
                             params);
  if (!row.ok()) return Error{"not_found", "检查记录不存在或不在您的管辖范围内", ""};
  auto ent = enterprises_.get(who.scope, row->str(0));
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", ""};
  auto staff = (*r)->query("SELECT user_id, name, badge_number FROM inspection_task_inspectors WHERE task_id = ? ORDER BY seq", {row->str(2)});
  if (!staff.ok()) return staff.take_error();
  std::vector<TaskInspector> inspectors;
  for (const auto& s : *staff) inspectors.push_back({s.str(0), s.str(1), s.str(2)});

  m.id = new_id();
  m.inspection_id = inspection_id;
  m.enterprise_uscc = ent->uscc;
  m.enterprise_name = ent->name;
  m.region_code = ent->region_code;
  m.owner_region = who.region_code;
  m.state = "in_force";
  m.recheck_due = format_date((m.deadline.empty() ? today : *parse_date(m.deadline)) + recheck_days_);
  m.created_by = who.username;
  m.created_at = now_ms();

  DocumentText text;
  text.fields = {{"被检查单位", ent->name}, {"地址", ent->address.value_or("")}, {"法定代表人（负责人）", ent->legal_representative.value_or("")},
                 {"统一社会信用代码", ent->uscc}, {"检查时间", format_minute(row->i64(3))}};
  std::string problems, orders;
  for (size_t i = 0; i < m.items.size(); ++i) {
    problems += std::to_string(i + 1) + ". " + m.items[i].text + "\n";
    if (!m.items[i].deadline.empty())
      orders += "第 " + std::to_string(i + 1) + " 项于" + date_words(m.items[i].deadline) + "前整改完毕；";
  }
  if (m.kind == "rectify") {
    text.sections = {{"经查，你单位存在下列问题", problems},
                     {"依据", std::string(basis_of(m.kind)) + "，现责令你单位" + (orders.empty() ? "" : orders) +
                                 (orders.size() ? "其余问题立即整改。" : "立即整改上述问题。") +
                                 "整改期间应采取措施确保安全。整改完毕后，应将整改情况书面报告我局。"}};
  } else if (m.kind == "coercive") {
    text.sections = {{"经查", problems}, {"决定", "依据" + std::string(basis_of(m.kind)) + "，本局决定对上述设施、设备、器材或者物品予以" +
                                                        std::string(measure_kind_label(m.kind)) + "。"}};
  } else {
    text.sections = {{"经查，你单位存在下列问题", problems},
                     {"现场处理决定", "依据" + std::string(basis_of(m.kind)) + "，现作出如下现场处理决定：" +
                                        (m.kind == "suspend" ? std::string("责令暂时停产停业（或停止使用相关设施、设备），") : std::string()) +
                                        "立即排除上述事故隐患" + (orders.empty() ? "" : "，" + orders) + "。"}};
  }
  if (!m.note.empty()) text.sections.push_back({"备注", m.note});
  text.rights = appeal_notice(documents_.regions(), who.region_code);
  for (const auto& i : inspectors) text.inspectors.push_back({i.name, i.badge_number});
  text.signatures = {"执法人员（签名）", "被检查单位负责人（签名）"};

  Task recheck;
  recheck.id = new_id();
  recheck.enterprise_uscc = m.enterprise_uscc;
  recheck.enterprise_name = m.enterprise_name;
  recheck.region_code = m.region_code;
  recheck.owner_region = who.region_code;
  recheck.org_id = who.org_id;
  recheck.source = "recheck";
  recheck.follows_measure_id = m.id;
  recheck.due_date = m.recheck_due;
  recheck.state = "issued";
  recheck.note = std::string(measure_kind_label(m.kind)) + "的复查";
  recheck.inspectors = inspectors;
  recheck.created_by = who.username;
  recheck.created_at = m.created_at;

  json::array items_json;
  for (const auto& i : m.items) items_json.push_back(json::object{{"text", i.text}, {"deadline", i.deadline}});
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<Measure> {
    ANJIAN_TRY(c.exec("INSERT INTO enforcement_measures (id, inspection_id, enterprise_uscc, region_code, owner_region, kind, items, deadline, "
                      "state, recheck_due, created_by, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                      {m.id, m.inspection_id, m.enterprise_uscc, m.region_code, m.owner_region, m.kind, json_text(items_json), m.deadline,
                       m.state, m.recheck_due, m.created_by, m.created_at}));
    auto doc = documents_.issue_in(c, who, document_of(m.kind),
                                   DocumentLinks{m.enterprise_uscc, m.region_code, m.inspection_id, m.id, "", ""}, text, source);
    if (!doc.ok()) return doc.take_error();
    m.document_id = doc->id;
    m.document_number = doc->number;
    ANJIAN_TRY(tasks_.insert_in(c, recheck));
    m.recheck_task_id = recheck.id;
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "measure.issue", "measure:" + m.id, m.region_code, m.enterprise_uscc, source,
                                               json_text(json::object{{"kind", measure_kind_label(m.kind)}, {"document", doc->number},
                                                                      {"recheck_due", m.recheck_due}}))));
    m.version = 1;
    return m;
  });
}

Result<Measure> MeasureService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + " FROM enforcement_measures m JOIN enterprises e ON e.uscc = m.enterprise_uscc WHERE m.id = ? AND " +
                                 who.scope.sql("m.region_code", "m.enterprise_uscc", params),
                             params);
  if (!row.ok())
    return row.error().code == "not_found" ? Result<Measure>(Error{"not_found", "执法措施不存在或不在您的管辖范围内", ""}) : row.take_error();
  Measure m = from_row(*row);
  ANJIAN_TRY(fill(**r, m));
  return m;
}

Result<std::vector<Measure>> MeasureService::of_inspection(const auth::Principal& who, const std::string& inspection_id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{inspection_id};
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM enforcement_measures m JOIN enterprises e ON e.uscc = m.enterprise_uscc WHERE m.inspection_id = ? AND " +
                              who.scope.sql("m.region_code", "m.enterprise_uscc", params) + " ORDER BY m.created_at, m.id",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Measure> out;
  for (const auto& row : *rows) {
    out.push_back(from_row(row));
    ANJIAN_TRY(fill(**r, out.back()));
  }
  return out;
}

Result<Document> MeasureService::recheck_in(db::Connection& c, const auth::Principal& who, const std::string& measure_id, bool complied,
                                            const std::string& note, Millis at, const std::vector<TaskInspector>& inspectors,
                                            std::string_view source) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM enforcement_measures m JOIN enterprises e ON e.uscc = m.enterprise_uscc WHERE m.id = ?",
                         {measure_id});
  if (!row.ok()) return row.take_error();
  Measure m = from_row(*row);
  ANJIAN_TRY(fill(c, m));
  if (m.state != "in_force") return Error{"conflict", "该措施已复查过", "recheck"};
  auto n = c.exec("UPDATE enforcement_measures SET state = ?, version = version + 1 WHERE id = ? AND state = 'in_force'",
                  {std::string(complied ? "complied" : "not_complied"), measure_id});
  if (!n.ok()) return n.take_error();
  DocumentText text;
  text.fields = {{"被复查单位", m.enterprise_name}, {"复查时间", format_minute(at)},
                 {"原文书", m.document_number}};
  text.sections = {{"复查意见",
                    "本局于" + format_chinese_date(m.created_at) + "作出" + m.document_number + "，经复查，" +
                        (complied ? std::string("你单位已按要求完成整改。") : std::string("你单位未按要求完成整改，本局将依法处理。")) +
                        (note.empty() ? "" : "\n" + note)}};
  for (const auto& i : inspectors) text.inspectors.push_back({i.name, i.badge_number});
  text.signatures = {"执法人员（签名）", "被复查单位负责人（签名）"};
  text.signed_at = at;
  return documents_.issue_in(c, who, "recheck_opinion",
                             DocumentLinks{m.enterprise_uscc, m.region_code, "", m.id, "", m.document_id}, text, source);
}

}  // namespace anjian::enforcement
