#include "modules/hidden_danger/service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/hidden_danger/checklist_rules.h"
#include "modules/hidden_danger/tally.h"
#include "modules/hidden_danger/transition_rules.h"

namespace anjian::hidden_danger {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "h.id, h.enterprise_uscc, e.name, h.region_code, h.description, h.place, h.category, h.grade, h.found_by, h.finder, "
    "h.found_at, h.standard, h.standard_item, h.major_reason, h.risk_point_id, h.hazard_source_id, h.state, h.plan, "
    "h.supervision, h.deadline, h.closed_at, h.supervised, h.authority_org_id, h.rectified_by, h.created_by, h.created_at, "
    "h.updated_at, h.version, h.industry, h.self_inspection_id, h.checklist_item";
constexpr size_t kColumnCount = 31;  // of kColumns
constexpr const char* kFrom = " FROM hidden_dangers h JOIN enterprises e ON e.uscc = h.enterprise_uscc WHERE ";
const char* kNotFound = "隐患不存在或不在您的管辖范围内";

const std::vector<std::string_view> kGrades = {"general", "major"};
const std::vector<std::string_view> kFoundBy = {"self_inspection", "inspection", "public_report", "monitoring", "other"};
const std::vector<std::string_view> kCategories = {"basic_management", "site_management"};
const std::vector<std::string_view> kSuspension = {"none", "partial", "full"};

// Every action may attach evidence files (their ids, checked against the store by files_of).
Status finish(JsonFields& f) {
  (void)f.strings("files", false, 20, 64);
  return f.finish();
}

HiddenDanger from_row(const db::Row& r) {
  HiddenDanger h;
  h.id = r.str(0);
  h.enterprise_uscc = r.str(1);
  h.enterprise_name = r.str(2);
  h.region_code = r.str(3);
  h.description = r.str(4);
  h.place = r.str(5);
  h.category = r.str(6);
  h.grade = r.str(7);
  h.found_by = r.str(8);
  h.finder = r.str(9);
  h.found_at = r.i64(10);
  h.standard = r.str(11);
  h.standard_item = r.str(12);
  h.major_reason = r.str(13);
  h.risk_point_id = r.opt_str(14);
  h.hazard_source_id = r.opt_str(15);
  h.state = r.str(16);
  h.plan = object_of_text(r.str(17));
  h.supervision = object_of_text(r.str(18));
  h.deadline = r.opt_i64(19);
  h.closed_at = r.opt_i64(20);
  h.supervised = r.i64(21) != 0;
  h.authority_org_id = r.str(22);
  h.rectified_by = r.str(23);
  h.created_by = r.str(24);
  h.created_at = r.i64(25);
  h.updated_at = r.i64(26);
  h.version = r.i64(27);
  h.industry = r.str(28);
  h.self_inspection_id = r.opt_str(29);
  h.checklist_item = r.str(30);
  return h;
}

Snapshot snapshot(const HiddenDanger& h) { return {h.state, h.grade, h.supervised, h.authority_org_id, h.rectified_by}; }
Actor actor(const auth::Principal& who) {
  return {who.user_id, who.org_id, who.org_kind == "enterprise", who.can(auth::Action::enterprise_write)};
}

// An instant field (RFC 3339 or epoch ms).
std::optional<Millis> instant(JsonFields& f, std::string_view key, bool required) {
  auto text = f.string(key, required, 40);
  if (!text) return std::nullopt;
  auto t = parse_instant(*text);
  if (!t) f.fail(Error::invalid_field(std::string(key), field_label(key) + " 须为带时区的时间，如 2026-11-30T18:58:00+08:00"));
  return t;
}

notification::Notification major_notice(const HiddenDanger& h, std::string_view why) {
  notification::Notification n;
  n.region_code = h.region_code;  // the enterprise's county regulator (or the nearest above)
  n.kind = "hidden_danger.major";
  n.enterprise_uscc = h.enterprise_uscc;
  n.title = "重大事故隐患：" + h.enterprise_name;
  n.body = h.enterprise_name + "（" + h.enterprise_uscc + "）" + std::string(why) + "重大事故隐患：" + h.description;
  n.link = "/hidden-dangers/" + h.id;
  return n;
}
}  // namespace

