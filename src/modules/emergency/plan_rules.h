#pragma once
// 应急预案 rules (生产安全事故应急预案管理办法, 应急管理部令第2号): the levels of enterprise and
// government plans, and the review every three years (第三十五条: 至少每三年进行一次评估). Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian::emergency {

// Enterprise plans: comprehensive 综合 | special 专项 | onsite 现场处置方案.
// Government plans: overall 总体 | special 专项 | department 部门.
const std::vector<std::string_view>& plan_levels(std::string_view owner);
std::string_view plan_level_label(std::string_view level);
// The date a plan issued or last reviewed on `day` (days since the epoch) must next be reviewed
// by: the same day three years on (29 February → 28 February).
std::int64_t review_due(std::int64_t day);

}  // namespace anjian::emergency
