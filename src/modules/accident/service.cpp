#include "modules/accident/service.h"

#include "auth/personal_data.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/accident/kind_rules.h"
#include "modules/enterprise/model.h"

namespace anjian::accident {
namespace json = boost::json;
using db::Value;

namespace {
constexpr std::int64_t kMaxPeople = 100'000;
constexpr std::int64_t kMaxLossYuan = 10'000'000'000'000;  // 10 万亿元: a typo, not an accident
constexpr const char* kColumns =
    "a.id, a.region_code, a.reported_by_region, a.enterprise_uscc, a.party_name, a.party_uscc, a.party_address, a.lon, a.lat, "
    "a.occurred_at, a.industry, a.kind, a.road_traffic, a.deaths, a.missing, a.serious_injuries, a.minor_injuries, a.direct_loss_yuan, "
    "a.endangered, a.trapped, a.evacuated, a.grade, a.criterion, a.provisional, a.larger_endangerment, a.late_report, a.description, "
    "a.measures, a.reporter_name, a.reporter_phone, a.stable_at, a.created_by, a.created_at, a.updated_at, a.version";

constexpr const char* kHopColumns =
    "seq, level, region_code, due_at, received_at, via, acknowledged_at, acknowledged_by, forwarded_at, skipped";
// A hop from kHopColumns read from column `at` on.
Hop hop_from(const db::Row& r, size_t at) {
  Hop h;
  h.seq = r.i64(at);
  (void)parse_level(r.str(at + 1), h.level);
  h.region_code = r.str(at + 2);
  h.due_at = r.i64(at + 3);
  h.received_at = r.opt_i64(at + 4);
  h.via = r.str(at + 5);
  h.acknowledged_at = r.opt_i64(at + 6);
  h.acknowledged_by = r.str(at + 7);
  h.forwarded_at = r.opt_i64(at + 8);
  h.skipped = r.i64(at + 9) != 0;
  return h;
}

// The same columns, unqualified, for the INSERT.
std::string insert_columns() {
  std::string out(kColumns);
  for (size_t at; (at = out.find("a.")) != std::string::npos;) out.erase(at, 2);
  return out;
}

Accident from_row(const db::Row& r) {
  Accident a;
  a.id = r.str(0);
  a.region_code = r.str(1);
  a.reported_by_region = r.str(2);
  a.enterprise_uscc = r.str(3);
  a.party_name = r.str(4);
  a.party_uscc = r.str(5);
  a.party_address = r.str(6);
  a.lon = r.opt_f64(7);
  a.lat = r.opt_f64(8);
  a.occurred_at = r.i64(9);
  a.industry = r.str(10);
  a.kind = r.str(11);
  a.road_traffic = r.i64(12) != 0;
  a.casualties = {r.i64(13), r.i64(14), r.i64(15), r.i64(17), r.i64(18), r.i64(19), r.i64(20)};
  a.minor_injuries = r.i64(16);
  (void)parse_grade(r.str(21), a.grade);
  a.criterion = r.str(22);
  a.provisional = r.i64(23) != 0;
  a.larger_endangerment = r.i64(24) != 0;
  a.late_report = r.i64(25) != 0;
  a.description = r.str(26);
  a.measures = r.str(27);
  a.reporter_name = r.str(28);
  a.reporter_phone = auth::PersonalData::instance().open(r.str(29));
  a.stable_at = r.opt_i64(30);
  a.created_by = r.str(31);
  a.created_at = r.i64(32);
  a.updated_at = r.i64(33);
  a.version = r.i64(34);
  return a;
}

// The casualty numbers a report or an update carries; `required` for a 快报.
void read_numbers(JsonFields& f, bool required, Casualties& c, std::int64_t* minor) {
  auto people = [&](std::string_view key, std::int64_t& into) {
    if (auto v = f.integer(key, required, 0, kMaxPeople)) into = *v;
  };
  people("deaths", c.deaths);
  people("missing", c.missing);
  people("serious_injuries", c.serious_injuries);
  if (minor) people("minor_injuries", *minor);
  // Yuan, whole: 1,234.5 万元 is 12345000, not 1234.5.
  if (auto v = f.integer("direct_loss_yuan", required, 0, kMaxLossYuan)) c.direct_loss_yuan = *v;
}

bool fire_or_road(const Accident& a) { return a.road_traffic || fire_kind(a.kind); }

std::string casualty_words(const Casualties& c, std::int64_t minor) {
  std::string s = "死亡 " + std::to_string(c.deaths) + " 人";
  if (c.missing) s += "，下落不明 " + std::to_string(c.missing) + " 人";
  s += "，重伤 " + std::to_string(c.serious_injuries) + " 人";
  if (minor) s += "，轻伤 " + std::to_string(minor) + " 人";
  return s;
}

Level level_of(const codes::Region& r) {
  switch (r.level) {
    case codes::RegionLevel::province: return Level::province;
    case codes::RegionLevel::city: return r.county_equivalent ? Level::county : Level::city;
    default: return Level::county;
  }
}

// The regulators' regions a report of this place may pass, lowest first: county, city, province,
// the nation ('').
std::vector<std::pair<Level, std::string>> chain_of(const codes::RegionTable& regions, const std::string& place) {
  std::vector<std::pair<Level, std::string>> out;
  const auto path = regions.path(place);
  for (auto it = path.rbegin(); it != path.rend(); ++it) out.push_back({level_of(**it), (*it)->code});
  // A county-equivalent city is its own county and city.
  out.push_back({Level::nation, ""});
  return out;
}
}  // namespace

json::object to_json(const Accident& a, Millis now, bool with_timeline) {
  const auto kind = find_kind(a.kind);
  const Grading g = a.grading();
  const Grade reporting = reporting_grade(g);
  json::array hops;
  for (const auto& h : a.hops)
    hops.push_back(json::object{{"seq", h.seq},
                                {"level", to_string(h.level)},
                                {"level_label", level_label(h.level)},
                                {"region_code", h.region_code},
                                {"org_id", h.org_id.empty() ? json::value(nullptr) : json::value(h.org_id)},
                                {"org_name", h.org_name},
                                {"due_at", format_iso(h.due_at)},
                                {"received_at", h.received_at ? json::value(format_iso(*h.received_at)) : json::value(nullptr)},
                                {"acknowledged_at", h.acknowledged_at ? json::value(format_iso(*h.acknowledged_at)) : json::value(nullptr)},
                                {"acknowledged_by", h.acknowledged_by},
                                {"forwarded_at", h.forwarded_at ? json::value(format_iso(*h.forwarded_at)) : json::value(nullptr)},
                                {"via", h.via},
                                {"skipped", h.skipped},
                                {"late", !h.skipped && hop_late(h.due_at, h.received_at, now)}});
  const std::int64_t accident_day = today_shanghai(a.occurred_at);
  std::vector<std::int64_t> follow_up_days;
  for (const auto& e : a.timeline)
    if (e.action == "follow_up") follow_up_days.push_back(today_shanghai(e.at));
  std::optional<std::int64_t> stable_day;
  if (a.stable_at) stable_day = today_shanghai(*a.stable_at);
  json::array missed;
  if (with_timeline)
    for (auto d : missed_follow_up_days(reporting, accident_day, stable_day, today_shanghai(now), follow_up_days)) missed.push_back(json::value(format_date(d)));
  json::object o{{"id", a.id},
                 {"region_code", a.region_code},
                 {"reported_by_region", a.reported_by_region},
                 {"enterprise_uscc", a.enterprise_uscc.empty() ? json::value(nullptr) : json::value(a.enterprise_uscc)},
                 {"party", json::object{{"name", a.party_name}, {"uscc", a.party_uscc}, {"address", a.party_address}}},
                 {"lon", a.lon ? json::value(*a.lon) : json::value(nullptr)},
                 {"lat", a.lat ? json::value(*a.lat) : json::value(nullptr)},
                 {"occurred_at", format_iso(a.occurred_at)},
                 {"industry", a.industry},
                 {"industry_label", enterprise::industry_label(a.industry)},
                 {"kind", kind ? kind->name : a.kind},
                 {"kind_code", a.kind},
                 {"road_traffic", a.road_traffic},
                 {"deaths", a.casualties.deaths},
                 {"missing", a.casualties.missing},
                 {"serious_injuries", a.casualties.serious_injuries},
                 {"minor_injuries", a.minor_injuries},
                 {"direct_loss_yuan", a.casualties.direct_loss_yuan},
                 {"endangered", a.casualties.endangered},
                 {"trapped", a.casualties.trapped},
                 {"evacuated", a.casualties.evacuated},
                 {"grade", to_string(a.grade)},
                 {"grade_label", grade_label(a.grade)},
                 {"criterion", a.criterion},
                 {"grade_reason", grade_reason(a.casualties, g)},
                 {"provisional", a.provisional},
                 {"larger_endangerment", a.larger_endangerment},
                 {"reported_as", to_string(reporting)},
                 {"late_report", a.late_report},
                 {"description", a.description},
                 {"measures", a.measures},
                 {"reporter", json::object{{"name", a.reporter_name}, {"phone", a.reporter_phone}}},
                 {"hops", std::move(hops)},
                 {"ringing", json::value_from(ringing(a))},
                 {"stable_at", a.stable_at ? json::value(format_iso(*a.stable_at)) : json::value(nullptr)},
                 {"supplement_until", format_date(accident_day + supplement_days(fire_or_road(a)))},
                 {"follow_ups_per_day", follow_ups_per_day(reporting)},
                 {"created_by", a.created_by},
                 {"created_at", format_iso(a.created_at)},
                 {"updated_at", format_iso(a.updated_at)},
                 {"version", a.version}};
  if (with_timeline) {
    json::array t;
    for (const auto& e : a.timeline)
      t.push_back(json::object{{"at", format_iso(e.at)}, {"action", e.action}, {"actor", e.actor}, {"actor_name", e.actor_name},
                               {"org_region", e.org_region}, {"detail", e.detail}});
    o["timeline"] = std::move(t);
    o["missed_follow_up_days"] = std::move(missed);
  }
  return o;
}

std::vector<std::string> ringing(const Accident& a) {
  std::vector<std::string> out;
  for (const auto& h : a.hops)
    if (h.received_at && !h.acknowledged_at) out.push_back(h.region_code);
  return out;
}

Result<Grading> AccidentService::grade_of(const json::object& fields, Casualties& c) {
  JsonFields f(fields);
  read_numbers(f, true, c, nullptr);
  for (auto [key, into] : {std::pair{"endangered", &c.endangered}, std::pair{"trapped", &c.trapped}, std::pair{"evacuated", &c.evacuated}})
    if (auto v = f.integer(key, false, 0, kMaxPeople)) *into = *v;
  ANJIAN_TRY(f.finish());
  return grade(c);
}

Result<Accident> AccidentService::report(const auth::Principal& who, const json::object& fields, std::string_view source) {
  const bool enterprise_user = who.org_kind == "enterprise";
  if (who.org_kind != "regulator" && !enterprise_user) return Error::forbidden("事故快报由企业或监管部门报告");
  const Millis now = now_ms();
  JsonFields f(fields);
  Accident a;
  a.enterprise_uscc = f.string("enterprise_uscc", false, 18).value_or("");
  if (const json::object* p = f.object("party", false)) {
    JsonFields g = f.child("party", *p);
    a.party_name = g.string("name", true, 200).value_or("");
    a.party_uscc = g.string("uscc", false, 18).value_or("");
    a.party_address = g.string("address", false, 300).value_or("");
    f.absorb(g);
  }
  // The place: given, or the enterprise's county.
  a.region_code = f.string("region_code", false, 6).value_or("");
  if (auto lon = f.number("lon", false, -180, 180)) a.lon = std::round(*lon * 1e6) / 1e6;
  if (auto lat = f.number("lat", false, -90, 90)) a.lat = std::round(*lat * 1e6) / 1e6;
  std::optional<Millis> occurred;
  if (auto t = f.string("occurred_at", true, 40)) {
    occurred = parse_instant(*t);
    if (!occurred) f.fail(Error::invalid_field("occurred_at", "事故发生时间须为带时区的时间，如 2026-11-30T18:58:00+08:00"));
  }
  a.industry = f.one_of("industry", true, enterprise::industries()).value_or("");
  if (auto k = f.string("kind", true, 20)) {
    if (auto kind = find_kind(*k)) a.kind = kind->code;
    else f.fail(Error::invalid_field("kind", "事故类别须为 GB 6441 的类别，如 坍塌、火灾、爆炸、中毒和窒息、高处坠落（或其代码 01–20）"));
  }
  a.road_traffic = f.boolean("road_traffic", false).value_or(false);
  read_numbers(f, true, a.casualties, &a.minor_injuries);
  for (auto [key, into] : {std::pair{"endangered", &a.casualties.endangered}, std::pair{"trapped", &a.casualties.trapped},
                           std::pair{"evacuated", &a.casualties.evacuated}})
    if (auto v = f.integer(key, false, 0, kMaxPeople)) *into = *v;
  a.description = f.string("description", false, 5000).value_or("");
  a.measures = f.string("measures", false, 5000).value_or("");
  if (const json::object* r = f.object("reporter", true)) {
    JsonFields g = f.child("reporter", *r);
    a.reporter_name = g.string("name", true, 50).value_or("");
    a.reporter_phone = g.string("phone", true, 30).value_or("");
    f.absorb(g);
  }
  ANJIAN_TRY(f.finish());
  if (a.description.empty()) return Error::invalid_field("description", "请写明事故简要经过");
  if (*occurred > now + 5 * 60'000) return Error::invalid_field("occurred_at", "事故发生时间不能晚于现在");
  a.occurred_at = *occurred;

  // The party: a registered enterprise in the caller's scope, or one named by the report.
  if (enterprise_user && a.enterprise_uscc.empty()) a.enterprise_uscc = who.uscc;
  if (!a.enterprise_uscc.empty()) {
    auto ent = enterprises_.get(who.scope, a.enterprise_uscc);
    if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
    a.party_name = ent->name;
    a.party_uscc = ent->uscc;
    if (a.party_address.empty()) a.party_address = ent->address.value_or("");
    if (a.region_code.empty()) a.region_code = ent->region_code;
    if (!a.lon && ent->lon) a.lon = ent->lon, a.lat = ent->lat;
  } else if (a.party_name.empty()) {
    return Error::invalid_field("party", "请给出事故单位：已登记企业的 enterprise_uscc，或 party 的名称和地址");
  }
  if (a.region_code.empty()) return Error::invalid_field("region_code", "请给出事故发生地（县级行政区划代码）");
  const codes::Region* place = regions_.find(a.region_code);
  if (!place || !regions_.is_enterprise_region(a.region_code))
    return Error::invalid_field("region_code", "事故发生地须为县级行政区划代码");
  // A regulator reports for places in its jurisdiction; an enterprise for its own accidents.
  if (!enterprise_user && !who.scope.sees(a.region_code)) return Error{"not_found", "事故发生地不在您的管辖范围内", "region_code"};

  const Grading g = grade(a.casualties);
  a.grade = g.grade;
  a.criterion = std::string(g.criterion);
  a.provisional = g.provisional;
  a.larger_endangerment = g.larger_endangerment;
  a.id = new_id();
  a.created_by = who.display_name.empty() ? who.username : who.display_name;
  a.created_at = a.updated_at = now;

  // The chain: from the level that has it now (the reporter's; an enterprise reports to the
  // county) up to the level its grade requires.
  const auto chain = chain_of(regions_, a.region_code);
  size_t start = 0;
  if (!enterprise_user) {
    const std::string mine = who.org_level == "national" ? std::string() : who.region_code;
    for (size_t i = 0; i < chain.size(); ++i)
      if (chain[i].second == mine) start = i;
  }
  a.reported_by_region = chain[start].second;
  const Level top = top_level(reporting_grade(g));
  for (size_t i = start; i < chain.size(); ++i) {
    if (i > start && chain[i].first > top) break;
    Hop h;
    h.seq = static_cast<std::int64_t>(a.hops.size()) + 1;
    h.level = chain[i].first;
    h.region_code = chain[i].second;
    a.hops.push_back(std::move(h));
  }
  for (size_t i = 0; i < a.hops.size(); ++i) {
    std::optional<Millis> below;
    if (i > 0) below = a.hops[i - 1].received_at.value_or(a.hops[i - 1].due_at);
    a.hops[i].due_at = hop_due(a.hops[i].level, i == 0, reporting_grade(g), a.occurred_at, below);
  }
  // 迟报: it reached the first regulator after the hour — kept, never refused (瞒报、迟报 must be on record).
  a.late_report = now > a.hops[0].due_at;

  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec("INSERT INTO accidents (" + insert_columns() + ") VALUES (" + db::placeholders(35) + ")",
                      {a.id, a.region_code, a.reported_by_region, a.enterprise_uscc, a.party_name, a.party_uscc, a.party_address, db::opt(a.lon),
                       db::opt(a.lat), a.occurred_at, a.industry, a.kind, std::int64_t{a.road_traffic}, a.casualties.deaths, a.casualties.missing,
                       a.casualties.serious_injuries, a.minor_injuries, a.casualties.direct_loss_yuan, a.casualties.endangered, a.casualties.trapped,
                       a.casualties.evacuated, std::string(to_string(a.grade)), a.criterion, std::int64_t{a.provisional},
                       std::int64_t{a.larger_endangerment}, std::int64_t{a.late_report}, a.description, a.measures, a.reporter_name,
                       auth::PersonalData::instance().seal(a.reporter_phone), db::opt(a.stable_at), a.created_by, a.created_at, a.updated_at, a.version}));
    ANJIAN_TRY(add_event(c, a, who, now, "reported",
                         json::object{{"grade", to_string(a.grade)}, {"casualties", casualty_words(a.casualties, a.minor_injuries)},
                                      {"late_report", a.late_report}}));
    ANJIAN_TRY(receive(c, a, 0, now, "report"));
    // A regulator's report is its own level's 上报: taken by the reporter and sent on at once.
    if (!enterprise_user) {
      a.hops[0].acknowledged_at = now;
      a.hops[0].acknowledged_by = a.created_by;
      if (a.hops.size() > 1 && !a.hops[1].received_at) {
        a.hops[0].forwarded_at = now;
        ANJIAN_TRY(receive(c, a, 1, now, "forward"));
      }
    }
    ANJIAN_TRY(direct_to_province(c, a, now));
    ANJIAN_TRY(save_hops(c, a));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "accident.report", "accident:" + a.id, a.region_code, a.enterprise_uscc, source,
                                               json_text(json::object{{"grade", to_string(a.grade)}, {"party", a.party_name}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  changed(a, "reported");
  return a;
}

// A hop gets the report at `at`: its duty room is told (inbox; the stream after commit), and with
// auto_forward the next level gets it at once.
Status AccidentService::receive(db::Connection& c, Accident& a, size_t i, Millis at, std::string via) {
  Hop& h = a.hops[i];
  h.received_at = at;
  h.via = std::move(via);
  h.skipped = false;
  // The levels above count their 2 hours from now.
  for (size_t k = i + 1; k < a.hops.size(); ++k)
    if (!a.hops[k].received_at)
      a.hops[k].due_at = hop_due(a.hops[k].level, false, reporting_grade(a.grading()), a.occurred_at,
                                 a.hops[k - 1].received_at.value_or(a.hops[k - 1].due_at));
  const auto kind = find_kind(a.kind);
  notification::Notification n;
  n.region_code = h.region_code;
  n.kind = "accident.received";
  n.title = std::string("事故信息：") + a.party_name + (kind ? kind->name : "") + "（" + std::string(grade_label(a.grade)) + "）";
  n.body = format_minute(a.occurred_at) + " 发生，" + casualty_words(a.casualties, a.minor_injuries) + "。请值班人员立即接收，并于 " +
           (i + 1 < a.hops.size() ? format_minute(a.hops[i + 1].due_at) + " 前报送" + std::string(level_label(a.hops[i + 1].level)) : std::string("规定时间内处置")) + "。";
  n.enterprise_uscc = a.enterprise_uscc;
  n.link = "/accidents/" + a.id;
  ANJIAN_TRY(notifier_.notify_in(c, std::move(n)));
  if (auto_forward_ && i + 1 < a.hops.size() && !a.hops[i + 1].received_at) {
    h.forwarded_at = at;
    return receive(c, a, i + 1, at, "auto");
  }
  return {};
}

// 较大 and above also go straight to the province (21号令: the enterprise reports to the province
// within 1 hour), whatever the levels between have done.
Status AccidentService::direct_to_province(db::Connection& c, Accident& a, Millis at) {
  if (reporting_grade(a.grading()) < Grade::larger) return {};
  for (size_t i = 1; i < a.hops.size(); ++i)
    if (a.hops[i].level == Level::province && !a.hops[i].received_at) return receive(c, a, i, at, "direct");
  return {};
}

Status AccidentService::save_hops(db::Connection& c, const Accident& a) {
  ANJIAN_TRY(c.exec("DELETE FROM accident_hops WHERE accident_id = ?", {a.id}));
  for (const auto& h : a.hops)
    ANJIAN_TRY(c.exec("INSERT INTO accident_hops (accident_id, seq, level, region_code, due_at, received_at, via, acknowledged_at, "
                      "acknowledged_by, forwarded_at, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {a.id, h.seq, std::string(to_string(h.level)), h.region_code, h.due_at, db::opt(h.received_at), h.via,
                       db::opt(h.acknowledged_at), h.acknowledged_by, db::opt(h.forwarded_at), std::int64_t{h.skipped}}));
  return {};
}

Status AccidentService::add_event(db::Connection& c, Accident& a, const auth::Principal& who, Millis at, std::string action, json::object detail) {
  auto n = c.query_one("SELECT COUNT(*) FROM accident_events WHERE accident_id = ?", {a.id});
  if (!n.ok()) return n.take_error();
  TimelineEntry e{n->i64(0) + 1, at, std::move(action), who.username, who.display_name.empty() ? who.username : who.display_name,
                  who.org_level == "national" ? std::string() : who.region_code, std::move(detail)};
  ANJIAN_TRY(c.exec("INSERT INTO accident_events (accident_id, seq, at, action, actor, actor_name, org_region, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    {a.id, e.seq, e.at, e.action, e.actor, e.actor_name, e.org_region, json_text(e.detail)}));
  a.timeline.push_back(std::move(e));
  return {};
}

Result<Accident> AccidentService::load(db::Connection& c, const std::string& id) {
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM accidents a WHERE a.id = ?", {id});
  if (!row.ok()) return row.take_error();
  Accident a = from_row(*row);
  auto hops = c.query(std::string("SELECT ") + kHopColumns + " FROM accident_hops WHERE accident_id = ? ORDER BY seq", {id});
  if (!hops.ok()) return hops.take_error();
  for (const auto& r : *hops) a.hops.push_back(hop_from(r, 0));
  auto events = c.query("SELECT seq, at, action, actor, actor_name, org_region, detail FROM accident_events WHERE accident_id = ? ORDER BY seq", {id});
  if (!events.ok()) return events.take_error();
  for (const auto& r : *events)
    a.timeline.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), object_of_text(r.str(6))});
  return a;
}

// A report the caller may see; outside their visibility it does not exist.
Result<Accident> AccidentService::load_visible(db::Connection& c, const auth::Principal& who, const std::string& id) {
  auto a = load(c, id);
  if (!a.ok() && a.error().code != "not_found") return a.take_error();
  if (!a.ok() || !who.scope.sees(a->region_code, a->enterprise_uscc)) return Error::not_found("事故报告不存在或不在您的管辖范围内");
  return a;
}

Status AccidentService::fill_orgs(db::Connection& c, std::vector<Accident*> list) {
  std::vector<std::string> regions;
  for (const auto* a : list)
    for (const auto& h : a->hops) regions.push_back(h.region_code);
  std::sort(regions.begin(), regions.end());
  regions.erase(std::unique(regions.begin(), regions.end()), regions.end());
  auto orgs = identity_.regulators_at(c, regions);
  if (!orgs.ok()) return orgs.take_error();
  for (auto* a : list)
    for (auto& h : a->hops)
      if (auto it = orgs->find(h.region_code); it != orgs->end()) h.org_id = it->second.id, h.org_name = it->second.name;
  return {};
}

Result<Accident> AccidentService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto a = load_visible(**r, who, id);
  if (!a.ok()) return a.take_error();
  ANJIAN_TRY(fill_orgs(**r, {&*a}));
  return a;
}

