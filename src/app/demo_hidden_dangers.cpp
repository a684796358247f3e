#include "app/demo_hidden_dangers.h"

#include <boost/json.hpp>

#include <map>

namespace anjian::app {
namespace json = boost::json;

namespace {
struct Finding {
  const char* description;
  const char* place;
  const char* category;  // basic_management | site_management
  const char* standard;  // a 重大 one's 判定标准 (empty: 一般)
  const char* item;
};
// What a chemical plant's self-inspection and an inspector's round find (重大 ones by 安监总管三〔2017〕121号).
const Finding kChemical[] = {
    {"罐区可燃气体检测报警器未定期检定", "1号储罐区", "site_management", "", ""},
    {"动火作业票审批人未到现场确认", "合成车间", "basic_management", "", ""},
    {"消防通道堆放物料", "仓库东侧", "site_management", "", ""},
    {"安全阀检验超期", "反应釜R1", "site_management", "", ""},
    {"员工三级安全教育记录不全", "安全科", "basic_management", "", ""},
    {"一级重大危险源罐区未实现紧急切断功能", "1号储罐区", "site_management", "hazchem_2017", "5"},
    {"可燃有毒气体泄漏场所未按标准设置检测报警装置", "装卸站台", "site_management", "hazchem_2017", "12"},
    {"特殊作业管理制度未有效执行（受限空间作业无监护人）", "污水池", "basic_management", "hazchem_2017", "18"},
};
const Finding kCoal[] = {
    {"采煤工作面回风巷甲烷传感器位置不符合规定", "8101回风巷", "site_management", "", ""},
    {"局部通风机未挂牌管理", "3102掘进工作面", "site_management", "", ""},
    {"入井人员未全部携带自救器", "副井口", "basic_management", "", ""},
    {"瓦斯超限作业", "8101采煤工作面", "site_management", "coal_2020", "2"},
    {"通风系统不完善、不可靠（采区无专用回风巷）", "二采区", "site_management", "coal_2020", "5"},
};

// What a 工贸 enterprise's self-inspection finds (its 判定标准, 应急管理部令第10号, is not shipped yet:
// a 重大 one gives its reason).
const Finding kTrade[] = {
    {"粉尘涉爆区域积尘未按规定清扫", "打磨车间", "site_management", "", ""},
    {"有限空间作业未执行先通风、再检测、后作业", "污水井", "basic_management", "", ""},
    {"配电箱未上锁，临时线路私拉乱接", "装配车间", "site_management", "", ""},
    {"叉车司机未持证上岗", "成品仓库", "basic_management", "", ""},
};

auth::Principal enterprise_user(const enterprise::Enterprise& e) {
  auth::Principal p;
  p.user_id = "demo-" + e.uscc;
  p.username = "demo-safety-" + e.uscc.substr(10);
  p.display_name = "企业安全员";
  p.org_kind = "enterprise";
  p.uscc = e.uscc;
  p.region_code = e.region_code;
  p.roles = {"enterprise_manager"};
  p.scope = auth::Scope::enterprise(e.uscc, e.region_code);
  return p;
}

// The enterprise's latest self-inspection by the checklist of its trade: mostly 符合, some 不涉及,
// and in a 工贸 enterprise a 一般 item failed now and then (its hidden danger is then on the board).
Status self_inspect(App& app, const auth::Principal& ent, const enterprise::Enterprise& e, bool trade, std::mt19937_64& rng) {
  auto templates = app.checklists().list(ent, e.industry, false);
  if (!templates.ok()) return templates.take_error();
  if (templates->empty()) return {};
  auto tpl = app.checklists().get(ent, templates->front().id);
  if (!tpl.ok()) return tpl.take_error();
  json::array results;
  for (size_t seq = 1; seq <= tpl->items.size(); ++seq) {
    const auto& item = tpl->items[seq - 1];
    std::string result = rng() % 6 == 0 ? "not_applicable" : "pass";
    if (trade && !item.major && rng() % 8 == 0) result = "fail";
    json::object a{{"seq", seq}, {"result", result}};
    if (result == "fail") a["note"] = "自查发现，已安排整改";
    results.push_back(std::move(a));
  }
  const Millis at = now_ms() - static_cast<Millis>(1 + rng() % 20) * 86'400'000;
  auto done = app.self_inspections().run(ent, {{"enterprise_uscc", e.uscc}, {"template_id", tpl->id}, {"inspected_at", format_iso(at)},
                                               {"inspector", "企业安全员"}, {"results", std::move(results)}},
                                         "demo");
  if (!done.ok()) return done.take_error();
  return {};
}
}  // namespace

Result<size_t> generate_demo_hidden_dangers(App& app, const std::vector<enterprise::Enterprise>& enterprises, std::mt19937_64& rng) {
  const Millis now = now_ms();
  constexpr Millis kDay = 86'400'000;
  size_t made = 0, supervised = 0;
  auto& service = app.hidden_dangers();
  // The counties that have their own regulator in the demo (the README's county login among them)
  // find some in their other trades too, so that their board is never empty.
  std::map<std::string, int> county_trades;
  {
    auto r = app.db().read();
    if (!r.ok()) return r.take_error();
    auto counties = (*r)->query("SELECT region_code FROM orgs WHERE kind = 'regulator' AND level = 'county'");
    if (!counties.ok()) return counties.take_error();
    for (const auto& row : *counties) county_trades[row.str(0)] = 0;
  }
  for (const auto& e : enterprises) {
    if (made >= 260) break;
    if (e.status != "operating") continue;
    const bool coal = e.industry == "coal_mine";
    const bool chemical = e.industry == "hazchem_production" || e.industry == "hazchem_use" || e.industry == "hazchem_operation";
    auto trade = county_trades.find(e.region_code);
    const bool showcase = !coal && !chemical && trade != county_trades.end() && trade->second < 6;
    if (!coal && !chemical && !showcase) continue;
    if (showcase) ++trade->second;
    // The regulator that inspects it: its county's, else the nearest above.
    auto r = app.db().read();
    if (!r.ok()) return r.take_error();
    auto orgs = (*r)->query("SELECT id, name, region_code, level FROM orgs WHERE kind = 'regulator' AND region_code IN (?, ?, ?) "
                            "ORDER BY CASE level WHEN 'county' THEN 0 WHEN 'city' THEN 1 ELSE 2 END LIMIT 1",
                            {e.region_code, e.region_code.substr(0, 4) + "00", e.region_code.substr(0, 2) + "0000"});
    if (!orgs.ok()) return orgs.take_error();
    if (orgs->empty()) continue;
    auth::Principal regulator = auth::system_principal("demo-inspector");
    regulator.org_id = (*orgs)[0].str(0);
    regulator.display_name = std::string((*orgs)[0].str(1)) + "执法人员";
    regulator.roles = {"inspector"};
    const auth::Principal ent = enterprise_user(e);
    ANJIAN_TRY(self_inspect(app, ent, e, showcase, rng));
    const auto& list = coal       ? std::vector<Finding>(std::begin(kCoal), std::end(kCoal))
                       : chemical ? std::vector<Finding>(std::begin(kChemical), std::end(kChemical))
                                  : std::vector<Finding>(std::begin(kTrade), std::end(kTrade));
    const int count = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < count; ++k) {
      const Finding& f = list[rng() % list.size()];
      const bool major = f.standard[0] != '\0';
      const Millis found = now - static_cast<Millis>(5 + rng() % 50) * kDay;
      const bool by_inspector = rng() % 3 == 0;
      json::object body{{"enterprise_uscc", e.uscc}, {"description", f.description}, {"place", f.place}, {"category", f.category},
                        {"grade", major ? "major" : "general"}, {"found_by", by_inspector ? "inspection" : "self_inspection"},
                        {"found_at", format_iso(found)}};
      if (major) body["standard_item"] = json::object{{"standard", f.standard}, {"item", f.item}};
      auto h = service.report(by_inspector ? regulator : ent, body, "demo");
      if (!h.ok()) return h.take_error();
      ++made;
      // How far it got: a spread over the lifecycle.
      const int stage = static_cast<int>(rng() % 10);
      auto step = [&](const auth::Principal& who, const char* action, json::object fields) -> Status {
        auto next = service.act(who, h->id, action, h->version, fields, "demo");
        if (!next.ok()) return next.take_error();
        *h = std::move(*next);
        return {};
      };
      if (stage == 9 && !major) {  // a report that turned out to be none
        auto gone = service.act(regulator, h->id, "withdraw", h->version, {{"reason", "经复核不构成事故隐患"}}, "demo");
        if (!gone.ok()) return gone.take_error();
        continue;
      }
      if (major && supervised < 12 && stage >= 2) {
        ++supervised;
        ANJIAN_TRY(step(regulator, "supervise", {{"authority_org_id", regulator.org_id},
                                                 {"number", "安督〔2026〕" + std::to_string(supervised) + "号"},
                                                 {"deadline", format_iso(now + static_cast<Millis>(10 + rng() % 50) * kDay)},
                                                 {"requirements", "限期完成整改，整改期间落实安全措施，整改完成后书面申请核销"}}));
      }
      if (stage < 2) continue;  // 已登记
      // Some deadlines have passed: those are the overdue ones.
      const Millis deadline = stage == 4 ? found + 3 * kDay : now + static_cast<Millis>(5 + rng() % 30) * kDay;
      json::object plan{{"measures", std::string("整改：") + f.description}, {"responsible", "设备部 王工"}, {"deadline", format_iso(deadline)},
                        {"funds_yuan", static_cast<std::int64_t>(5000 + rng() % 200000)}};
      if (major) {
        plan["goals"] = "消除重大事故隐患，恢复安全条件";
        plan["organization"] = "企业主要负责人牵头，设备部、安全科";
        plan["safety_measures"] = "整改期间设置警戒，专人监护，制定现场处置方案";
        plan["production_suspended"] = "partial";
      }
      ANJIAN_TRY(step(ent, "plan", plan));
      if (stage < 3) continue;  // 已制定方案
      ANJIAN_TRY(step(ent, "start", {}));
      if (stage < 6) continue;  // 整改中
      ANJIAN_TRY(step(ent, "rectify", {{"note", "已按方案完成整改，附整改前后照片"}}));
      if (stage < 7) continue;  // 待验收
      // Verified: a supervised one by its authority (the regulator that supervised it).
      ANJIAN_TRY(step(regulator, "verify", {{"accepted", true}, {"note", "现场核查，整改到位"}}));
    }
  }
  return made;
}

}  // namespace anjian::app