json::object to_json(const HiddenDanger& h, bool with_timeline) {
  auto t = [](const std::optional<Millis>& v) { return v ? json::value(format_iso(*v)) : json::value(nullptr); };
  auto opt = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
  json::object o{{"id", h.id}, {"enterprise_uscc", h.enterprise_uscc}, {"enterprise_name", h.enterprise_name},
                 {"region_code", h.region_code}, {"industry", h.industry},
                 {"self_inspection_id", opt(h.self_inspection_id)}, {"checklist_item", h.checklist_item}, {"description", h.description}, {"place", h.place}, {"category", h.category},
                 {"grade", h.grade}, {"found_by", h.found_by}, {"finder", h.finder}, {"found_at", format_iso(h.found_at)},
                 {"standard_item", h.standard.empty() ? json::value(nullptr)
                                                      : json::value(json::object{{"standard", h.standard}, {"item", h.standard_item}})},
                 {"major_reason", h.major_reason}, {"risk_point_id", opt(h.risk_point_id)}, {"hazard_source_id", opt(h.hazard_source_id)},
                 {"state", h.state}, {"plan", h.plan.empty() ? json::value(nullptr) : json::value(h.plan)},
                 {"supervised", h.supervised}, {"supervision", h.supervision.empty() ? json::value(nullptr) : json::value(h.supervision)},
                 {"deadline", t(h.deadline)},
                 {"overdue", h.deadline && *h.deadline < now_ms() && h.state != "closed" && h.state != "withdrawn"},
                 {"closed_at", t(h.closed_at)}, {"created_at", format_iso(h.created_at)}, {"updated_at", format_iso(h.updated_at)},
                 {"version", h.version}, {"allowed", json::array(h.allowed.begin(), h.allowed.end())}};
  if (with_timeline) {
    json::array timeline;
    for (const auto& e : h.timeline)
      timeline.push_back(json::object{{"action", e.action}, {"from", e.from_state}, {"to", e.to_state}, {"actor", e.actor},
                                      {"actor_name", e.actor_name}, {"at", format_iso(e.at)}, {"note", e.note}, {"files", e.files},
                                      {"detail", e.detail}});
    o["timeline"] = std::move(timeline);
  }
  return o;
}

Result<json::array> Service::files_of(const auth::Principal& who, const std::string& uscc, const json::object& fields,
                                      std::string_view key) {
  json::array out;
  const auto* list = fields.if_contains(key);
  if (!list || list->is_null()) return out;
  if (!list->is_array() || list->as_array().size() > 20)
    return Error::invalid_field(std::string(key), "files 须为至多 20 个文件 id 的数组");
  for (const auto& v : list->as_array()) {
    if (!v.is_string()) return Error::invalid_field(std::string(key), "files 须为文件 id 的数组");
    auto f = files_.get(who.scope, std::string(v.as_string()));
    if (!f.ok() || f->enterprise_uscc != uscc) return Error::invalid_field(std::string(key), "文件不存在，或不是该企业的文件");
    out.push_back(json::object{{"id", f->id}, {"name", f->name}, {"content_type", f->content_type}});
  }
  return out;
}