Result<Page> AccidentService::list(const auth::Principal& who, const Filter& f) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  std::string where = who.scope.sql("a.region_code", "a.enterprise_uscc", params);
  if (f.region_code) {
    if (!regions_.find(*f.region_code)) return Error::invalid_field("region_code", "未知的行政区划代码");
    const auto range = regions_.subtree(*f.region_code);
    where += " AND a.region_code >= ? AND a.region_code < ?";
    params.emplace_back(range.lo);
    params.emplace_back(range.hi);
  }
  if (f.grade) {
    where += " AND a.grade = ?";
    params.emplace_back(*f.grade);
  }
  if (f.enterprise_uscc) {
    where += " AND a.enterprise_uscc = ?";
    params.emplace_back(*f.enterprise_uscc);
  }
  if (f.from) {
    where += " AND a.occurred_at >= ?";
    params.emplace_back(*f.from);
  }
  if (f.to) {
    where += " AND a.occurred_at < ?";
    params.emplace_back(*f.to);
  }
  if (f.pending) {
    // Waiting for the caller's org: arrived and not taken, or taken and not sent on while a level
    // above still lacks it.
    if (who.org_kind != "regulator") return Page{};
    const std::string mine = who.org_level == "national" ? std::string() : who.region_code;
    where += " AND EXISTS (SELECT 1 FROM accident_hops h WHERE h.accident_id = a.id AND h.region_code = ? AND h.received_at IS NOT NULL "
             "AND (h.acknowledged_at IS NULL OR (h.forwarded_at IS NULL AND EXISTS (SELECT 1 FROM accident_hops u WHERE "
             "u.accident_id = a.id AND u.seq > h.seq AND u.received_at IS NULL AND u.skipped = 0))))";
    params.emplace_back(mine);
  }
  auto total = (*r)->query_one("SELECT COUNT(*) FROM accidents a WHERE " + where, params);
  if (!total.ok()) return total.take_error();
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM accidents a WHERE " + where +
                              " ORDER BY a.occurred_at DESC, a.id LIMIT ? OFFSET ?", params);
  if (!rows.ok()) return rows.take_error();
  Page page;
  page.total = total->i64(0);
  std::vector<Value> ids;
  for (const auto& row : *rows) {
    page.items.push_back(from_row(row));
    ids.emplace_back(page.items.back().id);
  }
  if (!ids.empty()) {
    // The page's hops in one query.
    auto hops = (*r)->query(std::string("SELECT accident_id, ") + kHopColumns + " FROM accident_hops WHERE accident_id IN (" +
                                db::placeholders(ids.size()) + ") ORDER BY accident_id, seq",
                            ids);
    if (!hops.ok()) return hops.take_error();
    std::map<std::string, Accident*> by_id;
    for (auto& a : page.items) by_id[a.id] = &a;
    for (const auto& row : *hops)
      if (auto it = by_id.find(row.str(0)); it != by_id.end()) it->second->hops.push_back(hop_from(row, 1));
    std::vector<Accident*> all;
    for (auto& a : page.items) all.push_back(&a);
    ANJIAN_TRY(fill_orgs(**r, all));
  }
  return page;
}

