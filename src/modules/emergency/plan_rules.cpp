#include "modules/emergency/plan_rules.h"

#include <chrono>
#include <map>

namespace anjian::emergency {

const std::vector<std::string_view>& plan_levels(std::string_view owner) {
  static const std::vector<std::string_view> enterprise = {"comprehensive", "special", "onsite"};
  static const std::vector<std::string_view> government = {"overall", "special", "department"};
  return owner == "government" ? government : enterprise;
}

std::string_view plan_level_label(std::string_view level) {
  static const std::map<std::string_view, std::string_view> labels = {{"comprehensive", "综合应急预案"}, {"special", "专项应急预案"},
                                                                      {"onsite", "现场处置方案"},       {"overall", "总体应急预案"},
                                                                      {"department", "部门应急预案"}};
  auto it = labels.find(level);
  return it == labels.end() ? level : it->second;
}

std::int64_t review_due(std::int64_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day}}};
  year_month_day due = (ymd.year() + years{3}) / ymd.month() / ymd.day();
  if (!due.ok()) due = due.year() / due.month() / last;
  return sys_days{due}.time_since_epoch().count();
}

}  // namespace anjian::emergency
