#pragma once
// The dynamic risk score of an enterprise (0–100) and its level (红/橙/黄/蓝), from the facts the
// platform holds about it, by a versioned model that is data (data/risk-model/enterprise-risk.json,
// compiled in; an administrator reviews it and a new version replaces it). Every score carries the
// model version and its breakdown — what contributed how much — so that a regulator can see why.
// Overrides decide before the score (DOMAIN.md §4): a 一级/二级 major hazard source, an unrectified
// 重大事故隐患, a fatal accident in the past year → 红. Floors raise a level the score left lower
// (a 三级 or 四级 source: at least 橙), and a holder of a major hazard source or a high-risk trade
// with no risk point identified scores 风险未辨识 (DOMAIN.md §4). The model weighs hidden dangers, enforcement
// and accidents already; their facts stay zero until the modules that hold them feed them.
#include <boost/json/object.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "modules/risk/assessment_rules.h"

namespace anjian::risk {

struct EnterpriseFacts {
  std::string industry;                          // the enterprise's regulatory industry code
  std::string industry_label;                    // its name (危险化学品使用 …), for the breakdown
  std::vector<int> hazard_source_grades;         // of its active major hazard sources, 1..4
  std::array<int, 4> risk_points_by_level{};     // active risk points, indexed by RiskLevel
  std::map<std::string, int> open_alarms;        // threshold level or alarm type → open alarms
  int alarms_7d = 0, alarms_30d = 0;             // alarms raised in the last 7 / 30 days
  std::string licence_state = "none";            // none | valid | expiring | expired
  std::optional<std::string> standardization_grade;  // "1" | "2" | "3"
  // Hidden dangers (隐患排查治理): open ones by grade, and rectifications past their deadline.
  int open_hidden_dangers_general = 0, open_hidden_dangers_major = 0, overdue_rectifications = 0;
  // Enforcement in the last 12 months: violations found, administrative penalties decided.
  int violations_12m = 0, penalties_12m = 0;
  // Accidents in the last 3 years by grade (general 一般 | larger 较大 | major 重大 | extraordinary 特别重大),
  // and whether one in the past year killed someone.
  std::map<std::string, int> accidents_3y;
  bool fatal_accident_1y = false;
};

struct Contribution {
  std::string group;   // inherent | monitoring | hidden_dangers | enforcement | accidents | management
  std::string factor;  // industry | hazard_sources | risk_points | open_alarms | alarms_7d | alarms_30d | open_general |
                       // open_major | overdue | violations_12m | penalties_12m | accidents_3y | risk_unidentified |
                       // licence | standardization
  std::string detail;  // for people: "二级重大危险源 1 个、其他 2 个"
  double points = 0;
};

struct EnterpriseScore {
  double score = 0;
  RiskLevel level = RiskLevel::low;
  std::string model_version;
  std::vector<Contribution> breakdown;  // the factors that contributed (non-zero), in model order
  std::string override_reason;          // the override or floor that decided the level, or empty
};

// Why, in one phrase: the overriding rule, else the factor that weighed most (empty for none).
std::string main_reason(const std::string& override_reason, const std::vector<Contribution>& breakdown);

class RiskModel {
 public:
  // The model compiled into the program.
  static const RiskModel& standard();
  // From the model file's text. Errors: invalid_data (naming what is wrong).
  static Result<RiskModel> parse(std::string_view text);

  const std::string& version() const { return version_; }
  const Cutoffs& cutoffs() const { return cutoffs_; }
  // The risk points' levels (LEC and matrix bands; DOMAIN.md §4 calls them a setting).
  const PointCutoffs& point_cutoffs() const { return point_cutoffs_; }
  EnterpriseScore score(const EnterpriseFacts& facts) const;

 private:
  double weight(std::initializer_list<std::string_view> path) const;
  std::string version_;
  Cutoffs cutoffs_{75, 50, 25};
  PointCutoffs point_cutoffs_;
  boost::json::object doc_;
};

boost::json::object to_json(const EnterpriseScore& s);

}  // namespace anjian::risk