Result<Accident> AccidentService::acknowledge(const auth::Principal& who, const std::string& id, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("由监管部门值班人员接收");
  const std::string mine = who.org_level == "national" ? std::string() : who.region_code;
  Accident out;
  bool taken = false;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto a = load_visible(c, who, id);
    if (!a.ok()) return a.take_error();
    auto hop = std::find_if(a->hops.begin(), a->hops.end(), [&](const Hop& h) { return h.region_code == mine && h.received_at; });
    if (hop == a->hops.end()) return Error::forbidden("该事故报告没有报送到本单位，不能接收");
    if (!hop->acknowledged_at) {
      const Millis now = now_ms();
      hop->acknowledged_at = now;
      hop->acknowledged_by = who.display_name.empty() ? who.username : who.display_name;
      ANJIAN_TRY(c.exec("UPDATE accident_hops SET acknowledged_at = ?, acknowledged_by = ? WHERE accident_id = ? AND seq = ?",
                        {now, hop->acknowledged_by, a->id, hop->seq}));
      ANJIAN_TRY(add_event(c, *a, who, now, "acknowledged",
                           json::object{{"level", to_string(hop->level)}, {"after_s", (now - *hop->received_at) / 1000}}));
      ANJIAN_TRY(audit_.record_in(c, audit_event(who, "accident.acknowledge", "accident:" + a->id, a->region_code, a->enterprise_uscc, source, "{}")));
      taken = true;
    }
    out = std::move(*a);
    return true;
  });
  if (!done.ok()) return done.take_error();
  auto r = db_.read();
  if (r.ok()) ANJIAN_TRY(fill_orgs(**r, {&out}));
  if (taken) changed(out, "acknowledged");
  return out;
}