Result<Prepared> Service::prepare(const auth::Principal& who, const json::object& fields) {
  JsonFields f(fields);
  HiddenDanger h;
  h.enterprise_uscc = f.string("enterprise_uscc", true, 40).value_or("");
  h.description = f.string("description", true, 2000).value_or("");
  h.place = f.string("place", false, 200).value_or("");
  h.category = f.one_of("category", false, kCategories).value_or("");
  h.grade = f.one_of("grade", true, kGrades).value_or("");
  h.found_by = f.one_of("found_by", true, kFoundBy).value_or("");
  h.finder = f.string("finder", false, 50).value_or(who.display_name);
  const auto found_at = instant(f, "found_at", true);
  if (const json::object* item = f.object("standard_item", false)) {
    JsonFields g = f.child("standard_item", *item);
    std::vector<std::string_view> ids;
    for (const auto& st : standards()) ids.push_back(st.id);
    h.standard = g.one_of("standard", true, ids).value_or("");
    h.standard_item = g.string("item", true, 20).value_or("");
    if (!g.failed() && !find_standard_item(h.standard, h.standard_item))
      g.fail(Error::invalid_field("standard_item.item", find_standard(h.standard)->name + "没有第 " + h.standard_item + " 项"));
    f.absorb(g);
  }
  h.major_reason = f.string("major_reason", false, 1000).value_or("");
  h.risk_point_id = f.string("risk_point_id", false, 64);
  h.hazard_source_id = f.string("hazard_source_id", false, 64);
  (void)f.strings("files", false, 20, 64);  // checked against the store below
  ANJIAN_TRY(f.finish());
  h.found_at = *found_at;
  if (h.found_at > now_ms() + 5 * 60'000) return Error::invalid_field("found_at", "发现时间不能晚于现在");
  // A 重大 one says which item of the 判定标准 makes it 重大, or why it is 重大 without one.
  if (h.grade == "major" && h.standard.empty() && h.major_reason.empty())
    return Error::invalid_field("standard_item", "重大事故隐患须指明判定标准的条目，或填写认定理由");
  auto ent = enterprises_.get(who.scope, h.enterprise_uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  if (who.org_kind == "enterprise" && h.found_by != "self_inspection" && h.found_by != "monitoring" && h.found_by != "other")
    return Error::invalid_field("found_by", "企业登记的隐患来源须为自查、监测报警或其他");
  if (h.risk_point_id) {
    auto p = risk_points_.get(who.scope, *h.risk_point_id);
    if (!p.ok() || p->enterprise_uscc != ent->uscc) return Error::invalid_field("risk_point_id", "风险点不存在，或不属于该企业");
  }
  if (h.hazard_source_id) {
    auto s = hazards_.get(who.scope, *h.hazard_source_id);
    if (!s.ok() || s->enterprise_uscc != ent->uscc) return Error::invalid_field("hazard_source_id", "重大危险源不存在，或不属于该企业");
  }
  h.enterprise_uscc = ent->uscc;
  h.enterprise_name = ent->name;
  h.region_code = ent->region_code;
  h.industry = ent->industry;
  auto files = files_of(who, h.enterprise_uscc, fields, "files");
  if (!files.ok()) return files.take_error();
  return Prepared{std::move(h), std::move(*files)};
}

Status Service::insert_in(db::Connection& c, const auth::Principal& who, Prepared& p, std::string_view source) {
  HiddenDanger& h = p.record;
  h.id = new_id();
  if (h.state.empty()) h.state = "reported";
  h.created_by = who.user_id;
  h.created_at = h.updated_at = now_ms();
  h.version = 1;
  const bool open = h.state != "closed" && h.state != "withdrawn";
  ANJIAN_TRY(c.exec("INSERT INTO hidden_dangers (id, enterprise_uscc, region_code, industry, description, place, category, grade, found_by, "
                    "finder, found_at, standard, standard_item, major_reason, risk_point_id, hazard_source_id, self_inspection_id, "
                    "checklist_item, state, plan, deadline, closed_at, created_by, created_at, updated_at, version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    {h.id, h.enterprise_uscc, h.region_code, h.industry, h.description, h.place, h.category, h.grade, h.found_by,
                     h.finder, h.found_at, h.standard, h.standard_item, h.major_reason, db::opt(h.risk_point_id),
                     db::opt(h.hazard_source_id), db::opt(h.self_inspection_id), h.checklist_item, h.state,
                     h.plan.empty() ? std::string() : json_text(h.plan), db::opt(h.deadline), db::opt(h.closed_at), h.created_by,
                     h.created_at, h.updated_at}));
  ANJIAN_TRY(c.exec("INSERT INTO hidden_danger_events (id, hidden_danger_id, action, from_state, to_state, actor, actor_name, at, note, "
                    "files, detail, version) VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, '{}', 1)",
                    {new_id(), h.id, std::string(p.imported ? "import" : "report"), h.state, who.username, who.display_name,
                     h.created_at, std::string(p.imported ? "从原系统导入" : ""), json_text(p.files)}));
  ANJIAN_TRY(tally_add(c, {h.region_code, h.industry, h.found_at, h.grade}, tally_of(h.state, h.supervised)));
  if (!p.imported)
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "hidden_danger.report", "hidden_danger:" + h.id, h.region_code, h.enterprise_uscc,
                                               source, json_text(json::object{{"grade", h.grade}, {"description", h.description}}))));
  if (h.grade == "major" && open) ANJIAN_TRY(notifier_.notify_in(c, major_notice(h, p.imported ? "尚未销号的" : "报告")));
  return {};
}

