#include "modules/enforcement/inspection_service.h"

#include "auth/personal_data.h"

#include <boost/json.hpp>

#include <algorithm>
#include <limits>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "i.id, i.client_id, i.task_id, i.enterprise_uscc, e.name, i.region_code, i.owner_region, i.template_id, i.started_at, i.ended_at, "
    "i.place, i.present, i.summary, i.position, i.signatures, i.findings, i.recheck, i.passed, i.failed, i.not_applicable, "
    "i.created_by, i.created_at, i.seen_enterprise_version, i.enterprise_version";
constexpr const char* kFrom = " FROM inspections i JOIN enterprises e ON e.uscc = i.enterprise_uscc WHERE ";

Inspection from_row(const db::Row& r) {
  Inspection i;
  i.id = r.str(0);
  i.client_id = r.str(1);
  i.task_id = r.str(2);
  i.enterprise_uscc = r.str(3);
  i.enterprise_name = r.str(4);
  i.region_code = r.str(5);
  i.owner_region = r.str(6);
  i.template_id = r.str(7);
  i.started_at = r.i64(8);
  i.ended_at = r.i64(9);
  i.place = r.str(10);
  i.present = array_of_text(auth::PersonalData::instance().open(r.str(11)));
  i.summary = r.str(12);
  i.position = object_of_text(r.str(13));
  i.signatures = object_of_text(r.str(14));
  i.findings = array_of_text(r.str(15));
  i.recheck = object_of_text(r.str(16));
  i.passed = r.i64(17);
  i.failed = r.i64(18);
  i.not_applicable = r.i64(19);
  i.created_by = r.str(20);
  i.created_at = r.i64(21);
  i.seen_enterprise_version = r.i64(22);
  i.enterprise_version = r.i64(23);
  return i;
}

// A client's id names its record for good: letters, digits, '-' and '_' (a UUID fits).
bool valid_client_id(const std::string& s) {
  return s.size() >= 8 && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

std::optional<Millis> instant(JsonFields& f, std::string_view key) {
  auto text = f.string(key, true, 40);
  if (!text) return std::nullopt;
  auto t = parse_instant(*text);
  if (!t) f.fail(Error::invalid_field(std::string(key), "时间须为带时区的时间，如 2026-11-30T18:58:00+08:00"));
  return t;
}
}  // namespace

json::object to_json(const Inspection& i, bool with_results) {
  json::array inspectors;
  for (const auto& t : i.inspectors) inspectors.push_back(json::object{{"user_id", t.user_id}, {"name", t.name}, {"badge_number", t.badge_number}});
  json::object o{{"id", i.id},
                 {"client_id", i.client_id},
                 {"task_id", i.task_id},
                 {"enterprise_uscc", i.enterprise_uscc},
                 {"enterprise_name", i.enterprise_name},
                 {"region_code", i.region_code},
                 {"template_id", i.template_id},
                 {"started_at", format_iso(i.started_at)},
                 {"ended_at", format_iso(i.ended_at)},
                 {"place", i.place},
                 {"present", i.present},
                 {"summary", i.summary},
                 {"position", i.position.empty() ? json::value(nullptr) : json::value(i.position)},
                 {"signatures", i.signatures},
                 {"findings", i.findings},
                 {"recheck", i.recheck.empty() ? json::value(nullptr) : json::value(i.recheck)},
                 {"passed", i.passed},
                 {"failed", i.failed},
                 {"not_applicable", i.not_applicable},
                 {"inspectors", std::move(inspectors)},
                 {"document_id", i.document_id},
                 {"document_number", i.document_number},
                 {"created_by", i.created_by},
                 {"created_at", format_iso(i.created_at)},
                 {"enterprise_changed", nullptr}};
  // Told to the inspector on sync (issue 15 §4: a conflict is shown, never dropped): the record is
  // kept — the inspection happened — but it names an enterprise that changed since the download.
  if (i.seen_enterprise_version != 0 && i.seen_enterprise_version != i.enterprise_version)
    o["enterprise_changed"] = json::object{
        {"seen_version", i.seen_enterprise_version},
        {"version", i.enterprise_version},
        {"message", "企业信息在您下载任务后已更新（第 " + std::to_string(i.seen_enterprise_version) + " 版 → 第 " +
                        std::to_string(i.enterprise_version) + " 版），记录按更新后的企业信息保存，请核对企业名称、地址等是否与现场一致"}};
  if (with_results) {
    json::array results;
    for (const auto& r : i.results)
      results.push_back(json::object{{"seq", r.seq}, {"number", r.number}, {"text", r.text}, {"major", r.major}, {"result", r.result},
                                     {"note", r.note}, {"files", r.files},
                                     {"hidden_danger_id", r.hidden_danger_id ? json::value(*r.hidden_danger_id) : json::value(nullptr)}});
    o["results"] = std::move(results);
  }
  return o;
}