Result<Accident> AccidentService::forward(const auth::Principal& who, const std::string& id, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("由监管部门值班人员报送");
  JsonFields f(fields);
  std::optional<Level> to;
  if (auto l = f.one_of("to_level", false, {"city", "province", "nation"})) {
    Level v;
    (void)parse_level(*l, v);
    to = v;
  }
  const std::string note = f.string("note", false, 1000).value_or("");
  ANJIAN_TRY(f.finish());
  const std::string mine = who.org_level == "national" ? std::string() : who.region_code;
  Accident out;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto a = load_visible(c, who, id);
    if (!a.ok()) return a.take_error();
    auto from = std::find_if(a->hops.begin(), a->hops.end(), [&](const Hop& h) { return h.region_code == mine && h.received_at; });
    if (from == a->hops.end()) return Error::forbidden("该事故报告没有报送到本单位，不能由本单位上报");
    if (from->forwarded_at) return Error::conflict("本单位已于 " + format_minute(*from->forwarded_at) + " 上报");
    const size_t i = static_cast<size_t>(from - a->hops.begin());
    size_t target = i + 1;
    if (to) {
      while (target < a->hops.size() && a->hops[target].level != *to) ++target;
      if (target == a->hops.size()) return Error::invalid_field("to_level", "该事故按等级不需报送" + std::string(level_label(*to)) + "，或该级在本单位之下");
    }
    if (target >= a->hops.size()) return Error::conflict("本单位已是该事故须报送的最高一级");
    const Millis now = now_ms();
    a->hops[i].forwarded_at = now;
    json::array skipped;
    for (size_t k = i + 1; k < target; ++k)
      if (!a->hops[k].received_at) {
        a->hops[k].skipped = true;
        skipped.push_back(json::value(to_string(a->hops[k].level)));
      }
    // A level that has it already (the province, by the direct line) keeps its first receipt.
    if (!a->hops[target].received_at) ANJIAN_TRY(receive(c, *a, target, now, "forward"));
    ANJIAN_TRY(save_hops(c, *a));
    ANJIAN_TRY(add_event(c, *a, who, now, "forwarded",
                         json::object{{"to", to_string(a->hops[target].level)}, {"skipped", std::move(skipped)}, {"note", note}}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "accident.forward", "accident:" + a->id, a->region_code, a->enterprise_uscc, source,
                                               json_text(json::object{{"to", to_string(a->hops[target].level)}}))));
    out = std::move(*a);
    return true;
  });
  if (!done.ok()) return done.take_error();
  auto r = db_.read();
  if (r.ok()) ANJIAN_TRY(fill_orgs(**r, {&out}));
  changed(out, "forwarded");
  return out;
}

