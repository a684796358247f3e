#include "app/demo_enforcement.h"

#include "app/demo_principal.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace anjian::app {
namespace json = boost::json;

Result<size_t> generate_demo_draws(App& app) {
  auto r = app.db().read();
  if (!r.ok()) return r.take_error();
  auto cities = (*r)->query("SELECT id, name, region_code FROM orgs WHERE kind = 'regulator' AND level = 'city' ORDER BY region_code");
  if (!cities.ok()) return cities.take_error();
  size_t made = 0, badge = 0;
  for (const auto& city : *cities) {
    auth::Principal who = auth::system_principal("demo");
    who.org_id = city.str(0);
    who.org_kind = "regulator";
    who.org_level = "city";
    who.region_code = city.str(2);
    who.roles = {"leader"};
    who.scope = auth::Scope::region(app.regions(), who.region_code);
    auto users = app.identity().list_users(who.scope);
    if (!users.ok()) return users.take_error();
    json::array inspectors;
    for (const auto& u : *users) {
      if (u.disabled || std::find(u.roles.begin(), u.roles.end(), "inspector") == u.roles.end()) continue;
      auto put = app.inspectors().put(who, u.id, {{"badge_number", fmt::format("{}2026{:04d}", who.region_code, ++badge)}, {"status", "active"}}, "demo");
      if (!put.ok()) return put.take_error();
      inspectors.emplace_back(u.id);
    }
    if (inspectors.size() < 2) continue;  // a city with one inspector cannot draw two for a target
    auto d = app.draws().create(who,
                                {{"name", city.str(1) + "2026年第四季度安全生产双随机抽查"},
                                 {"targets", {{"filter", {{"region_code", who.region_code}}}}},
                                 {"proportion", 0.05},
                                 {"weights_by_risk_level", {{"major", 4}, {"larger", 3}, {"general", 2}, {"low", 1}}},
                                 {"inspectors", inspectors},
                                 {"per_target", 2}},
                                "demo");
    if (!d.ok()) {
      if (d.error().code == "invalid_field" || d.error().code == "draw_failed") continue;  // a city without enterprises to draw
      return d.take_error();
    }
    ++made;
  }
  return made;
}

namespace {
const char* kFindings[] = {"安全警示标志缺失", "消防通道堆放杂物", "特种作业人员未持证上岗", "安全培训记录不全", "应急预案未按期演练"};
}  // namespace