void Service::announce(const HiddenDanger& h, std::string_view action) {
  if (on_change_) on_change_(h, action);
}

Result<HiddenDanger> Service::report(const auth::Principal& who, const json::object& fields, std::string_view source) {
  auto p = prepare(who, fields);
  if (!p.ok()) return p.take_error();
  auto made = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(insert_in(c, who, *p, source));
    return true;
  });
  if (!made.ok()) return made.take_error();
  announce(p->record, "report");
  return get(who, p->record.id);
}

Result<HiddenDanger> Service::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + kFrom + "h.id = ? AND " + who.scope.sql("e.region_code", "e.uscc", params),
                             params);
  if (!row.ok()) return row.error().code == "not_found" ? Result<HiddenDanger>(Error{"not_found", kNotFound, ""}) : row.take_error();
  HiddenDanger h = from_row(*row);
  auto events = (*r)->query("SELECT action, from_state, to_state, actor, actor_name, at, note, files, detail FROM hidden_danger_events "
                            "WHERE hidden_danger_id = ? ORDER BY version, at, id", {id});
  if (!events.ok()) return events.take_error();
  for (const auto& e : *events) {
    boost::system::error_code ec;
    auto files = json::parse(e.str(7), ec);
    h.timeline.push_back(Event{e.str(0), e.str(1), e.str(2), e.str(3), e.str(4), e.str(6), e.i64(5),
                               !ec && files.is_array() ? files.as_array() : json::array{}, object_of_text(e.str(8))});
  }
  h.allowed = allowed_actions(snapshot(h), actor(who));
  return h;
}

