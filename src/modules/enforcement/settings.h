#pragma once
// What a deployment sets for enforcement ([enforcement] in the config file).
#include <cstdint>

namespace anjian::enforcement {
struct Settings {
  // A measure's 复查 is due this many days after its deadline (DOMAIN.md §11: within 10).
  int recheck_days = 10;
  // The share of a plan's inspections to be drawn 双随机, in percent (local practice 70).
  int double_random_share = 70;
  // 行政处罚法 (2021) 第六十三条: a hearing may be asked for a 较大数额罚款, whose amount each province
  // sets; these are common provincial figures (单位 100,000 元, 个人 10,000 元).
  std::int64_t hearing_fine_unit_yuan = 100'000;
  std::int64_t hearing_fine_person_yuan = 10'000;
};
}  // namespace anjian::enforcement
