#include "app/demo_risk.h"

#include <boost/json.hpp>

#include <map>

namespace anjian::app {
namespace json = boost::json;

namespace {
struct Lec {
  double l, e, c;
  int weight;
};
struct PointTemplate {
  const char* code;
  const char* name;
  const char* kind;  // place | activity | equipment
  std::vector<std::pair<const char*, const char*>> hazards;  // 危险有害因素, 可能导致的事故
  std::vector<Lec> assessments;  // what such a point typically scores, by how often
  std::vector<const char*> engineering, management, training, ppe, emergency;
  const char* responsible;
};

// By industry group, after the provinces' 双重预防 guides (typical inventories of each trade).
const std::vector<PointTemplate> kChemical = {
    {"RP-01", "储罐区", "place", {{"易燃液体泄漏", "火灾、爆炸"}, {"有毒物料泄漏", "中毒和窒息"}},
     {{1, 6, 15, 5}, {3, 6, 7, 2}, {3, 6, 15, 2}, {1, 6, 7, 2}, {6, 6, 15, 1}},
     {"液位高高联锁、紧急切断阀", "可燃有毒气体检测报警"}, {"罐区巡检每班两次", "储存量不超过设计最大量"}, {"罐区作业人员岗前培训"},
     {"防静电工作服"}, {"泄漏处置预案每半年演练一次"}, "workshop"},
    {"RP-02", "装卸作业", "activity", {{"静电积聚", "火灾、爆炸"}, {"鹤管脱落", "中毒和窒息"}},
     {{3, 3, 15, 4}, {1, 3, 15, 4}, {3, 3, 7, 2}, {6, 3, 15, 1}},
     {"万向管道充装系统", "静电接地报警仪"}, {"装卸作业票", "车辆限速、熄火"}, {"装卸工持证上岗"}, {"防护面罩、防静电服"}, {"装卸区洗眼器、喷淋"}, "team"},
    {"RP-03", "动火作业", "activity", {{"动火点周边可燃物", "火灾、爆炸"}},
     {{3, 3, 15, 3}, {3, 2, 7, 3}, {1, 3, 15, 2}, {6, 3, 15, 1}},
     {"动火前可燃气体分析"}, {"特殊作业票证分级审批", "专人监护"}, {"动火作业人员培训"}, {"阻燃工作服"}, {"现场配备灭火器材"}, "workshop"},
    {"RP-04", "受限空间作业", "activity", {{"缺氧、有毒气体积聚", "中毒和窒息"}},
     {{1, 2, 40, 4}, {3, 2, 40, 2}, {1, 1, 40, 2}, {3, 3, 40, 1}},
     {"强制通风", "气体检测"}, {"先通风、再检测、后作业", "作业票证"}, {"受限空间作业培训"}, {"正压式空气呼吸器、安全绳"}, {"救援预案与三脚架"}, "workshop"},
    {"RP-05", "配电室", "place", {{"带电设备", "触电"}, {"电缆老化", "火灾"}},
     {{1, 6, 7, 6}, {1, 3, 15, 3}},
     {"漏电保护、接地"}, {"电工持证上岗", "停送电工作票"}, {"电气安全培训"}, {"绝缘手套、绝缘鞋"}, {"触电急救"}, "team"},
};
const std::vector<PointTemplate> kProducer = {
    {"RP-06", "反应釜", "equipment", {{"反应失控、超温超压", "爆炸"}, {"物料泄漏", "中毒和窒息"}},
     {{3, 6, 15, 3}, {1, 6, 15, 3}, {1, 10, 40, 1}, {1, 6, 7, 1}},
     {"温度压力联锁、紧急泄放", "自动化控制与紧急停车系统"}, {"工艺指标控制"}, {"操作规程培训"}, {"防护面罩"}, {"紧急停车预案"}, "company"},
};
const std::vector<PointTemplate> kMine = {
    {"RP-01", "采掘工作面", "place", {{"顶板冒落", "冒顶片帮"}, {"粉尘", "尘肺病"}},
     {{3, 6, 15, 3}, {1, 6, 15, 4}, {3, 10, 15, 1}},
     {"锚网支护", "喷雾降尘"}, {"敲帮问顶", "顶板离层监测"}, {"入井人员培训"}, {"防尘口罩、安全帽"}, {"避灾路线"}, "workshop"},
    {"RP-02", "提升运输", "activity", {{"钢丝绳断裂", "坠罐"}, {"车辆运行", "车辆伤害"}},
     {{1, 10, 15, 4}, {1, 6, 15, 3}, {3, 6, 15, 1}},
     {"防坠器、过卷保护"}, {"钢丝绳每日检查"}, {"提升机司机持证"}, {"安全帽"}, {"提升事故应急预案"}, "workshop"},
    {"RP-03", "井下供电", "equipment", {{"电气失爆", "触电、瓦斯爆炸"}},
     {{1, 6, 15, 4}, {1, 6, 7, 4}},
     {"防爆电气、漏电闭锁"}, {"防爆检查"}, {"电工培训"}, {"绝缘手套"}, {"停电撤人"}, "team"},
};
const std::vector<PointTemplate> kCoal = {
    {"RP-04", "瓦斯积聚区域", "place", {{"瓦斯超限", "瓦斯爆炸"}, {"一氧化碳", "中毒和窒息"}},
     {{1, 10, 40, 2}, {1, 6, 40, 3}, {1, 6, 15, 3}},
     {"瓦斯抽采", "甲烷断电仪、安全监控系统"}, {"一通三防", "瓦斯检查员巡检"}, {"瓦斯防治培训"}, {"自救器"}, {"瓦斯超限撤人"}, "company"},
};
const std::vector<PointTemplate> kFireworks = {
    {"RP-01", "药物混合工房", "place", {{"摩擦撞击、静电", "爆炸"}},
     {{1, 6, 40, 4}, {3, 6, 40, 1}, {1, 6, 15, 3}},
     {"防静电地面、人体静电释放"}, {"定员定量", "单人单间"}, {"涉药人员培训"}, {"防静电工作服"}, {"爆炸事故预案"}, "company"},
    {"RP-02", "成品仓库", "place", {{"超量储存", "火灾、爆炸"}},
     {{1, 6, 15, 4}, {1, 3, 40, 3}, {1, 6, 40, 1}},
     {"防雷、防静电"}, {"限量储存"}, {"仓库管理员培训"}, {"防静电工作服"}, {"消防器材"}, "workshop"},
};
const std::vector<PointTemplate> kMetallurgy = {
    {"RP-01", "熔融金属吊运", "activity", {{"钢水包倾翻、泄漏", "灼烫、爆炸"}},
     {{1, 6, 40, 3}, {1, 6, 15, 4}, {3, 6, 40, 1}},
     {"冶金铸造起重机", "吊运路线避开人员"}, {"吊运作业确认制"}, {"起重工持证"}, {"隔热服"}, {"熔融金属泄漏预案"}, "company"},
    {"RP-02", "煤气区域", "place", {{"煤气泄漏", "中毒和窒息、爆炸"}},
     {{1, 6, 15, 4}, {3, 6, 15, 2}, {1, 6, 7, 2}},
     {"一氧化碳检测报警"}, {"煤气区域分级管理", "双人作业"}, {"煤气防护培训"}, {"便携式一氧化碳报警仪、空气呼吸器"}, {"煤气中毒救援"}, "workshop"},
};
const std::vector<PointTemplate> kOilGas = {
    {"RP-01", "井场", "place", {{"井喷", "井喷失控、火灾"}, {"硫化氢", "中毒和窒息"}},
     {{1, 6, 40, 3}, {1, 6, 15, 4}, {1, 10, 40, 1}},
     {"防喷器组", "硫化氢监测"}, {"井控管理制度"}, {"井控培训"}, {"正压式空气呼吸器"}, {"井喷应急预案"}, "company"},
};

std::vector<const std::vector<PointTemplate>*> templates_for(const std::string& industry) {
  if (industry == "hazchem_production") return {&kChemical, &kProducer};
  if (industry == "hazchem_operation" || industry == "hazchem_use") return {&kChemical};
  if (industry == "coal_mine") return {&kMine, &kCoal};
  if (industry == "metal_nonmetal_mine") return {&kMine};
  if (industry == "fireworks") return {&kFireworks};
  if (industry == "metallurgy" || industry == "nonferrous") return {&kMetallurgy};
  if (industry == "oil_gas") return {&kOilGas};
  return {};
}

json::array strings(const std::vector<const char*>& list) {
  json::array a;
  for (const char* s : list) a.emplace_back(s);
  return a;
}

json::object point_json(const PointTemplate& t, const std::string& uscc, std::mt19937_64& rng) {
  int total = 0;
  for (const auto& a : t.assessments) total += a.weight;
  int pick = static_cast<int>(rng() % static_cast<unsigned>(total));
  Lec lec = t.assessments.front();
  for (const auto& a : t.assessments) {
    if (pick < a.weight) { lec = a; break; }
    pick -= a.weight;
  }
  json::array hazards;
  for (const auto& [factor, consequence] : t.hazards) hazards.push_back(json::object{{"factor", factor}, {"consequence", consequence}});
  return {{"enterprise_uscc", uscc}, {"code", t.code}, {"name", t.name}, {"kind", t.kind}, {"hazards", std::move(hazards)},
          {"assessment", {{"method", "lec"}, {"l", lec.l}, {"e", lec.e}, {"c", lec.c}}},
          {"measures", {{"engineering", strings(t.engineering)}, {"management", strings(t.management)}, {"training", strings(t.training)},
                        {"ppe", strings(t.ppe)}, {"emergency", strings(t.emergency)}}},
          {"responsible_level", t.responsible}};
}
}  // namespace

Result<size_t> generate_demo_risk_points(App& app, const auth::Principal& system, const std::vector<enterprise::Enterprise>& enterprises,
                                         std::mt19937_64& rng) {
  std::vector<json::object> batch;
  for (const auto& e : enterprises) {
    if (e.status == "closed") continue;
    // Most enterprises of these trades have identified their points; some have not yet.
    if (rng() % 10 == 0) continue;
    for (const auto* group : templates_for(e.industry))
      for (const auto& t : *group) batch.push_back(point_json(t, e.uscc, rng));
  }
  std::vector<std::string> touched;
  auto done = db::with_transaction(app.db(), [&](db::Connection& tx) -> Result<bool> {
    auto r = app.risk_points().insert_batch(tx, system, batch, "demo");
    if (!r.ok()) return r.take_error();
    touched = std::move(r).value();
    return true;
  });
  if (!done.ok()) return done.take_error();
  app.risk_points().announce_enterprises(touched);
  return batch.size();
}

}  // namespace anjian::app