Result<Page> Service::list(const auth::Principal& who, const Filter& f) {
  std::vector<Value> params;
  // Every condition is on the hidden_dangers row itself, so that an index answers the first page.
  // A province's or a city's range of codes holds most rows: walking the index of found_at (or of
  // the state or grade asked for) in order finds the first page at once, where SQLite's planner,
  // which cannot tell a wide range from a narrow one, would read the whole range and sort it. The
  // expression keeps it off the region index unless a county is asked for.
  const bool county = (f.region_code && !f.region_code->ends_with("00")) ||
                      (who.scope.kind() == auth::Scope::Kind::region && !who.scope.region_code().ends_with("00"));
  // PostgreSQL's planner too walked a province's whole range of the (region, state) index to count
  // one state (measured); it has no unary + for text, so an expression there. On SQLite the unary +
  // gave the better plans of the two (measured: the expression tripled the overdue page's p99).
  const bool sqlite = db_.dialect() == db::Dialect::sqlite;
  const char* region_column = county ? "h.region_code" : sqlite ? "+h.region_code" : "(h.region_code || '')";
  std::string where = "(" + who.scope.sql(region_column, "h.enterprise_uscc", params) + ")";
  if (f.enterprise_uscc) { where += " AND h.enterprise_uscc = ?"; params.emplace_back(*f.enterprise_uscc); }
  if (f.state) { where += " AND h.state = ?"; params.emplace_back(*f.state); }
  if (f.open && !f.overdue) where += " AND h.state NOT IN ('closed', 'withdrawn')";
  if (f.grade) { where += " AND h.grade = ?"; params.emplace_back(*f.grade); }
  if (f.found_by) { where += " AND h.found_by = ?"; params.emplace_back(*f.found_by); }
  if (f.industry) { where += " AND h.industry = ?"; params.emplace_back(*f.industry); }
  if (f.found_from) { where += " AND h.found_at >= ?"; params.emplace_back(*f.found_from); }
  if (f.found_to) { where += " AND h.found_at < ?"; params.emplace_back(*f.found_to); }
  if (f.supervised) where += " AND h.supervised = 1";
  // By deadline: those that have one (planned or later), soonest first — an index's order on both
  // backends, which differ in where they put NULLs.
  if (f.sort == "deadline_asc") where += " AND h.deadline IS NOT NULL";
  if (f.region_code) {
    // A region's subtree, as jurisdiction draws it.
    if (!regions_.find(*f.region_code)) return Error::invalid_field("region_code", "行政区划不存在：" + *f.region_code);
    where += " AND (" + auth::Scope::region(regions_, *f.region_code).sql(region_column, "h.enterprise_uscc", params) + ")";
  }
  // Overdue (last, its one parameter last): counted through the index of open ones by deadline (the
  // overdue are few), the page read through the index of open ones by found_at (in its order).
  std::string count_where = where;
  if (f.overdue) {
    count_where += " AND h.deadline < ? AND h.state NOT IN ('closed', 'withdrawn')";
    where += std::string(" AND ") + (sqlite ? "+h.deadline" : "h.deadline + 0") + " < ? AND h.state NOT IN ('closed', 'withdrawn')";
    params.emplace_back(now_ms());
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  Page page;
  // Filtered by region, grade, industry and closed / withdrawn / open only, the yearly tally knows
  // the exact total; otherwise the rows are counted, up to kTotalCap.
  const bool by_tally = who.scope.kind() != auth::Scope::Kind::enterprise && !f.enterprise_uscc && !f.found_by && !f.found_from &&
                        !f.found_to && !f.supervised && !f.overdue && f.sort != "deadline_asc" &&
                        (f.state ? (*f.state == "closed" || *f.state == "withdrawn") && !f.open : true);
  if (by_tally) {
    std::vector<Value> tp;
    std::string tw = "(" + who.scope.sql("region_code", "enterprise_uscc", tp) + ")";
    if (f.region_code) tw += " AND (" + auth::Scope::region(regions_, *f.region_code).sql("region_code", "enterprise_uscc", tp) + ")";
    if (f.grade) { tw += " AND grade = ?"; tp.emplace_back(*f.grade); }
    if (f.industry) { tw += " AND industry = ?"; tp.emplace_back(*f.industry); }
    const char* figure = f.state ? (*f.state == "closed" ? "closed" : "withdrawn") : f.open ? "open" : "found";
    auto n = (*r)->query_one(std::string("SELECT COALESCE(SUM(") + figure + "), 0) FROM hidden_danger_tally_year WHERE " + tw, tp);
    if (!n.ok()) return n.take_error();
    page.total = n->i64(0);
  } else {
    std::vector<Value> count_params = params;
    count_params.emplace_back(kTotalCap + 1);
    auto n = (*r)->query_one("SELECT COUNT(*) FROM (SELECT 1 FROM hidden_dangers h WHERE " + count_where + " LIMIT ?) capped", count_params);
    if (!n.ok()) return n.take_error();
    page.total = std::min(n->i64(0), kTotalCap);
    page.total_capped = n->i64(0) > kTotalCap;
  }
  const char* order = f.sort == "found_at_asc"      ? "h.found_at, h.id"
                      : f.sort == "deadline_asc"    ? "h.deadline, h.id"
                      : f.sort == "updated_at_desc" ? "h.updated_at DESC, h.id"
                                                    : "h.found_at DESC, h.id";
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY " + order + " LIMIT ? OFFSET ?", params);
  if (!rows.ok()) return rows.take_error();
  const Actor me = actor(who);
  for (const auto& row : *rows) {
    HiddenDanger h = from_row(row);
    h.allowed = allowed_actions(snapshot(h), me);
    page.items.push_back(std::move(h));
  }
  return page;
}

Result<std::int64_t> Service::open_major(std::string_view column, const std::string& id) {
  if (column != "risk_point_id" && column != "hazard_source_id") return Error{"internal", "open_major: unknown column", ""};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto n = (*r)->query_one("SELECT COUNT(*) FROM hidden_dangers WHERE " + std::string(column) +
                               " = ? AND grade = 'major' AND state NOT IN ('closed', 'withdrawn')",
                           {id});
  if (!n.ok()) return n.take_error();
  return n->i64(0);
}

Status Service::follow_enterprises(const std::vector<std::string>& usccs) {
  // Most enterprises that change have no hidden danger here (a province receiving a county's
  // registry: a million of them): a read of 500 at a time, and no write transaction, settles those.
  constexpr size_t kChunk = 500;
  std::vector<std::string> with;
  {
    ANJIAN_ASSIGN(auto lease, db_.read());
    for (size_t i = 0; i < usccs.size(); i += kChunk) {
      std::vector<db::Value> params(usccs.begin() + static_cast<long>(i), usccs.begin() + static_cast<long>(std::min(usccs.size(), i + kChunk)));
      ANJIAN_ASSIGN(auto rows, lease->query("SELECT DISTINCT enterprise_uscc FROM hidden_dangers WHERE enterprise_uscc IN (" +
                                                db::placeholders(params.size()) + ")",
                                            params));
      for (const auto& r : rows) with.push_back(r.str(0));
    }
  }
  for (const auto& uscc : with) ANJIAN_TRY(follow_enterprise(uscc));
  return {};
}

Status Service::follow_enterprise(const std::string& uscc) {
  auto ent = enterprises_.get(auth::Scope::all(), uscc);
  if (!ent.ok()) return ent.error().code == "not_found" ? Status{} : Status{ent.take_error()};
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto rows = c.query("SELECT region_code, industry, found_at, grade, state, supervised FROM hidden_dangers WHERE enterprise_uscc = ? "
                        "AND (region_code <> ? OR industry <> ?)",
                        {uscc, ent->region_code, ent->industry});
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) {
      const TallyCounts n = tally_of(r.str(4), r.i64(5) != 0);
      ANJIAN_TRY(tally_move(c, {r.str(0), r.str(1), r.i64(2), r.str(3)}, n, {ent->region_code, ent->industry, r.i64(2), r.str(3)}, n));
    }
    if (!rows->empty())
      ANJIAN_TRY(c.exec("UPDATE hidden_dangers SET region_code = ?, industry = ? WHERE enterprise_uscc = ?",
                        {ent->region_code, ent->industry, uscc}));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return {};
}