Result<size_t> generate_demo_inspections(App& app) {
  auto dir = demo_directory(app);
  if (!dir.ok()) return dir.take_error();
  const auto& orgs = dir->orgs;
  const std::vector<auth::User>* users = &dir->users;
  std::map<std::string, auth::User> by_id;
  for (const auto& u : *users) by_id[u.id] = u;
  auto r = app.db().read();
  if (!r.ok()) return r.take_error();
  auto draws = (*r)->query("SELECT d.id, d.org_id FROM draws d ORDER BY d.created_at");
  if (!draws.ok()) return draws.take_error();
  const Millis now = now_ms();
  const std::string today = format_date(today_shanghai(now));
  size_t issued = 0, n = 0, cases = 0;
  for (const auto& d : *draws) {
    auth::User leader;  // the city acts through one of its inspectors
    for (const auto& [id, u] : by_id)
      if (u.org_id == d.str(1) && std::find(u.roles.begin(), u.roles.end(), "inspector") != u.roles.end()) leader = u;
    if (leader.id.empty()) continue;
    const auth::Principal city = principal_of(app, leader, orgs);
    // The city's plan of the year: the quarter's 双随机 draw and a key inspection of its first enterprise.
    std::vector<db::Value> in_city;
    const std::string where = city.scope.sql("region_code", "uscc", in_city);
    auto first = (*r)->query("SELECT uscc FROM enterprises WHERE " + where + " ORDER BY uscc LIMIT 1", in_city);
    if (!first.ok()) return first.take_error();
    const std::int64_t year = std::stoll(today.substr(0, 4));
    json::array items{json::object{{"kind", "general"}, {"name", "一般检查（双随机抽查）"}, {"filter", {{"region_code", city.region_code}}},
                                   {"q1", 6}, {"q2", 6}, {"q3", 6}, {"q4", 6}, {"cap_per_year", 2}}};
    if (!first->empty())
      items.push_back(json::object{{"kind", "key"}, {"name", "重大危险源企业重点检查"}, {"enterprises", json::array{json::value((*first)[0].str(0))}},
                                   {"q1", 1}, {"q2", 1}, {"q3", 1}, {"q4", 1}});
    items.push_back(json::object{{"kind", "special"}, {"name", "冬春季火灾防控专项检查"}, {"q1", 2}, {"q2", 0}, {"q3", 0}, {"q4", 2}});
    auto plan = app.plans().create(city, {{"name", city.org_name + std::to_string(year) + "年度安全生产监督检查计划"}, {"year", year}, {"items", items}}, "demo");
    if (!plan.ok()) return plan.take_error();
    // The quarter's draw was the plan's 一般检查 (the demo drew before it planned): its tasks count there.
    {
      auto w = app.db().write();
      if (!w.ok()) return w.take_error();
      auto linked = (*w)->exec("UPDATE draws SET plan_item_id = ? WHERE id = ? AND plan_item_id = ''", {plan->items.front().id, d.str(0)});
      if (!linked.ok()) return linked.take_error();
    }
    auto tasks = app.inspection_tasks().issue_draw(city, d.str(0), {{"due_date", today}}, "demo");
    if (!tasks.ok()) {
      if (tasks.error().code == "conflict") continue;
      return tasks.take_error();
    }
    issued += tasks->size();
    for (const auto& drawn : *tasks) {
      enforcement::Task t = drawn;
      // The task's inspector of the enterprise's county fills it in, else one of the city (a county
      // inspector drawn for another county's enterprise does not see it: see the note in the issue).
      auto eligible = [&](const enforcement::Task& task) {
        const auth::User* found = nullptr;
        for (const auto& i : task.inspectors) {
          const auth::Org& org = orgs.at(by_id.at(i.user_id).org_id);
          if (org.region_code == task.region_code || (!found && app.regions().contains(org.region_code, task.region_code))) found = &by_id.at(i.user_id);
        }
        return found;
      };
      const auth::User* u = eligible(t);
      if (!u) {
        // None of them may inspect there: the city gives the task to the enterprise's county (改派).
        json::array county, own;
        for (const auto& [id, user] : by_id) {
          if (std::find(user.roles.begin(), user.roles.end(), "inspector") == user.roles.end()) continue;
          if (orgs.at(user.org_id).region_code == t.region_code) county.emplace_back(id);
          if (user.org_id == d.str(1)) own.emplace_back(id);
        }
        // A county with fewer than two inspectors: the city's own take it, so that the demo always
        // has inspections to show whatever the draw (with 300 enterprises it once had none).
        if (county.size() < 2) county = own;
        if (county.size() < 2) continue;
        auto moved = app.inspection_tasks().update(city, t.id, t.version, {{"inspectors", county}}, "demo");
        if (!moved.ok()) continue;
        t = *moved;
        u = eligible(t);
        if (!u) continue;
      }
      const size_t k = n++;
      if (k % 4 == 3) continue;  // still to do today
      const auth::Principal who = principal_of(app, *u, orgs);
      json::array findings;
      // Findings on most; a case of every fourth; the 复查 of most done.
      const bool with_case = k % 4 == 0;
      if (k % 4 != 2) findings.push_back(json::object{{"description", kFindings[k % 5]}, {"place", "生产车间"}});
      auto in = app.inspections().submit(
          who,
          {{"client_id", fmt::format("demo-inspection-{:06d}", k)}, {"task_id", t.id}, {"started_at", format_iso(now - 3 * 3'600'000)},
           {"ended_at", format_iso(now - 2 * 3'600'000)}, {"place", "厂区、生产车间及仓库"},
           {"present", json::array{json::object{{"name", "企业安全负责人"}, {"title", "安全科长"}}}},
           {"summary", findings.empty() ? "检查了厂区、生产车间和仓库，查阅了安全管理台账，未发现问题。" : "检查了厂区、生产车间和仓库，查阅了安全管理台账。"},
           {"findings", findings}},
          "demo");
      if (!in.ok()) return in.take_error();
      // Half of the results are published already (公开); the others wait within their 20 working days.
      if (k % 2 == 0) {
        auto pub = app.publication().publish(who, in->inspection.id, "demo");
        if (!pub.ok()) return pub.error();
      }
      if (findings.empty()) continue;
      auto m = app.measures().issue(who, in->inspection.id,
                                    {{"kind", "rectify"},
                                     {"items", json::array{json::object{{"text", kFindings[k % 5]}, {"deadline", format_date(today_shanghai(now) + 15)}}}}},
                                    "demo");
      if (!m.ok()) return m.take_error();
      if (k % 4 != 1) {
        // The enterprise rectified at once and asked for the 复查, which found it done.
        auto rc = app.inspections().submit(who,
                                           {{"client_id", fmt::format("demo-recheck-{:06d}", k)}, {"task_id", m->recheck_task_id},
                                            {"started_at", format_iso(now - 3'600'000)}, {"ended_at", format_iso(now - 1'800'000)},
                                            {"place", "生产车间"}, {"recheck", {{"complied", true}, {"note", "已整改完毕"}}}},
                                           "demo");
        if (!rc.ok()) return rc.take_error();
      }
      if (!with_case) continue;
      // A 现场处理措施 too, whose 复查 is still to come.
      auto on_site = app.measures().issue(who, in->inspection.id,
                                          {{"kind", "on_site"}, {"items", json::array{json::object{{"text", "立即停止违规动火作业"}}}}}, "demo");
      if (!on_site.ok()) return on_site.take_error();
      const size_t nth_case = cases++;
      auto c = app.cases().file(who, {{"enterprise_uscc", t.enterprise_uscc}, {"party_kind", "unit"}, {"cause", kFindings[k % 5] + std::string("案")},
                                      {"inspection_id", in->inspection.id}},
                                "demo");
      if (!c.ok()) return c.take_error();
      // Cases at several steps: the first through to 结案, then one notified, one investigating, ….
      std::vector<std::pair<std::string, json::object>> steps = {{"investigate", {}}};
      if (nth_case % 3 == 0 || nth_case % 3 == 2)
        steps.push_back({"notify", {{"facts", "现场检查发现该单位" + std::string(kFindings[k % 5]) + "。"},
                                    {"violated", "《中华人民共和国安全生产法》第四十一条"},
                                    {"legal_basis", "《中华人民共和国安全生产法》第一百零一条"},
                                    {"penalty", "警告"}, {"fine_yuan", 10'000 * static_cast<std::int64_t>(1 + k % 3)}}});
      if (nth_case % 3 == 0)
        for (const char* a : {"decide", "serve", "execute", "close"})
          steps.push_back({a, std::string(a) == "decide" ? json::object{{"waived_statement", true}} : json::object{}});
      std::int64_t version = c->version;
      for (const auto& [action, body] : steps) {
        auto next = app.cases().act(who, c->id, action, version, body, "demo");
        if (!next.ok()) return next.take_error();
        version = next->version;
      }
      if (nth_case == 0) {
        // The person responsible too (安全生产法第九十四条), a case under way.
        auto p = app.cases().file(who, {{"enterprise_uscc", t.enterprise_uscc}, {"party_kind", "person"}, {"party_name", "企业主要负责人"},
                                        {"cause", "主要负责人未履行安全生产管理职责案"}, {"inspection_id", in->inspection.id}},
                                  "demo");
        if (!p.ok()) return p.take_error();
        auto next = app.cases().act(who, p->id, "investigate", p->version, {}, "demo");
        if (!next.ok()) return next.take_error();
      }
    }
  }
  // Every county inspector has a task due today: a complaint about an enterprise of the county,
  // checked by the trade's checklist, with an inspector of the city (two are needed).
  auto templates = (*r)->query("SELECT id, industries FROM checklist_templates WHERE builtin = 1 ORDER BY code, version");
  if (!templates.ok()) return templates.take_error();
  for (const auto& [id, u] : by_id) {
    const auth::Org& org = orgs.at(u.org_id);
    if (org.level != "county" || std::find(u.roles.begin(), u.roles.end(), "inspector") == u.roles.end()) continue;
    const auth::User* partner = nullptr;
    for (const auto& [pid, p] : by_id) {
      const auth::Org& porg = orgs.at(p.org_id);
      if (porg.level == "city" && app.regions().contains(porg.region_code, org.region_code) &&
          std::find(p.roles.begin(), p.roles.end(), "inspector") != p.roles.end())
        partner = &p;
    }
    if (!partner) continue;
    auto ent = (*r)->query("SELECT uscc, industry FROM enterprises WHERE region_code = ? ORDER BY uscc LIMIT 1", {org.region_code});
    if (!ent.ok()) return ent.take_error();
    if (ent->empty()) continue;
    std::string tpl;
    for (const auto& t : *templates)
      if (t.str(1).find((*ent)[0].str(1)) != std::string::npos) tpl = t.str(0);
    json::object body{{"enterprise_uscc", (*ent)[0].str(0)}, {"source", "complaint"},
                      {"inspectors", json::array{json::value(u.id), json::value(partner->id)}}, {"due_date", today},
                      {"note", "群众举报：夜间违规动火作业"}};
    if (!tpl.empty()) body["template_id"] = tpl;
    auto t = app.inspection_tasks().create(principal_of(app, *partner, orgs), body, "demo");
    if (!t.ok()) return t.take_error();
    ++issued;
  }
  return issued;
}

}  // namespace anjian::app
