#include "modules/accident/investigation.h"

#include <boost/json.hpp>

#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::accident {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "accident_id, lead_level, team, started_by, started_at, report_due, extension_days, extension_reason, report_at, findings, causes, "
    "responsible, measures, reply_due, reply_extension_days, replied_at, reply_number, closed_at, version, documents";

// The documents of an investigation, by what they are.
const std::vector<std::string_view> kDocumentKinds = {"team", "report", "reply", "evidence", "other"};
std::string_view document_label(std::string_view k) {
  if (k == "team") return "调查组成立文件";
  if (k == "report") return "事故调查报告";
  if (k == "reply") return "批复文件";
  if (k == "evidence") return "调查取证材料";
  return "其他文件";
}

Investigation from_row(const db::Row& r) {
  Investigation i;
  i.accident_id = r.str(0);
  (void)parse_level(r.str(1), i.lead_level);
  i.team = array_of_text(r.str(2));
  i.started_by = r.str(3);
  i.started_at = r.i64(4);
  i.report_due = r.str(5);
  i.extension_days = r.i64(6);
  i.extension_reason = r.str(7);
  i.report_at = r.opt_i64(8);
  i.findings = r.str(9);
  i.causes = r.str(10);
  i.responsible = array_of_text(r.str(11));
  i.measures = r.str(12);
  i.reply_due = r.str(13);
  i.reply_extension_days = r.i64(14);
  i.replied_at = r.opt_i64(15);
  i.reply_number = r.str(16);
  i.closed_at = r.opt_i64(17);
  i.version = r.i64(18);
  i.documents = array_of_text(r.str(19));
  return i;
}

// The caller's level among the regulators (a national org stands for the State Council's team).
std::optional<Level> level_of(const auth::Principal& who) {
  if (who.org_kind != "regulator") return std::nullopt;
  if (who.org_level == "national") return Level::nation;
  Level l;
  if (who.org_level == "province") return Level::province;
  if (who.org_level == "city") return Level::city;
  if (parse_level(who.org_level, l)) return l;
  return std::nullopt;
}

// What may come next, in order.
std::vector<std::string> allowed(const std::optional<Investigation>& i, Grade g) {
  if (!i) return {"start"};
  if (i->closed_at) return {};
  if (i->replied_at) return {"close"};
  if (i->report_at) {
    std::vector<std::string> out{"reply"};
    if (max_reply_extension_days(g) > 0 && i->reply_extension_days == 0) out.push_back("extend_reply");
    return out;
  }
  std::vector<std::string> out{"start", "report"};
  if (i->extension_days == 0) out.push_back("extend");
  return out;
}
}  // namespace

json::object to_json(const Investigation& i, const Accident& a, Millis now) {
  const auto today = today_shanghai(now);
  const auto report_due = parse_date(i.report_due);
  const auto reply_due = i.reply_due.empty() ? std::nullopt : parse_date(i.reply_due);
  const auto opt_time = [](const std::optional<Millis>& t) { return t ? json::value(format_iso(*t)) : json::value(nullptr); };
  return {{"lead_level", to_string(i.lead_level)},
          {"lead_level_label", i.lead_level == Level::nation ? std::string_view("国务院") : level_label(i.lead_level)},
          {"team", i.team},
          {"started_by", i.started_by},
          {"started_at", format_iso(i.started_at)},
          {"report_due", i.report_due},
          {"extension_days", i.extension_days},
          {"extension_reason", i.extension_reason},
          {"report_at", opt_time(i.report_at)},
          {"report_overdue", !i.report_at && report_due && today > *report_due},
          {"findings", i.findings},
          {"causes", i.causes},
          {"responsible", i.responsible},
          {"measures", i.measures},
          {"reply_due", i.reply_due.empty() ? json::value(nullptr) : json::value(i.reply_due)},
          {"reply_extension_days", i.reply_extension_days},
          {"replied_at", opt_time(i.replied_at)},
          {"reply_overdue", i.report_at && !i.replied_at && reply_due && today > *reply_due},
          {"reply_number", i.reply_number},
          {"closed_at", opt_time(i.closed_at)},
          {"allowed", json::value_from(allowed(i, a.grade))},
          {"documents", i.documents},
          {"version", i.version}};
}

Result<std::optional<Investigation>> InvestigationService::get(const auth::Principal& who, const std::string& accident_id) {
  auto a = accidents_.get(who, accident_id);
  if (!a.ok()) return a.take_error();
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + " FROM accident_investigations WHERE accident_id = ?", {accident_id});
  if (!row.ok()) {
    if (row.error().code == "not_found") return std::optional<Investigation>();
    return row.take_error();
  }
  return std::optional<Investigation>(from_row(*row));
}

