#include "app/demo_emergency.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "app/demo_principal.h"

namespace anjian::app {
namespace json = boost::json;

Result<size_t> generate_demo_resources(App& app) {
  auto dir = demo_directory(app);
  if (!dir.ok()) return dir.take_error();
  const auto& orgs = dir->orgs;
  const std::vector<auth::User>* users = &dir->users;
  const char* team_kinds[] = {"hazchem", "fire", "mine", "medical", "power", "construction"};
  const char* team_names[] = {"危险化学品应急救援队", "消防救援站", "矿山救护队", "医疗急救队", "电力抢修队", "工程抢险队"};
  const char* fields[] = {"危险化学品", "矿山安全", "消防", "安全管理"};
  size_t made = 0, n = 0, org_index = 0;
  for (const auto& u : *users) {
    const auto& org = orgs.at(u.org_id);
    // One officer of each county and city registers its resources.
    if (org.kind != "regulator" || (org.level != "county" && org.level != "city") || std::find(u.roles.begin(), u.roles.end(), "inspector") == u.roles.end() ||
        u.username.ends_with("2"))
      continue;
    const auth::Principal who = principal_of(app, u, orgs);
    std::vector<std::pair<double, double>> anchors;
    {
      auto r = app.db().read();
      if (!r.ok()) return r.take_error();
      std::vector<db::Value> params;
      auto rows = (*r)->query("SELECT lon, lat FROM enterprises WHERE " + who.scope.sql("region_code", "uscc", params) +
                                  " AND lon IS NOT NULL ORDER BY id LIMIT 6", params);
      if (!rows.ok()) return rows.take_error();
      for (const auto& row : *rows) anchors.push_back({row.f64(0), row.f64(1)});
    }
    if (anchors.empty()) continue;
    const std::string short_name = org.name.substr(0, org.name.find("应急管理"));
    auto add = [&](json::object body) -> Status {
      const auto& [lon, lat] = anchors[n % anchors.size()];
      const double dx = static_cast<double>(static_cast<int>(n * 37 % 21) - 10) * 0.003, dy = static_cast<double>(static_cast<int>(n * 53 % 21) - 10) * 0.003;
      ++n;
      body["region_code"] = org.region_code;
      body["lon"] = lon + dx;
      body["lat"] = lat + dy;
      body["contact"] = json::object{{"name", "值班室"}, {"phone", fmt::format("0571-8{:07d}", n)}};
      auto r = app.resources().create(who, body, "demo");
      if (!r.ok()) return r.take_error();
      ++made;
      return {};
    };
    const int teams = org.level == "city" ? 4 : 3;
    const size_t first = org_index++;
    for (int i = 0; i < teams; ++i) {
      const size_t k = (first + static_cast<size_t>(i)) % 6;  // distinct kinds, every kind somewhere
      ANJIAN_TRY(add({{"kind", "rescue_team"}, {"name", short_name + team_names[k]}, {"team_kind", team_kinds[k]}, {"members", 20 + static_cast<int>(n % 40)},
                      {"equipment", "抢险救援车、空气呼吸器、气体检测仪"}}));
    }
    ANJIAN_TRY(add({{"kind", "expert"}, {"name", fmt::format("{}专家{}", short_name, n)}, {"field", fields[n % 4]}, {"title", "高级工程师"}}));
    ANJIAN_TRY(add({{"kind", "depot"}, {"name", short_name + "应急物资储备库"},
                    {"materials", json::array{json::object{{"item", "防化服"}, {"quantity", 200}, {"unit", "套"}},
                                              json::object{{"item", "吸附棉"}, {"quantity", 5}, {"unit", "吨"}},
                                              json::object{{"item", "移动式照明灯"}, {"quantity", 30}, {"unit", "台"}}}}}));
    if (org.level == "city") {
      ANJIAN_TRY(add({{"kind", "hospital"}, {"name", short_name + "第一人民医院"}, {"beds", 1200}}));
      ANJIAN_TRY(add({{"kind", "shelter"}, {"name", short_name + "中心公园应急避难场所"}, {"capacity", 20'000}}));
    }
  }
  return made;
}

Result<size_t> generate_demo_rosters(App& app) {
  auto dir = demo_directory(app);
  if (!dir.ok()) return dir.take_error();
  const auto& orgs = dir->orgs;
  const std::vector<auth::User>* users = &dir->users;
  std::map<std::string, std::vector<const auth::User*>> by_org;
  for (const auto& u : *users)
    if (orgs.at(u.org_id).kind == "regulator" && orgs.at(u.org_id).regulator_kind != "member_department" && !orgs.at(u.org_id).region_code.empty() &&
        !u.disabled)  // a member department keeps no work-safety duty room
      by_org[u.org_id].push_back(&u);
  const std::int64_t today = today_shanghai(now_ms());
  const std::string this_month = format_date(today).substr(0, 7), next_month = format_date(today + 32 - std::stoi(format_date(today).substr(8))).substr(0, 7);
  size_t made = 0;
  for (const auto& [org_id, people] : by_org) {
    json::array officers, leaders;
    const auth::User* someone = people.front();
    for (const auto* u : people) {
      const bool lead = std::find(u->roles.begin(), u->roles.end(), "leader") != u->roles.end() ||
                        std::find(u->roles.begin(), u->roles.end(), "admin") != u->roles.end();
      (lead ? leaders : officers).emplace_back(u->id);
      if (!lead) someone = u;
    }
    if (officers.empty()) officers = leaders;
    if (leaders.empty()) leaders = officers;
    const auth::Principal who = principal_of(app, *someone, orgs);
    for (const auto& month : {this_month, next_month}) {
      auto n = app.duty().generate(who,
                                   {{"month", month},
                                    {"shifts", json::array{json::object{{"name", "白班"}, {"start", "08:30"}, {"end", "17:30"}},
                                                           json::object{{"name", "夜班"}, {"start", "17:30"}, {"end", "08:30"}}}},
                                    {"officers", officers}, {"leaders", leaders}, {"phone", fmt::format("0571-8{:07d}", 1000 + made)}, {"replace", true}},
                                   "demo");
      if (!n.ok()) return n.take_error();
      made += static_cast<size_t>(*n);
    }
  }
  return made;
}

}  // namespace anjian::app

namespace anjian::app {

Result<size_t> generate_demo_plans_and_drill(App& app) {
  auto dir = demo_directory(app);
  if (!dir.ok()) return dir.take_error();
  const auto& orgs = dir->orgs;
  size_t made = 0;
  bool drilled = false;
  const std::int64_t today = today_shanghai(now_ms());
  for (const auto& u : dir->users) {
    const auto& org = orgs.at(u.org_id);
    if (org.kind != "regulator" || (org.level != "county" && org.level != "city") || std::find(u.roles.begin(), u.roles.end(), "inspector") == u.roles.end() ||
        u.username.ends_with("2"))
      continue;
    const auth::Principal who = principal_of(app, u, orgs);
    const std::string place = org.name.substr(0, org.name.find("应急管理"));
    // The government's plans: a city's overall plan, a county's for hazardous chemicals.
    json::object gov = org.level == "city"
                           ? json::object{{"owner", "government"}, {"region_code", org.region_code}, {"name", place + "生产安全事故总体应急预案"},
                                          {"level", "overall"}, {"scenarios", json::array{"其他"}}, {"issued_on", format_date(today - 700)}}
                           : json::object{{"owner", "government"}, {"region_code", org.region_code}, {"name", place + "危险化学品事故应急预案"},
                                          {"level", "special"}, {"scenarios", json::array{"中毒和窒息", "火灾", "其他爆炸", "容器爆炸"}},
                                          {"issued_on", format_date(today - 400)}};
    auto g = app.emergency_plans().create(who, gov, "demo");
    if (!g.ok()) return g.take_error();
    ++made;
    if (org.level != "county") continue;
    // The county's first enterprises' own plans: a comprehensive one, filed; the second one's
    // last reviewed more than three years ago (overdue).
    std::vector<std::pair<std::string, std::pair<double, double>>> firms;
    {
      auto r = app.db().read();
      if (!r.ok()) return r.take_error();
      auto rows = (*r)->query("SELECT uscc, lon, lat FROM enterprises WHERE region_code = ? AND lon IS NOT NULL ORDER BY id LIMIT 3", {org.region_code});
      if (!rows.ok()) return rows.take_error();
      for (const auto& row : *rows) firms.push_back({row.str(0), {row.f64(1), row.f64(2)}});
    }
    for (size_t i = 0; i < firms.size(); ++i) {
      auto p = app.emergency_plans().create(who,
                                            {{"owner", "enterprise"}, {"enterprise_uscc", firms[i].first}, {"name", "生产安全事故综合应急预案"},
                                             {"level", "comprehensive"}, {"scenarios", json::array{"火灾", "中毒和窒息", "其他爆炸", "灼烫"}},
                                             {"issued_on", format_date(today - (i == 1 ? 1300 : 500 + static_cast<std::int64_t>(i) * 30))}},
                                            "demo");
      if (!p.ok()) return p.take_error();
      ++made;
      if (i != 1) {
        auto f = app.emergency_plans().file(who, p->id, {{"filing_number", fmt::format("{}应急预备〔{}〕{}号", place.substr(0, 6), today / 365 + 1970, 10 + made)}}, "demo");
        if (!f.ok()) return f.take_error();
      }
    }
    // The first county runs a drill now: a leak at its first enterprise, the nearest hazchem team on its way.
    if (!drilled && !firms.empty()) {
      drilled = true;
      const auto& [lon, lat] = firms.front().second;
      auto i = app.incidents().open(who, {{"title", place + "危险化学品泄漏事故应急演练"}, {"enterprise_uscc", firms.front().first}, {"lon", lon},
                                          {"lat", lat}, {"drill", true}},
                                    "demo");
      if (!i.ok()) return i.take_error();
      (void)app.incidents().note(who, i->incident.id, {{"kind", "instruction"}, {"text", "按预案开展演练，检验接报、调度和现场处置流程。"}}, "demo");
      auto team = app.resources().nearest(who, {lon, lat, 1, 0, std::string("rescue_team"), std::string("hazchem")});
      if (team.ok() && !team->empty()) {
        auto d = app.incidents().dispatch(who, i->incident.id, {{"resource_id", team->front().resource.id}, {"note", "演练：携带堵漏和洗消器材"}}, "demo");
        if (d.ok() && !d->dispatches.empty()) {
          (void)app.incidents().advance(who, d->id, d->dispatches.back().id, {{"status", "accepted"}}, "demo");
          (void)app.incidents().advance(who, d->id, d->dispatches.back().id, {{"status", "en_route"}}, "demo");
        }
      }
    }
  }
  return made;
}

}  // namespace anjian::app