Result<Inspection> InspectionService::kept(const std::string& client_id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + kFrom + "i.client_id = ?", {client_id});
  if (!row.ok()) return row.take_error();
  return from_row(*row);
}

Result<InspectionSubmitted> InspectionService::submit(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("现场检查由执法人员记录");
  JsonFields f(fields);
  Inspection in;
  in.client_id = f.string("client_id", true, 64).value_or("");
  if (!in.client_id.empty() && !valid_client_id(in.client_id))
    f.fail(Error::invalid_field("client_id", "client_id 须为 8 至 64 个字母、数字、- 或 _（如 UUID）"));
  in.task_id = f.string("task_id", true, 64).value_or("");
  const auto started = instant(f, "started_at");
  const auto ended = instant(f, "ended_at");
  in.place = f.string("place", true, 200).value_or("");
  in.summary = f.string("summary", false, 5000).value_or("");
  in.seen_enterprise_version = f.integer("enterprise_version", false, 1, std::numeric_limits<std::int32_t>::max()).value_or(0);
  f.objects("present", false, 20, [&](JsonFields& g, size_t) {
    in.present.push_back(json::object{{"name", g.string("name", true, 50).value_or("")}, {"title", g.string("title", false, 50).value_or("")},
                                      {"phone", g.string("phone", false, 30).value_or("")}});
  });
  if (const json::object* p = f.object("position", false)) {
    JsonFields g = f.child("position", *p);
    const auto lon = g.number("lon", true, -180, 180);
    const auto lat = g.number("lat", true, -90, 90);
    const auto acc = g.number("accuracy_m", false, 0, 100'000);
    f.absorb(g);
    if (lon && lat) in.position = json::object{{"lon", round_coordinate(*lon)}, {"lat", round_coordinate(*lat)}};
    if (acc) in.position["accuracy_m"] = *acc;
  }
  std::vector<hidden_danger::ChecklistAnswer> answers;
  hidden_danger::read_answers(f, fields, false, answers);
  std::vector<json::object> free_findings;
  f.objects("findings", false, 100, [&](JsonFields& g, size_t i) {
    (void)g.string("description", true, 2000);
    (void)g.string("place", false, 200);
    (void)g.one_of("grade", false, {"general", "major"});
    (void)g.strings("files", false, 20, 64);
    (void)g.object("standard_item", false);
    (void)g.string("major_reason", false, 1000);
    free_findings.push_back(fields.at("findings").as_array()[i].as_object());
  });
  std::optional<bool> complied;
  std::string recheck_note;
  if (const json::object* rc = f.object("recheck", false)) {
    JsonFields g = f.child("recheck", *rc);
    complied = g.boolean("complied", true);
    recheck_note = g.string("note", false, 2000).value_or("");
    f.absorb(g);
  }
  json::object raw_signatures;
  if (const json::object* s = f.object("signatures", false)) {
    JsonFields g = f.child("signatures", *s);
    g.objects("inspectors", false, 20, [&](JsonFields& h, size_t) {
      (void)h.string("user_id", true, 64);
      (void)h.string("file", true, 64);
    });
    if (const json::object* u = g.object("unit", false)) {
      JsonFields h = g.child("unit", *u);
      (void)h.string("name", true, 50);
      (void)h.string("file", true, 64);
      g.absorb(h);
    }
    f.absorb(g);
    raw_signatures = *s;
  }
  ANJIAN_TRY(f.finish());
  in.started_at = *started;
  in.ended_at = *ended;
  if (in.ended_at < in.started_at) return Error::invalid_field("ended_at", "结束时间早于开始时间");
  if (in.ended_at > now_ms() + 5 * 60'000) return Error::invalid_field("ended_at", "结束时间不能晚于现在");

  // A resend: what was kept answers it.
  if (auto k = kept(in.client_id); k.ok()) {
    if (k->task_id != in.task_id) return Error{"conflict", "该 client_id 已用于另一项任务的检查记录", "client_id"};
    auto full = get(who, k->id);
    if (!full.ok()) return full.take_error();
    return InspectionSubmitted{std::move(*full), false};
  } else if (k.error().code != "not_found") {
    return k.take_error();
  }

  auto task = tasks_.get(who, in.task_id);
  if (!task.ok()) return Error{"not_found", "检查任务不存在或不在您的管辖范围内", "task_id"};
  const bool assigned = std::any_of(task->inspectors.begin(), task->inspectors.end(), [&](const auto& i) { return i.user_id == who.user_id; });
  if (!assigned) {
    (void)audit_.record(audit_event(who, "inspection.submit", "inspection_task:" + task->id, task->region_code, task->enterprise_uscc, source,
                                    json_text(json::object{{"reason", "不是该任务的执法人员"}, {"client_id", in.client_id}}), "denied"));
    return Error::forbidden("该检查任务没有分配给您（可能已改派），不能提交检查记录");
  }
  if (task->state == "cancelled") return Error{"conflict", "该检查任务已取消：" + task->note, "task_id"};
  if (task->state == "done") return Error{"conflict", "该检查任务已有检查记录", "task_id"};
  if (task->source == "recheck" && !complied) return Error::invalid_field("recheck", "复查须说明是否已按要求整改（recheck.complied）");
  if (task->source != "recheck" && complied) return Error::invalid_field("recheck", "只有复查任务填写复查结论");
  auto ent = enterprises_.get(who.scope, task->enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "task_id"};

  in.id = new_id();
  in.enterprise_uscc = ent->uscc;
  in.enterprise_name = ent->name;
  in.region_code = ent->region_code;
  in.enterprise_version = ent->version;
  in.owner_region = task->owner_region;
  in.template_id = task->template_id;
  in.inspectors = task->inspectors;
  in.created_by = who.username;
  in.created_at = now_ms();

  // Signatures: the task's inspectors and the unit's person, each an image in the store.
  if (!raw_signatures.empty()) {
    json::array signed_by;
    if (const auto* list = raw_signatures.if_contains("inspectors")) {
      for (const auto& v : list->as_array()) {
        const auto& o = v.as_object();
        const std::string uid(o.at("user_id").as_string());
        auto it = std::find_if(task->inspectors.begin(), task->inspectors.end(), [&](const auto& i) { return i.user_id == uid; });
        if (it == task->inspectors.end()) return Error::invalid_field("signatures.inspectors", "签名人不是该任务的执法人员：" + uid);
        auto file = hidden_dangers_.files_of(who, ent->uscc, json::object{{"files", json::array{o.at("file")}}}, "files");
        if (!file.ok()) return Error::invalid_field("signatures.inspectors", "签名图片不存在，或不是该企业的文件");
        signed_by.push_back(json::object{{"user_id", uid}, {"name", it->name}, {"file", (*file)[0]}});
      }
    }
    in.signatures["inspectors"] = std::move(signed_by);
    if (const auto* u = raw_signatures.if_contains("unit")) {
      const auto& o = u->as_object();
      auto file = hidden_dangers_.files_of(who, ent->uscc, json::object{{"files", json::array{o.at("file")}}}, "files");
      if (!file.ok()) return Error::invalid_field("signatures.unit", "签名图片不存在，或不是该企业的文件");
      in.signatures["unit"] = json::object{{"name", o.at("name")}, {"file", (*file)[0]}};
    }
  }

  // The checklist: every item answered once; no checklist, no items.
  std::vector<hidden_danger::Prepared> dangers;
  std::vector<std::optional<size_t>> danger_of_result;
  if (!in.template_id.empty()) {
    auto tpl = checklists_.get(who, in.template_id);
    if (!tpl.ok()) return Error{"not_found", "任务的检查表不存在", "task_id"};
    auto by_item = hidden_danger::answers_in_order(*tpl, answers);
    if (!by_item.ok()) return by_item.take_error();
    for (size_t seq = 1; seq <= tpl->items.size(); ++seq) {
      const hidden_danger::ChecklistAnswer& a = *(*by_item)[seq - 1];
      const auto& item = tpl->items[seq - 1];
      auto files = hidden_dangers_.files_of(who, ent->uscc, a.raw, "files");
      if (!files.ok()) {
        Error e = files.take_error();
        e.field = "results[" + std::to_string(seq - 1) + "].files";
        return e;
      }
      InspectionResult r{static_cast<std::int64_t>(seq), item.number, item.text, a.result, a.note, item.major, *files, std::nullopt};
      danger_of_result.push_back(std::nullopt);
      if (a.result == "pass") ++in.passed;
      if (a.result == "not_applicable") ++in.not_applicable;
      if (a.result == "fail") {
        ++in.failed;
        hidden_danger::HiddenDanger h = hidden_danger::danger_of_failed_item(*ent, *tpl, item, a, "inspection", who.display_name, in.ended_at);
        if (h.place.empty()) h.place = in.place;
        danger_of_result.back() = dangers.size();
        dangers.push_back(hidden_danger::Prepared{std::move(h), *files});
      }
      in.results.push_back(std::move(r));
    }
  } else if (!answers.empty()) {
    return Error::invalid_field("results", "该任务没有检查表，检查发现请填在 findings 中");
  } else if (free_findings.empty() && in.summary.empty() && !complied) {
    // Without a checklist the record must say what was checked.
    return Error::invalid_field("summary", "请填写检查情况（检查了哪些场所、资料），或列出发现的问题");
  }
  // Free findings, checked as any report of a hidden danger is.
  const size_t first_finding = dangers.size();
  for (size_t i = 0; i < free_findings.size(); ++i) {
    json::object h = free_findings[i];
    h["enterprise_uscc"] = ent->uscc;
    h["found_by"] = "inspection";
    h["found_at"] = format_iso(in.ended_at);
    if (!h.contains("grade")) h["grade"] = "general";
    if (!h.contains("place")) h["place"] = in.place;
    auto p = hidden_dangers_.prepare(who, h);
    if (!p.ok()) {
      Error e = p.take_error();
      e.field = "findings[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field);
      return e;
    }
    dangers.push_back(std::move(*p));
  }

  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    for (auto& d : dangers) ANJIAN_TRY(hidden_dangers_.insert_in(c, who, d, source));
    for (size_t i = first_finding; i < dangers.size(); ++i) {
      const auto& h = dangers[i].record;
      in.findings.push_back(json::object{{"description", h.description}, {"grade", h.grade}, {"place", h.place},
                                         {"files", dangers[i].files}, {"hidden_danger_id", h.id}});
    }
    if (task->source == "recheck")
      in.recheck = json::object{{"measure_id", task->follows_measure_id}, {"complied", *complied}, {"note", recheck_note}};
    ANJIAN_TRY(c.exec("INSERT INTO inspections (id, client_id, task_id, enterprise_uscc, region_code, owner_region, template_id, started_at, "
                      "ended_at, place, present, summary, position, signatures, findings, recheck, passed, failed, not_applicable, "
                      "created_by, created_at, seen_enterprise_version, enterprise_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {in.id, in.client_id, in.task_id, in.enterprise_uscc, in.region_code, in.owner_region, in.template_id, in.started_at,
                       in.ended_at, in.place, auth::PersonalData::instance().seal(json_text(in.present)), in.summary, json_text(in.position), json_text(in.signatures),
                       json_text(in.findings), in.recheck.empty() ? std::string() : json_text(in.recheck), in.passed, in.failed,
                       in.not_applicable, in.created_by, in.created_at, in.seen_enterprise_version, in.enterprise_version}));
    for (size_t k = 0; k < in.results.size(); ++k) {
      auto& r = in.results[k];
      if (danger_of_result[k]) r.hidden_danger_id = dangers[*danger_of_result[k]].record.id;
      ANJIAN_TRY(c.exec("INSERT INTO inspection_results (inspection_id, seq, result, note, files, hidden_danger_id) VALUES (?, ?, ?, ?, ?, ?)",
                        {in.id, r.seq, r.result, r.note, json_text(r.files), db::opt(r.hidden_danger_id)}));
    }
    ANJIAN_TRY(tasks_.complete_in(c, in.task_id, in.id));
    // The 现场检查记录 (DOMAIN.md §11's fields), numbered now.
    DocumentText text;
    std::string present;
    for (const auto& p : in.present) {
      const auto& o = p.as_object();
      present += (present.empty() ? "" : "、") + std::string(o.at("name").as_string()) +
                 (o.at("title").as_string().empty() ? "" : "（" + std::string(o.at("title").as_string()) + "）");
    }
    text.fields = {{"被检查单位", ent->name},
                   {"地址", ent->address.value_or("")},
                   {"法定代表人（负责人）", ent->legal_representative.value_or("")},
                   {"联系电话", ent->safety_manager_phone.value_or("")},
                   {"检查场所", in.place},
                   {"检查时间", format_minute(in.started_at) + " 至 " + format_minute(in.ended_at)},
                   {"现场负责人", present}};
    std::string found;
    int n = 0;
    for (const auto& r : in.results)
      if (r.result == "fail") found += std::to_string(++n) + ". " + r.text + (r.note.empty() ? "" : "：" + r.note) + "\n";
    for (const auto& x : in.findings) found += std::to_string(++n) + ". " + std::string(x.as_object().at("description").as_string()) + "\n";
    std::string situation = in.summary;
    if (!in.template_id.empty())
      situation += (situation.empty() ? "" : "\n") + std::string("按检查表检查 ") + std::to_string(in.results.size()) + " 项：符合 " +
                   std::to_string(in.passed) + " 项，不符合 " + std::to_string(in.failed) + " 项，不适用 " + std::to_string(in.not_applicable) + " 项。";
    if (!found.empty()) situation += "\n发现的问题：\n" + found;
    else situation += "\n未发现问题。";
    text.sections = {{"检查情况", situation}};
    if (!in.recheck.empty())
      text.sections.push_back({"复查结论", *complied ? "已按要求完成整改。" : "未按要求完成整改。" + recheck_note});
    for (const auto& i : in.inspectors) text.inspectors.push_back({i.name, i.badge_number});
    text.signatures = {"执法人员（签名）", "被检查单位现场负责人（签名）"};
    text.seal = false;
    text.signed_at = in.ended_at;
    auto doc = documents_.issue_in(c, who, "inspection_record", DocumentLinks{in.enterprise_uscc, in.region_code, in.id, "", "", ""}, text,
                                   source);
    if (!doc.ok()) return doc.take_error();
    in.document_id = doc->id;
    in.document_number = doc->number;
    if (task->source == "recheck") {
      auto opinion = measures_.recheck_in(c, who, task->follows_measure_id, *complied, recheck_note, in.ended_at, in.inspectors, source);
      if (!opinion.ok()) return opinion.take_error();
    }
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspection.submit", "inspection:" + in.id, in.region_code, in.enterprise_uscc, source,
                                               json_text(json::object{{"task", in.task_id}, {"passed", in.passed}, {"failed", in.failed},
                                                                      {"findings", in.findings.size()}, {"document", in.document_number}}))));
    return true;
  });
  if (!done.ok()) {
    // The same record sent twice at once: the second lost the race on client_id; answer with the first.
    if (auto k = kept(in.client_id); k.ok() && k->task_id == in.task_id) {
      auto full = get(who, k->id);
      if (full.ok()) return InspectionSubmitted{std::move(*full), false};
    }
    return done.take_error();
  }
  for (const auto& d : dangers) hidden_dangers_.announce(d.record, "report");
  return InspectionSubmitted{std::move(in), true};
}