Result<HiddenDanger> Service::act(const auth::Principal& who, const std::string& id, std::string_view action, std::int64_t version,
                                  const json::object& fields, std::string_view source) {
  if (std::find(std::begin(kActions), std::end(kActions), action) == std::end(kActions))
    return Error{"not_found", "没有这个操作：" + std::string(action), ""};
  std::string notice;  // a 重大 one newly known to the regulator
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<HiddenDanger> {
    std::vector<Value> params{id};
    auto row = c.query_one(std::string("SELECT ") + kColumns + kFrom + "h.id = ? AND " + who.scope.sql("e.region_code", "e.uscc", params),
                           params);
    if (!row.ok()) return row.error().code == "not_found" ? Result<HiddenDanger>(Error{"not_found", kNotFound, ""}) : row.take_error();
    HiddenDanger h = from_row(*row);
    const Snapshot before = snapshot(h);
    const Actor me = actor(who);
    if (!allowed(before, me, action))
      return Error::invalid_transition("隐患当前状态（" + h.state + "）下您不能执行 " + std::string(action), allowed_actions(before, me));
    if (h.version != version) return Error{"precondition_failed", "记录已被他人修改（当前版本 " + std::to_string(h.version) + "），请刷新后重试", ""};

    JsonFields f(fields);
    std::string note;
    json::object detail;
    bool accepted = true;
    const bool major = h.grade == "major";
    if (action == "plan") {
      // The 治理方案; for a 重大 one all that 第十五条 asks (DOMAIN.md §5).
      json::object plan;
      plan["measures"] = f.string("measures", true, 2000).value_or("");
      plan["responsible"] = f.string("responsible", true, 50).value_or("");
      if (f.has("funds_yuan")) plan["funds_yuan"] = f.number("funds_yuan", false, 0, 1e12).value_or(0);
      plan["materials"] = f.string("materials", false, 1000).value_or("");
      plan["safety_measures"] = f.string("safety_measures", major, 2000).value_or("");
      plan["goals"] = f.string("goals", major, 1000).value_or("");
      plan["organization"] = f.string("organization", major, 500).value_or("");
      plan["requirements"] = f.string("requirements", false, 1000).value_or("");
      plan["production_suspended"] = f.one_of("production_suspended", major, kSuspension).value_or("none");
      auto deadline = instant(f, "deadline", true);
      note = f.string("note", false, 2000).value_or("");
      ANJIAN_TRY(finish(f));
      if (*deadline <= h.found_at) return Error::invalid_field("deadline", "整改期限须晚于发现时间");
      plan["deadline"] = format_iso(*deadline);
      h.plan = plan;
      h.deadline = *deadline;
      detail = plan;
    } else if (action == "start") {
      note = f.string("note", false, 2000).value_or("");
      ANJIAN_TRY(finish(f));
    } else if (action == "rectify") {
      note = f.string("note", true, 2000).value_or("");
      ANJIAN_TRY(finish(f));
      h.rectified_by = who.user_id;
    } else if (action == "verify") {
      accepted = f.boolean("accepted", true).value_or(false);
      note = f.string("note", false, 2000).value_or("");
      ANJIAN_TRY(finish(f));
      if (!accepted && note.empty()) return Error::invalid_field("note", "验收不通过须说明原因");
      detail["accepted"] = accepted;
    } else if (action == "withdraw") {
      note = f.string("reason", true, 1000).value_or("");
      ANJIAN_TRY(finish(f));
    } else if (action == "supervise") {
      const std::string org_id = f.string("authority_org_id", true, 64).value_or("");
      const std::string number = f.string("number", true, 50).value_or("");
      const std::string requirements = f.string("requirements", true, 2000).value_or("");
      auto deadline = instant(f, "deadline", true);
      note = f.string("note", false, 2000).value_or("");
      ANJIAN_TRY(finish(f));
      // The supervising authority: a regulator (county, city or province) whose region holds the enterprise.
      auto org = identity_.get_org(auth::Scope::all(), org_id);
      if (!org.ok() || org->kind != "regulator" || org->level == "national" || !regions_.contains(org->region_code, h.region_code))
        return Error::invalid_field("authority_org_id", "督办单位须为企业所在的县、市或省级监管部门");
      if (*deadline <= now_ms()) return Error::invalid_field("deadline", "督办期限须晚于现在");
      h.supervised = true;
      h.authority_org_id = org->id;
      h.supervision = json::object{{"authority_org_id", org->id}, {"authority_name", org->name}, {"number", number},
                                   {"deadline", format_iso(*deadline)}, {"requirements", requirements}};
      h.deadline = *deadline;
      detail = h.supervision;
    } else if (action == "regrade") {
      const std::string grade = f.one_of("grade", true, kGrades).value_or("");
      note = f.string("reason", true, 1000).value_or("");
      ANJIAN_TRY(finish(f));
      if (grade == h.grade) return Error::invalid_field("grade", "等级未改变");
      detail = json::object{{"from", h.grade}, {"to", grade}};
      if (grade == "major") notice = "改判为";
      h.grade = grade;
    }
    auto files = files_of(who, h.enterprise_uscc, fields, "files");
    if (!files.ok()) return files.take_error();
    const std::string from = h.state;
    h.state = next_state(before, action, accepted);
    h.updated_at = now_ms();
    if (h.state == "closed" || h.state == "withdrawn") h.closed_at = h.updated_at;
    ANJIAN_TRY(c.exec("UPDATE hidden_dangers SET state = ?, grade = ?, plan = ?, deadline = ?, supervised = ?, supervision = ?, "
                      "authority_org_id = ?, rectified_by = ?, closed_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                      {h.state, h.grade, h.plan.empty() ? std::string() : json_text(h.plan), db::opt(h.deadline),
                       std::int64_t{h.supervised}, h.supervision.empty() ? std::string() : json_text(h.supervision), h.authority_org_id,
                       h.rectified_by, db::opt(h.closed_at), h.updated_at, h.id, version}));
    ANJIAN_TRY(c.exec("INSERT INTO hidden_danger_events (id, hidden_danger_id, action, from_state, to_state, actor, actor_name, at, note, "
                      "files, detail, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {new_id(), h.id, std::string(action), from, h.state, who.username, who.display_name, h.updated_at, note,
                       json_text(*files), json_text(detail), version + 1}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "hidden_danger." + std::string(action), "hidden_danger:" + h.id, h.region_code,
                                               h.enterprise_uscc, source,
                                               json_text(json::object{{"from", from}, {"to", h.state}, {"note", note}}))));
    if (!notice.empty()) ANJIAN_TRY(notifier_.notify_in(c, major_notice(h, notice)));
    ANJIAN_TRY(tally_move(c, {h.region_code, h.industry, h.found_at, before.grade}, tally_of(before.state, before.supervised),
                          {h.region_code, h.industry, h.found_at, h.grade}, tally_of(h.state, h.supervised)));
    h.version = version + 1;
    return h;
  });
  if (!done.ok()) return done.take_error();
  announce(*done, action);
  return get(who, id);
}

