#pragma once
// A risk point (风险点) of an enterprise — a place, an activity or a piece of equipment — with the
// hazards identified there (危险有害因素), its assessment by LEC or the risk matrix, the level that
// follows (重大/较大/一般/低 · 红/橙/黄/蓝), the control measures by kind and who is responsible:
// the enterprise's 风险分级管控 inventory, the first half of 双重预防.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "modules/risk/assessment_rules.h"

namespace anjian::risk {

struct IdentifiedHazard {
  std::string factor;       // 危险有害因素
  std::string consequence;  // 可能导致的事故类型, may be empty
};

struct ControlMeasures {  // 管控措施 by kind
  std::vector<std::string> engineering, management, training, ppe, emergency;
};

struct RiskPoint {
  std::string id, enterprise_uscc, code, name, kind, location;
  std::optional<std::string> hazard_source_id;  // the major hazard source it belongs to, if any
  std::vector<IdentifiedHazard> hazards;
  std::string method;  // lec | matrix
  boost::json::object assessment;  // {"l","e","c"} or {"l","s"}, as given
  double score = 0;                // D or R
  RiskLevel level = RiskLevel::low;
  std::string override_reason;     // why the level is above the score's (DOMAIN.md §4), or empty
  // Unrectified 重大 hidden dangers of the point or of its hazard source: a fact the hidden-danger
  // module sends (hidden_danger.major_open), kept by the risk module for the override.
  int open_major_hidden_dangers = 0;
  ControlMeasures measures;
  std::string responsible_level, responsible_person;  // company | workshop | team | post
  bool active = true;
  std::int64_t version = 0;
  Millis created_at = 0, updated_at = 0;
};

// place 场所 | activity 作业活动 | equipment 设备设施
const std::vector<std::string_view>& risk_point_kinds();
// company 公司 | workshop 车间 | team 班组 | post 岗位
const std::vector<std::string_view>& responsible_levels();

// Validates the API's JSON onto a risk point and recomputes its score and level from the
// assessment (creating: enterprise_uscc, code, name, kind, assessment required).
// Errors: invalid_field (naming the field, e.g. assessment.l), unknown_field.
Status apply_fields(RiskPoint& p, const boost::json::object& fields, bool creating, const PointCutoffs& cutoffs);
// The score and the level (before any override) from the stored assessment.
Status assess(RiskPoint& p, const PointCutoffs& cutoffs);
// The overrides of DOMAIN.md §4 on a point whose level is its score's: a grade 1 or 2 major hazard
// source, or an unrectified 重大事故隐患 of the point or its hazard source, makes it 重大 (红)
// whatever its score, with the reason.
void apply_overrides(RiskPoint& p, std::optional<int> grade);
boost::json::object to_json(const RiskPoint& p);
std::string hazards_json(const std::vector<IdentifiedHazard>& list);
std::vector<IdentifiedHazard> hazards_from_json(std::string_view text);
std::string measures_json(const ControlMeasures& m);
ControlMeasures measures_from_json(std::string_view text);

}  // namespace anjian::risk
