#include "app/demo_accidents.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <optional>

#include "app/demo_principal.h"

namespace anjian::app {
namespace json = boost::json;

namespace {
constexpr Millis kMinute = 60'000, kHourMs = 60 * kMinute, kDayMs = 24 * kHourMs;

struct DemoAccident {
  size_t county;        // which of the province's counties (by code order, skipping those without enterprises)
  Millis ago;           // when it happened
  const char* kind;
  int deaths, missing, serious, minor;
  std::int64_t loss_yuan;
  const char* description;
  bool sent_up;         // every level took it and sent it on
  Millis late_city_ms;  // the city received it this much after its deadline (a late hop)
};

// What happened, in the words a duty officer writes.
const DemoAccident kAccidents[] = {
    {0, 25 * kMinute, "中毒和窒息", 1, 0, 2, 1, 800'000, "污水池清淤作业时两名作业人员中毒，一人经抢救无效死亡。", false, 0},
    {0, 3 * kDayMs, "机械伤害", 1, 0, 0, 2, 600'000, "冲压作业时操作工手部卷入设备，送医后死亡。", true, 0},
    {1, 12 * kDayMs, "坍塌", 3, 0, 4, 6, 3'500'000, "厂房屋面改造时钢结构坍塌，三人死亡、四人重伤。", true, 3 * kHourMs},
    {2, 40 * kDayMs, "爆炸", 10, 2, 30, 25, 62'000'000, "反应釜超压爆炸引发火灾，十人死亡、两人下落不明。", true, 0},
    {3, 700 * kDayMs, "火灾", 5, 0, 110, 40, 120'000'000, "仓库火灾蔓延至相邻厂房，重伤一百一十人，直接经济损失一亿二千万元。", true, 0},
    {4, 2 * kDayMs, "高处坠落", 0, 0, 1, 0, 200'000, "外墙保温施工时一名工人从脚手架坠落，重伤。", true, 0},
};

// Moves a report made now back to when it happened (every time it carries, together).
Status move_back(db::Connection& c, const std::string& id, Millis by) {
  ANJIAN_TRY(c.exec("UPDATE accidents SET occurred_at = occurred_at - ?, created_at = created_at - ?, updated_at = updated_at - ? WHERE id = ?",
                    {by, by, by, id}));
  ANJIAN_TRY(c.exec("UPDATE accident_hops SET due_at = due_at - ?, received_at = received_at - ?, acknowledged_at = acknowledged_at - ?, "
                    "forwarded_at = forwarded_at - ? WHERE accident_id = ?",
                    {by, by, by, by, id}));
  ANJIAN_TRY(c.exec("UPDATE accident_events SET at = at - ? WHERE accident_id = ?", {by, id}));
  return {};
}
}  // namespace

Result<size_t> generate_demo_accidents(App& app) {
  auto dir = demo_directory(app);
  if (!dir.ok()) return dir.take_error();
  const auto& orgs = dir->orgs;
  const std::vector<auth::User>* users = &dir->users;
  // Counties with a duty officer and an enterprise, in code order; the first is the login county.
  std::vector<std::pair<auth::Principal, std::string>> counties;  // duty officer, an enterprise
  {
    auto r = app.db().read();
    if (!r.ok()) return r.take_error();
    std::map<std::string, const auth::User*> duty;
    for (const auto& u : *users)
      if (std::find(u.roles.begin(), u.roles.end(), "duty_officer") != u.roles.end() && orgs.at(u.org_id).level == "county")
        duty.emplace(orgs.at(u.org_id).region_code, &u);
    for (const auto& [region, u] : duty) {
      auto e = (*r)->query("SELECT uscc FROM enterprises WHERE region_code = ? ORDER BY id LIMIT 1", {region});
      if (!e.ok()) return e.take_error();
      if (!e->empty()) counties.push_back({principal_of(app, *u, orgs), e->front().str(0)});
    }
  }
  // The duty officers above, by region, to take and send on what reaches them.
  auto duty_of = [&](const std::string& region) -> std::optional<auth::Principal> {
    for (const auto& u : *users) {
      const auto& o = orgs.at(u.org_id);
      if (o.kind == "regulator" && (o.level == "national" ? std::string() : o.region_code) == region && !u.disabled &&
          std::find(u.roles.begin(), u.roles.end(), "admin") == u.roles.end())
        return principal_of(app, u, orgs);
    }
    for (const auto& u : *users)
      if (orgs.at(u.org_id).kind == "regulator" && (orgs.at(u.org_id).level == "national" ? std::string() : orgs.at(u.org_id).region_code) == region)
        return principal_of(app, u, orgs);
    return std::nullopt;
  };
  size_t made = 0;
  for (const auto& d : kAccidents) {
    if (d.county >= counties.size()) continue;
    const auto& [who, uscc] = counties[d.county];
    auto ent = app.enterprises().get(who.scope, uscc);
    if (!ent.ok()) return ent.take_error();
    json::object body{{"enterprise_uscc", uscc}, {"occurred_at", format_iso(now_ms() - 20 * kMinute)}, {"industry", ent->industry},
                      {"kind", d.kind}, {"deaths", d.deaths}, {"missing", d.missing}, {"serious_injuries", d.serious}, {"minor_injuries", d.minor},
                      {"direct_loss_yuan", d.loss_yuan}, {"description", d.description}, {"measures", "已启动应急预案，现场已控制，伤员已送医。"},
                      {"reporter", {{"name", ent->safety_manager_name.value_or("安全管理人员")}, {"phone", ent->safety_manager_phone.value_or("0571-00000000")}}}};
    auto a = app.accidents().report(who, body, "demo");
    if (!a.ok()) return a.take_error();
    ++made;
    if (d.sent_up) {
      // Each level takes it and sends it on, lowest first.
      for (size_t i = 0; i < a->hops.size(); ++i) {
        auto at = duty_of(a->hops[i].region_code);
        if (!at) break;
        auto now = app.accidents().acknowledge(*at, a->id, "demo");
        if (!now.ok()) break;
        if (i + 1 < now->hops.size() && !now->hops[i].forwarded_at && !app.accidents().forward(*at, a->id, json::object{}, "demo").ok()) break;
      }
      (void)app.accidents().update(who, a->id, json::object{{"kind", "follow_up"}, {"note", "伤员救治中，事故原因正在调查。"}}, "demo");
    }
    // 20 minutes after the accident it was reported; a late city took it hours after its deadline.
    auto moved = db::with_transaction(app.db(), [&](db::Connection& c) -> Result<bool> {
      ANJIAN_TRY(move_back(c, a->id, d.ago - 20 * kMinute));
      if (d.late_city_ms)
        ANJIAN_TRY(c.exec("UPDATE accident_hops SET received_at = due_at + ?, acknowledged_at = due_at + ? + 600000 WHERE accident_id = ? AND level = 'city'",
                          {d.late_city_ms, d.late_city_ms, a->id}));
      return true;
    });
    if (!moved.ok()) return moved.take_error();
  }
  return made;
}

}  // namespace anjian::app