Result<size_t> Service::flag_overdue(Millis now, Millis report_general_after) {
  size_t sent = 0;
  std::vector<HiddenDanger> changed;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<size_t> {
    auto rows = c.query(std::string("SELECT ") + kColumns + ", h.overdue_notified_at IS NULL, h.overdue_reported_at IS NULL" + kFrom +
                            "h.deadline < ? AND h.state NOT IN ('closed', 'withdrawn') AND (h.overdue_notified_at IS NULL OR "
                            "(h.overdue_reported_at IS NULL AND (h.grade = 'major' OR h.deadline < ?)))",
                        {now, now - report_general_after});
    if (!rows.ok()) return rows.take_error();
    for (const auto& row : *rows) {
      HiddenDanger h = from_row(row);
      const std::string deadline = format_minute(*h.deadline);
      const std::string what = (h.grade == "major" ? "重大" : "一般") + std::string("事故隐患「") + h.description + "」";
      if (row.i64(kColumnCount) != 0) {
        notification::Notification n;
        n.region_code = h.region_code;
        n.to_enterprise = true;
        n.enterprise_uscc = h.enterprise_uscc;
        n.kind = "hidden_danger.overdue";
        n.title = "隐患整改逾期：" + h.description;
        n.body = what + "的整改期限 " + deadline + " 已过，尚未完成整改验收。";
        n.link = "/hidden-dangers/" + h.id;
        ANJIAN_TRY(notifier_.notify_in(c, n));
        ANJIAN_TRY(c.exec("UPDATE hidden_dangers SET overdue_notified_at = ? WHERE id = ?", {now, h.id}));
        ++sent;
      }
      if (row.i64(kColumnCount + 1) != 0 && (h.grade == "major" || *h.deadline < now - report_general_after)) {
        notification::Notification n;
        n.region_code = h.region_code;
        n.enterprise_uscc = h.enterprise_uscc;
        n.kind = "hidden_danger.overdue";
        n.title = "隐患整改逾期：" + h.enterprise_name;
        n.body = h.enterprise_name + "（" + h.enterprise_uscc + "）" + what + "的整改期限 " + deadline + " 已过，尚未完成整改验收。";
        n.link = "/hidden-dangers/" + h.id;
        ANJIAN_TRY(notifier_.notify_in(c, n));
        ANJIAN_TRY(c.exec("UPDATE hidden_dangers SET overdue_reported_at = ? WHERE id = ?", {now, h.id}));
        ++sent;
      }
      changed.push_back(std::move(h));
    }
    return sent;
  });
  if (done.ok() && on_change_)
    for (const auto& h : changed) on_change_(h, "overdue");  // the risk model counts overdue rectifications
  return done;
}

HiddenDanger danger_of_failed_item(const enterprise::Enterprise& ent, const ChecklistTemplate& tpl, const ChecklistItem& item,
                                   const ChecklistAnswer& answer, std::string found_by, std::string finder, Millis found_at) {
  HiddenDanger h;
  h.enterprise_uscc = ent.uscc;
  h.enterprise_name = ent.name;
  h.region_code = ent.region_code;
  h.industry = ent.industry;
  h.description = answer.note.empty() ? item.text : item.text + "：" + answer.note;
  h.place = answer.place;
  h.grade = item.major ? "major" : "general";
  h.found_by = std::move(found_by);
  h.finder = std::move(finder);
  h.found_at = found_at;
  h.standard = item.standard;
  h.standard_item = item.standard_item;
  if (item.major && item.standard.empty()) h.major_reason = "检查表「" + tpl.name + "」第 " + item.number + " 项列为重大事故隐患";
  h.checklist_item = item.number;
  return h;
}

}  // namespace anjian::hidden_danger
