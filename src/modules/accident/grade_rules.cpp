#include "modules/accident/grade_rules.h"

#include <array>

namespace anjian::accident {

namespace {
// The lower bound of each grade above 一般, by criterion (493号令 第三条): 较大, 重大, 特别重大.
constexpr std::array<std::int64_t, 3> kDeaths = {3, 10, 30};
constexpr std::array<std::int64_t, 3> kSerious = {10, 50, 100};
constexpr std::array<std::int64_t, 3> kLossYuan = {10'000'000, 50'000'000, 100'000'000};

Grade by(std::int64_t n, const std::array<std::int64_t, 3>& bounds) {
  if (n >= bounds[2]) return Grade::extraordinary;
  if (n >= bounds[1]) return Grade::major;
  if (n >= bounds[0]) return Grade::larger;
  return Grade::general;
}
}  // namespace

Grading grade(const Casualties& c) {
  Grading g;
  const std::int64_t dead = c.deaths + c.missing;
  g.provisional = c.missing > 0;
  const Grade d = by(dead, kDeaths), s = by(c.serious_injuries, kSerious), l = by(c.direct_loss_yuan, kLossYuan);
  // Ties go to the first criterion in the regulation's order (deaths, injuries, loss).
  g.grade = d;
  g.criterion = "deaths";
  if (s > g.grade) g.grade = s, g.criterion = "serious_injuries";
  if (l > g.grade) g.grade = l, g.criterion = "direct_loss";
  // An 一般 accident named by what it has: deaths first, else injuries, else the loss.
  if (g.grade == Grade::general && dead == 0) g.criterion = c.serious_injuries > 0 ? "serious_injuries" : c.direct_loss_yuan > 0 ? "direct_loss" : "deaths";
  // 21号令 第二十六条: ≥ 10 endangered; ≥ 3 trapped or missing; ≥ 500 evacuated.
  g.larger_endangerment = c.endangered >= 10 || c.trapped + c.missing >= 3 || c.evacuated >= 500;
  return g;
}

std::string_view to_string(Grade g) {
  switch (g) {
    case Grade::general: return "general";
    case Grade::larger: return "larger";
    case Grade::major: return "major";
    case Grade::extraordinary: return "extraordinary";
  }
  return "general";
}

std::string_view grade_label(Grade g) {
  switch (g) {
    case Grade::general: return "一般";
    case Grade::larger: return "较大";
    case Grade::major: return "重大";
    case Grade::extraordinary: return "特别重大";
  }
  return "一般";
}

bool parse_grade(std::string_view s, Grade& out) {
  for (Grade g : {Grade::general, Grade::larger, Grade::major, Grade::extraordinary})
    if (s == to_string(g)) return out = g, true;
  return false;
}

std::string grade_reason(const Casualties& c, const Grading& g) {
  const auto i = static_cast<size_t>(g.grade);
  std::string why;
  if (g.criterion == "deaths") {
    why = (c.missing > 0 ? "死亡（含下落不明 " + std::to_string(c.missing) + " 人）" : std::string("死亡 ")) + std::to_string(c.deaths + c.missing) + " 人";
    why += g.grade == Grade::general ? "，不足 3 人" : "，达到" + std::string(grade_label(g.grade)) + "事故标准（" + std::to_string(kDeaths[i - 1]) + " 人以上）";
  } else if (g.criterion == "serious_injuries") {
    why = "重伤（含急性工业中毒）" + std::to_string(c.serious_injuries) + " 人";
    why += g.grade == Grade::general ? "，不足 10 人" : "，达到" + std::string(grade_label(g.grade)) + "事故标准（" + std::to_string(kSerious[i - 1]) + " 人以上）";
  } else {
    const auto wan = [](std::int64_t yuan) { return std::to_string(yuan / 10'000) + (yuan % 10'000 ? "." + std::to_string(yuan % 10'000 / 1'000) : "") + " 万元"; };
    why = "直接经济损失 " + wan(c.direct_loss_yuan);
    why += g.grade == Grade::general ? "，不足 1000 万元" : "，达到" + std::string(grade_label(g.grade)) + "事故标准（" + wan(kLossYuan[i - 1]) + "以上）";
  }
  if (g.larger_endangerment && g.grade == Grade::general) why += "；属较大涉险事故，按较大事故报告";
  return why;
}

}  // namespace anjian::accident