Result<Accident> AccidentService::update(const auth::Principal& who, const std::string& id, const json::object& fields, std::string_view source) {
  JsonFields f(fields);
  const std::string kind = f.one_of("kind", true, {"follow_up", "supplement"}).value_or("");
  Casualties numbers;
  std::int64_t minor = -1;
  // Only what is given changes: read into sentinels.
  numbers = {-1, -1, -1, -1, 0, 0, 0};
  read_numbers(f, false, numbers, &minor);
  const std::string note = f.string("note", true, 5000).value_or("");
  const bool stable = f.boolean("stable", false).value_or(false);
  ANJIAN_TRY(f.finish());
  const bool changes_numbers = numbers.deaths >= 0 || numbers.missing >= 0 || numbers.serious_injuries >= 0 || numbers.direct_loss_yuan >= 0 || minor >= 0;
  if (kind == "supplement" && !changes_numbers) return Error::invalid_field("deaths", "补报须给出变化后的伤亡人数或直接经济损失");
  Accident out;
  std::string what = kind;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto a = load_visible(c, who, id);
    if (!a.ok()) return a.take_error();
    if (who.org_kind != "regulator" && !(who.org_kind == "enterprise" && who.uscc == a->enterprise_uscc))
      return Error::forbidden("由事故单位或监管部门续报");
    const Millis now = now_ms();
    if (changes_numbers && !supplement_open(today_shanghai(a->occurred_at), today_shanghai(now), fire_or_road(*a))) {
      const int days = supplement_days(fire_or_road(*a));
      return Error{"supplement_window_closed",
                   "伤亡人数的变化须在事故发生之日起 " + std::to_string(days) + " 日内补报（" + (days == 7 ? "道路交通、火灾事故 7 日" : "其他事故 30 日") +
                       "），本事故的补报期限至 " + format_date(today_shanghai(a->occurred_at) + days) + "，已过",
                   "deaths"};
    }
    const Casualties before = a->casualties;
    const std::int64_t minor_before = a->minor_injuries;
    if (numbers.deaths >= 0) a->casualties.deaths = numbers.deaths;
    if (numbers.missing >= 0) a->casualties.missing = numbers.missing;
    if (numbers.serious_injuries >= 0) a->casualties.serious_injuries = numbers.serious_injuries;
    if (numbers.direct_loss_yuan >= 0) a->casualties.direct_loss_yuan = numbers.direct_loss_yuan;
    if (minor >= 0) a->minor_injuries = minor;
    json::object detail{{"note", note}};
    if (changes_numbers)
      detail["casualties"] = json::object{{"before", casualty_words(before, minor_before)}, {"after", casualty_words(a->casualties, a->minor_injuries)}};
    ANJIAN_TRY(add_event(c, *a, who, now, kind, detail));
    const Grade old_reporting = reporting_grade(a->grading());
    const Grade old_grade = a->grade;
    const Grading g = grade(a->casualties);
    a->grade = g.grade;
    a->criterion = std::string(g.criterion);
    a->provisional = g.provisional;
    a->larger_endangerment = g.larger_endangerment || a->larger_endangerment;
    if (a->grade != old_grade) {
      ANJIAN_TRY(add_event(c, *a, who, now, "regraded", json::object{{"from", to_string(old_grade)}, {"to", to_string(a->grade)}}));
      what = "regraded";
    }
    // A higher grade goes further: the chain gets the levels it now needs, due from now.
    const Grade reporting = reporting_grade(a->grading());
    if (reporting > old_reporting) {
      const auto chain = chain_of(regions_, a->region_code);
      const Level top = top_level(reporting);
      for (const auto& [level, region] : chain) {
        if (level > top || level <= a->hops.back().level) continue;
        Hop h;
        h.seq = a->hops.back().seq + 1;
        h.level = level;
        h.region_code = region;
        h.due_at = now + (level == Level::province && reporting >= Grade::larger ? kProvinceDirectMs : kHopMs);
        a->hops.push_back(std::move(h));
      }
      // The highest level that has it must send it on now; the province hears of it directly.
      for (size_t k = 0; k + 1 < a->hops.size(); ++k)
        if (a->hops[k].received_at && a->hops[k].forwarded_at && !a->hops[k + 1].received_at && !a->hops[k + 1].skipped) a->hops[k].forwarded_at.reset();
      ANJIAN_TRY(direct_to_province(c, *a, now));
      for (size_t k = 0; k < a->hops.size(); ++k)
        if (auto_forward_ && a->hops[k].received_at && k + 1 < a->hops.size() && !a->hops[k + 1].received_at) {
          a->hops[k].forwarded_at = now;
          ANJIAN_TRY(receive(c, *a, k + 1, now, "auto"));
          break;
        }
    }
    if (stable && !a->stable_at) {
      a->stable_at = now;
      ANJIAN_TRY(add_event(c, *a, who, now, "stable", json::object{}));
    }
    a->updated_at = now;
    ANJIAN_TRY(c.exec("UPDATE accidents SET deaths = ?, missing = ?, serious_injuries = ?, minor_injuries = ?, direct_loss_yuan = ?, grade = ?, "
                      "criterion = ?, provisional = ?, larger_endangerment = ?, stable_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                      {a->casualties.deaths, a->casualties.missing, a->casualties.serious_injuries, a->minor_injuries, a->casualties.direct_loss_yuan,
                       std::string(to_string(a->grade)), a->criterion, std::int64_t{a->provisional}, std::int64_t{a->larger_endangerment},
                       db::opt(a->stable_at), now, a->id}));
    ++a->version;
    ANJIAN_TRY(save_hops(c, *a));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "accident." + kind, "accident:" + a->id, a->region_code, a->enterprise_uscc, source,
                                               json_text(detail))));
    out = std::move(*a);
    return true;
  });
  if (!done.ok()) return done.take_error();
  auto r = db_.read();
  if (r.ok()) ANJIAN_TRY(fill_orgs(**r, {&out}));
  changed(out, what);
  return out;
}