Result<Investigation> InvestigationService::act(const auth::Principal& who, const std::string& accident_id, std::string_view action,
                                                const json::object& fields, std::string_view source) {
  auto a = accidents_.get(who, accident_id);
  if (!a.ok()) return a.take_error();
  const Level lead = investigation_level(a->grade);
  const auto mine = level_of(who);
  if (!mine || *mine < lead)
    return Error::forbidden(std::string(grade_label(a->grade)) + "事故由" + (lead == Level::nation ? "国务院" : std::string(level_label(lead)) + "人民政府") +
                            "组织调查，本单位不能办理");
  JsonFields f(fields);
  Investigation in;
  json::array team, responsible;
  std::string reason, number, note, doc_kind, file_id;
  std::int64_t days = 0;
  if (action == "start") {
    f.objects("team", true, 100, [&](JsonFields& g, size_t) {
      team.push_back(json::object{{"name", g.string("name", true, 50).value_or("")}, {"org", g.string("org", false, 100).value_or("")},
                                  {"role", g.string("role", false, 50).value_or("")}});
    });
  } else if (action == "extend" || action == "extend_reply") {
    days = f.integer("days", true, 1, action == "extend" ? kMaxReportExtensionDays : max_reply_extension_days(Grade::extraordinary)).value_or(0);
    reason = f.string("reason", true, 1000).value_or("");
  } else if (action == "report") {
    in.findings = f.string("findings", true, 20000).value_or("");
    in.causes = f.string("causes", true, 20000).value_or("");
    in.measures = f.string("measures", true, 20000).value_or("");
    f.objects("responsible", false, 200, [&](JsonFields& g, size_t) {
      responsible.push_back(json::object{{"name", g.string("name", true, 100).value_or("")}, {"role", g.string("role", false, 100).value_or("")},
                                         {"handling", g.string("handling", true, 1000).value_or("")}});
    });
  } else if (action == "reply") {
    number = f.string("number", true, 100).value_or("");
    note = f.string("note", false, 5000).value_or("");
  } else if (action == "attach") {
    doc_kind = f.one_of("kind", true, kDocumentKinds).value_or("");
    file_id = f.string("file_id", true, 64).value_or("");
  } else if (action != "close") {
    return Error::not_found("未知的调查环节：" + std::string(action));
  }
  ANJIAN_TRY(f.finish());
  std::optional<files::StoredFile> file;
  if (action == "attach") {
    auto got = files_.get(who.scope, file_id);
    if (!got.ok()) return Error::invalid_field("file_id", "文件不存在或不在您的管辖范围内");
    file = std::move(*got);
  }

  const Millis now = now_ms();
  const auto today = today_shanghai(now);
  Investigation out;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    std::optional<Investigation> cur;
    if (auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM accident_investigations WHERE accident_id = ?", {accident_id}); row.ok())
      cur = from_row(*row);
    else if (row.error().code != "not_found")
      return row.take_error();
    const auto next = allowed(cur, a->grade);
    const bool attachable = action == "attach" && cur && !cur->closed_at;
    if (!attachable && std::find(next.begin(), next.end(), action) == next.end()) {
      if (action == "extend" && cur && !cur->report_at && cur->extension_days > 0) return Error::conflict("调查报告期限只能延长一次");
      if (action == "extend_reply" && cur && cur->report_at && !cur->replied_at && cur->reply_extension_days > 0)
        return Error::conflict("批复期限只能延长一次");
      return Error::invalid_transition("调查尚不能" + std::string(action == "start" ? "开始" : action == "report" ? "提交报告" : action == "reply" ? "批复" : action == "close" ? "结案" : "延期"),
                                       next);
    }
    if (action == "start") {
      if (cur) {
        cur->team = team;  // the team changes while the investigation runs
      } else {
        cur = Investigation{};
        cur->accident_id = accident_id;
        cur->lead_level = lead;
        cur->team = team;
        cur->started_by = who.display_name.empty() ? who.username : who.display_name;
        cur->started_at = now;
        cur->report_due = format_date(today_shanghai(a->occurred_at) + kReportDays);
        ANJIAN_TRY(c.exec("INSERT INTO accident_investigations (accident_id, lead_level, team, started_by, started_at, report_due) VALUES (?, ?, ?, ?, ?, ?)",
                          {accident_id, std::string(to_string(lead)), json_text(team), cur->started_by, now, cur->report_due}));
      }
    } else if (action == "extend") {
      cur->extension_days = days;
      cur->extension_reason = reason;
      cur->report_due = format_date(*parse_date(cur->report_due) + days);
    } else if (action == "report") {
      cur->report_at = now;
      cur->findings = in.findings;
      cur->causes = in.causes;
      cur->measures = in.measures;
      cur->responsible = responsible;
      cur->reply_due = format_date(today + reply_days(a->grade));
    } else if (action == "extend_reply") {
      cur->reply_extension_days = days;
      cur->extension_reason += (cur->extension_reason.empty() ? "" : "；") + std::string("批复延期：") + reason;
      cur->reply_due = format_date(*parse_date(cur->reply_due) + days);
    } else if (action == "reply") {
      cur->replied_at = now;
      cur->reply_number = number;
    } else if (action == "attach") {
      cur->documents.push_back(json::object{{"file_id", file->id}, {"name", file->name}, {"kind", doc_kind}, {"kind_label", document_label(doc_kind)},
                                            {"attached_by", who.display_name.empty() ? who.username : who.display_name},
                                            {"attached_at", format_iso(now)}});
    } else {
      cur->closed_at = now;
    }
    ++cur->version;
    ANJIAN_TRY(c.exec("UPDATE accident_investigations SET team = ?, report_due = ?, extension_days = ?, extension_reason = ?, report_at = ?, "
                      "findings = ?, causes = ?, responsible = ?, measures = ?, reply_due = ?, reply_extension_days = ?, replied_at = ?, "
                      "reply_number = ?, closed_at = ?, version = ?, documents = ? WHERE accident_id = ?",
                      {json_text(cur->team), cur->report_due, cur->extension_days, cur->extension_reason, db::opt(cur->report_at), cur->findings,
                       cur->causes, json_text(cur->responsible), cur->measures, cur->reply_due, cur->reply_extension_days, db::opt(cur->replied_at),
                       cur->reply_number, db::opt(cur->closed_at), cur->version, json_text(cur->documents), accident_id}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "accident.investigation." + std::string(action), "accident:" + accident_id, a->region_code,
                                               a->enterprise_uscc, source, json_text(fields))));
    out = *cur;
    return true;
  });
  if (!done.ok()) return done.take_error();
  return out;
}

}  // namespace anjian::accident
