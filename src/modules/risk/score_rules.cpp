#include "modules/risk/score_rules.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "base/embedded.h"

namespace anjian::risk {
namespace json = boost::json;

namespace {
Error bad_model(const std::string& what) { return {"invalid_data", "风险模型文件有误：" + what, ""}; }

const char* grade_name(int g) {
  static const char* names[] = {"", "一级", "二级", "三级", "四级"};
  return g >= 1 && g <= 4 ? names[g] : "";
}

const char* alarm_name(const std::string& key) {
  if (key == "high_high") return "高高报";
  if (key == "low_low") return "低低报";
  if (key == "high") return "高报";
  if (key == "low") return "低报";
  if (key == "power_off") return "断电";
  if (key == "rate") return "变化率";
  if (key == "fault") return "故障";
  if (key == "offline") return "通信中断";
  return "其他";
}

std::optional<RiskLevel> level_of_colour(std::string_view c) {
  for (RiskLevel l : {RiskLevel::low, RiskLevel::general, RiskLevel::significant, RiskLevel::major})
    if (colour(l) == c) return l;
  return std::nullopt;
}

const char* accident_grade_name(const std::string& key) {
  if (key == "general") return "一般";
  if (key == "larger") return "较大";
  if (key == "major") return "重大";
  if (key == "extraordinary") return "特别重大";
  return "其他";
}
}  // namespace

Result<RiskModel> RiskModel::parse(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return bad_model("不是 JSON 对象");
  RiskModel m;
  m.doc_ = v.as_object();
  const auto* version = m.doc_.if_contains("version");
  if (!version || !version->is_string() || version->as_string().empty()) return bad_model("缺少 version");
  m.version_ = std::string(version->as_string());
  // Lower bounds of 红, 橙, 黄, strictly decreasing, at `path`.
  auto cutoffs_at = [&](const json::object& parent, std::string_view key, const std::string& path) -> Result<Cutoffs> {
    const auto* cut = parent.if_contains(key);
    if (!cut || !cut->is_object()) return bad_model("缺少 " + path);
    for (const char* k : {"red", "orange", "yellow"})
      if (!cut->as_object().contains(k) || !cut->as_object().at(k).is_number()) return bad_model(path + "." + k);
    Cutoffs c{cut->as_object().at("red").to_number<double>(), cut->as_object().at("orange").to_number<double>(),
              cut->as_object().at("yellow").to_number<double>()};
    if (!(c.red > c.orange && c.orange > c.yellow)) return bad_model(path + " 须 red > orange > yellow");
    return c;
  };
  auto enterprise_cut = cutoffs_at(m.doc_, "cutoffs", "cutoffs");
  if (!enterprise_cut.ok()) return enterprise_cut.take_error();
  m.cutoffs_ = *enterprise_cut;
  const auto* points = m.doc_.if_contains("risk_point_cutoffs");
  if (!points || !points->is_object()) return bad_model("缺少 risk_point_cutoffs");
  auto lec_cut = cutoffs_at(points->as_object(), "lec", "risk_point_cutoffs.lec");
  if (!lec_cut.ok()) return lec_cut.take_error();
  auto matrix_cut = cutoffs_at(points->as_object(), "matrix", "risk_point_cutoffs.matrix");
  if (!matrix_cut.ok()) return matrix_cut.take_error();
  m.point_cutoffs_ = {*lec_cut, *matrix_cut};
  for (const char* group : {"inherent", "monitoring", "management"})
    if (!m.doc_.contains(group) || !m.doc_.at(group).is_object()) return bad_model(std::string("缺少 ") + group);
  // An override the program does not know would silently decide nothing: refused.
  if (const auto* rules = m.doc_.if_contains("overrides")) {
    if (!rules->is_array()) return bad_model("overrides 须为数组");
    for (const auto& r : rules->as_array()) {
      const auto* rule = r.is_object() ? r.as_object().if_contains("rule") : nullptr;
      if (!rule || !rule->is_string() ||
          (rule->as_string() != "major_hazard_source_grade_1_or_2" && rule->as_string() != "unrectified_major_hidden_danger" &&
           rule->as_string() != "fatal_accident_past_year"))
        return bad_model("未知的 overrides 规则：" + (rule && rule->is_string() ? std::string(rule->as_string()) : json_text(r)));
    }
  }
  // A floor the program does not know would silently leave a level too low: refused.
  if (const auto* rules = m.doc_.if_contains("floors")) {
    if (!rules->is_array()) return bad_model("floors 须为数组");
    for (const auto& r : rules->as_array()) {
      const auto* rule = r.is_object() ? r.as_object().if_contains("rule") : nullptr;
      const auto* level = r.is_object() ? r.as_object().if_contains("level") : nullptr;
      if (!rule || !rule->is_string() || rule->as_string() != "major_hazard_source_grade_3_or_4")
        return bad_model("未知的 floors 规则：" + (rule && rule->is_string() ? std::string(rule->as_string()) : json_text(r)));
      if (!level || !level->is_string() || !level_of_colour(level->as_string()))
        return bad_model("floors 的 level 须为 red、orange、yellow 或 blue");
    }
  }
  return m;
}

const RiskModel& RiskModel::standard() {
  static const RiskModel model = [] {
    auto m = parse(embedded::file("risk-model/enterprise-risk.json"));
    if (!m.ok()) throw std::runtime_error(m.error().message);  // the build embeds a checked file: a bug
    return std::move(*m);
  }();
  return model;
}

// A number at a path of the model (0 when absent: a factor the model does not weigh).
double RiskModel::weight(std::initializer_list<std::string_view> path) const {
  const json::value* v = nullptr;
  const json::object* o = &doc_;
  for (std::string_view key : path) {
    if (!o) return 0;
    v = o->if_contains(key);
    if (!v) return 0;
    o = v->is_object() ? &v->as_object() : nullptr;
  }
  return v && v->is_number() ? v->to_number<double>() : 0;
}

EnterpriseScore RiskModel::score(const EnterpriseFacts& f) const {
  EnterpriseScore s;
  s.model_version = version_;
  auto add = [&](const char* group, const char* factor, std::string detail, double points) {
    if (points != 0) s.breakdown.push_back({group, factor, std::move(detail), points});
  };
  // Inherent risk: what the enterprise is and holds.
  add("inherent", "industry", "行业：" + (f.industry_label.empty() ? f.industry : f.industry_label),
      weight({"inherent", "industry", f.industry}));
  if (!f.hazard_source_grades.empty()) {
    const int worst = *std::min_element(f.hazard_source_grades.begin(), f.hazard_source_grades.end());
    const double further = std::min(weight({"inherent", "further_hazard_sources_max"}),
                                    weight({"inherent", "each_further_hazard_source"}) * static_cast<double>(f.hazard_source_grades.size() - 1));
    add("inherent", "hazard_sources",
        std::string(grade_name(worst)) + "重大危险源，共 " + std::to_string(f.hazard_source_grades.size()) + " 个",
        weight({"inherent", "hazard_source_grade", std::to_string(worst)}) + further);
  }
  for (RiskLevel l : {RiskLevel::major, RiskLevel::significant, RiskLevel::general, RiskLevel::low}) {
    const int n = f.risk_points_by_level[static_cast<size_t>(l)];
    if (n == 0) continue;
    double points = weight({"inherent", "worst_risk_point", to_string(l)});
    if (l == RiskLevel::major)
      points += std::min(weight({"inherent", "major_risk_points_max"}), weight({"inherent", "major_risk_points_each"}) * (n - 1));
    add("inherent", "risk_points", "最高为" + std::string(chinese(l)) + "的风险点 " + std::to_string(n) + " 个", points);
    break;  // the worst level present decides
  }
  // Monitoring: what is happening now, and lately.
  double open = 0;
  std::string open_detail;
  for (const auto& [key, n] : f.open_alarms) {
    if (n <= 0) continue;
    open += weight({"monitoring", "open_alarm", key}) * n;
    open_detail += (open_detail.empty() ? "" : "、") + std::string(alarm_name(key)) + " " + std::to_string(n);
  }
  add("monitoring", "open_alarms", "未消除的报警：" + open_detail, std::min(open, weight({"monitoring", "open_alarms_max"})));
  add("monitoring", "alarms_7d", "近 7 日报警 " + std::to_string(f.alarms_7d) + " 次",
      std::min(weight({"monitoring", "alarms_7d_max"}), weight({"monitoring", "alarms_7d_each"}) * f.alarms_7d));
  add("monitoring", "alarms_30d", "近 30 日报警 " + std::to_string(f.alarms_30d) + " 次",
      std::min(weight({"monitoring", "alarms_30d_max"}), weight({"monitoring", "alarms_30d_each"}) * f.alarms_30d));
  // Hidden dangers, enforcement, accidents: what the enterprise has left undone, and what happened.
  auto capped = [&](const char* group, const char* factor, int n, std::string detail) {
    add(group, factor, std::move(detail), std::min(weight({group, std::string(factor) + "_max"}), weight({group, std::string(factor) + "_each"}) * n));
  };
  capped("hidden_dangers", "open_general", f.open_hidden_dangers_general, "未整改的一般事故隐患 " + std::to_string(f.open_hidden_dangers_general) + " 项");
  capped("hidden_dangers", "open_major", f.open_hidden_dangers_major, "未整改的重大事故隐患 " + std::to_string(f.open_hidden_dangers_major) + " 项");
  capped("hidden_dangers", "overdue", f.overdue_rectifications, "逾期未完成整改 " + std::to_string(f.overdue_rectifications) + " 项");
  capped("enforcement", "violations_12m", f.violations_12m, "近 12 个月执法检查发现违法行为 " + std::to_string(f.violations_12m) + " 项");
  capped("enforcement", "penalties_12m", f.penalties_12m, "近 12 个月受到行政处罚 " + std::to_string(f.penalties_12m) + " 次");
  double accidents = 0;
  std::string accident_detail;
  for (const auto& [grade, n] : f.accidents_3y) {
    if (n <= 0) continue;
    accidents += weight({"accidents", "by_grade_3y", grade}) * n;
    accident_detail += (accident_detail.empty() ? "" : "、") + std::string(accident_grade_name(grade)) + "事故 " + std::to_string(n) + " 起";
  }
  add("accidents", "accidents_3y", "近 3 年：" + accident_detail, std::min(accidents, weight({"accidents", "by_grade_3y_max"})));
  // Management. A holder of a major hazard source or a high-risk trade with no risk point
  // identified has not done the first step of 风险分级管控: a deficiency, never zero.
  const bool no_points = std::all_of(f.risk_points_by_level.begin(), f.risk_points_by_level.end(), [](int n) { return n == 0; });
  if (no_points) {
    bool high_risk_trade = false;
    if (const auto* list = doc_.at("management").as_object().if_contains("risk_unidentified"); list && list->is_object())
      if (const auto* trades = list->as_object().if_contains("industries"); trades && trades->is_array())
        for (const auto& t : trades->as_array()) high_risk_trade = high_risk_trade || (t.is_string() && t.as_string() == f.industry);
    if (high_risk_trade || !f.hazard_source_grades.empty())
      add("management", "risk_unidentified",
          std::string("风险未辨识：") + (f.hazard_source_grades.empty() ? "高危行业" : "持有重大危险源") + "，未辨识任何风险点",
          weight({"management", "risk_unidentified", "points"}));
  }
  add("management", "licence", f.licence_state == "expired" ? "安全生产许可证已过期" : "安全生产许可证即将到期",
      weight({"management", "licence", f.licence_state}));
  const std::string grade = f.standardization_grade.value_or("none");
  add("management", "standardization", grade == "none" ? "未达安全生产标准化等级" : "安全生产标准化" + std::string(grade_name(std::stoi(grade))),
      weight({"management", "standardization", grade}));

  double total = 0;
  for (const auto& c : s.breakdown) total += c.points;
  s.score = std::round(std::clamp(total, 0.0, 100.0) * 10) / 10;
  s.level = cutoffs_.level(s.score);
  // Overrides decide before the score.
  if (const auto* rules = doc_.if_contains("overrides"); rules && rules->is_array())
    for (const auto& r : rules->as_array()) {
      if (!r.is_object() || !r.as_object().contains("rule")) continue;
      const auto& rule = r.as_object().at("rule");
      const bool applies =
          (rule == "major_hazard_source_grade_1_or_2" &&
           std::any_of(f.hazard_source_grades.begin(), f.hazard_source_grades.end(), [](int g) { return g <= 2; })) ||
          (rule == "unrectified_major_hidden_danger" && f.open_hidden_dangers_major > 0) ||
          (rule == "fatal_accident_past_year" && f.fatal_accident_1y);
      if (applies && s.level != RiskLevel::major) {
        s.level = RiskLevel::major;
        const auto* reason = r.as_object().if_contains("reason");
        s.override_reason = reason && reason->is_string() ? std::string(reason->as_string()) : std::string(rule.as_string());
      }
    }
  // Floors raise a level the score left below them (a 三级 source is never 低风险); recorded as the reason.
  if (const auto* rules = doc_.if_contains("floors"); rules && rules->is_array())
    for (const auto& r : rules->as_array()) {
      const auto& rule = r.as_object().at("rule");
      const RiskLevel floor = *level_of_colour(r.as_object().at("level").as_string());
      const bool applies = rule == "major_hazard_source_grade_3_or_4" &&
                           std::any_of(f.hazard_source_grades.begin(), f.hazard_source_grades.end(), [](int g) { return g >= 3; });
      if (applies && s.level < floor) {
        s.level = floor;
        const auto* reason = r.as_object().if_contains("reason");
        s.override_reason = reason && reason->is_string() ? std::string(reason->as_string()) : std::string(rule.as_string());
      }
    }
  return s;
}

json::object to_json(const EnterpriseScore& s) {
  json::array items;
  for (const auto& c : s.breakdown)
    items.push_back(json::object{{"group", c.group}, {"factor", c.factor}, {"detail", c.detail}, {"points", c.points}});
  return {{"score", s.score}, {"level", to_string(s.level)}, {"colour", colour(s.level)}, {"level_name", chinese(s.level)},
          {"model_version", s.model_version}, {"override", s.override_reason.empty() ? json::value(nullptr) : json::value(s.override_reason)},
          {"breakdown", std::move(items)}};
}

std::string main_reason(const std::string& override_reason, const std::vector<Contribution>& breakdown) {
  if (!override_reason.empty()) return override_reason;
  const Contribution* best = nullptr;
  for (const auto& c : breakdown)
    if (c.points > 0 && (!best || c.points > best->points)) best = &c;
  return best ? best->detail : "";
}

}  // namespace anjian::risk