Result<Inspection> InspectionService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + kFrom + "i.id = ? AND " + who.scope.sql("i.region_code", "i.enterprise_uscc", params),
                             params);
  if (!row.ok())
    return row.error().code == "not_found" ? Result<Inspection>(Error{"not_found", "检查记录不存在或不在您的管辖范围内", ""}) : row.take_error();
  Inspection in = from_row(*row);
  auto staff = (*r)->query("SELECT user_id, name, badge_number FROM inspection_task_inspectors WHERE task_id = ? ORDER BY seq", {in.task_id});
  if (!staff.ok()) return staff.take_error();
  for (const auto& s : *staff) in.inspectors.push_back({s.str(0), s.str(1), s.str(2)});
  if (!in.template_id.empty()) {
    auto results = (*r)->query("SELECT r.seq, i.number, i.text, i.major, r.result, r.note, r.files, r.hidden_danger_id "
                               "FROM inspection_results r JOIN checklist_items i ON i.template_id = ? AND i.seq = r.seq "
                               "WHERE r.inspection_id = ? ORDER BY r.seq",
                               {in.template_id, id});
    if (!results.ok()) return results.take_error();
    for (const auto& x : *results)
      in.results.push_back({x.i64(0), x.str(1), x.str(2), x.str(4), x.str(5), x.i64(3) != 0, array_of_text(x.str(6)), x.opt_str(7)});
  }
  auto doc = (*r)->query("SELECT id, number FROM enforcement_documents WHERE inspection_id = ? AND kind = 'inspection_record' ORDER BY issued_at", {id});
  if (!doc.ok()) return doc.take_error();
  if (!doc->empty()) {
    in.document_id = (*doc)[0].str(0);
    in.document_number = (*doc)[0].str(1);
  }
  return in;
}

Result<std::vector<Inspection>> InspectionService::list(const auth::Principal& who, const std::optional<std::string>& uscc, std::int64_t limit) {
  std::vector<Value> params;
  std::string where = who.scope.sql("i.region_code", "i.enterprise_uscc", params);
  if (uscc) {
    where += " AND i.enterprise_uscc = ?";
    params.emplace_back(*uscc);
  }
  params.emplace_back(limit);
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query(std::string("SELECT ") + kColumns +
                              ", (SELECT d.number FROM enforcement_documents d WHERE d.inspection_id = i.id AND d.kind = 'inspection_record')" + kFrom +
                              where + " ORDER BY i.ended_at DESC, i.id LIMIT ?",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Inspection> out;
  for (const auto& row : *rows) {
    out.push_back(from_row(row));
    if (!row.null(22)) out.back().document_number = row.str(22);
  }
  return out;
}

}  // namespace anjian::enforcement