Result<std::vector<AccidentService::HopTally>> AccidentService::late_hops(const auth::Principal& who, std::optional<Millis> from,
                                                                          std::optional<Millis> to) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{now_ms()};
  std::string where = who.scope.sql("a.region_code", "a.enterprise_uscc", params);
  if (from) {
    where += " AND a.occurred_at >= ?";
    params.emplace_back(*from);
  }
  if (to) {
    where += " AND a.occurred_at < ?";
    params.emplace_back(*to);
  }
  auto rows = (*r)->query("SELECT h.region_code, h.level, COUNT(*), SUM(CASE WHEN (h.received_at IS NOT NULL AND h.received_at > h.due_at) OR "
                          "(h.received_at IS NULL AND h.skipped = 0 AND h.due_at < ?) THEN 1 ELSE 0 END) FROM accident_hops h "
                          "JOIN accidents a ON a.id = h.accident_id WHERE " + where + " GROUP BY h.region_code, h.level ORDER BY h.region_code",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<HopTally> out;
  std::vector<std::string> regions;
  for (const auto& row : *rows) {
    HopTally t;
    t.region_code = row.str(0);
    (void)parse_level(row.str(1), t.level);
    t.hops = row.i64(2);
    t.late = row.i64(3);
    regions.push_back(t.region_code);
    out.push_back(std::move(t));
  }
  auto orgs = identity_.regulators_at(**r, regions);
  if (!orgs.ok()) return orgs.take_error();
  for (auto& t : out)
    if (auto it = orgs->find(t.region_code); it != orgs->end()) t.org_name = it->second.name;
  return out;
}

void AccidentService::changed(const Accident& a, std::string_view what) {
  for (const auto& l : listeners_) l(a, what);
}

}  // namespace anjian::accident
