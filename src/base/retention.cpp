#include "base/retention.h"

#include <algorithm>
#include <numeric>

namespace anjian {

std::set<size_t> copies_to_keep(const std::vector<Millis>& made_at, int daily, int weekly) {
  std::vector<size_t> order(made_at.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return made_at[a] > made_at[b]; });
  std::set<size_t> keep;
  for (size_t i = 0; i < order.size() && static_cast<int>(i) < daily; ++i) keep.insert(order[i]);
  // As restic's --keep-weekly: the newest copy of each of the newest `weekly` weeks that have one,
  // counted over all copies (this week's newest is usually a daily one too). 1970-01-01 was a
  // Thursday: the week of a day counted from Monday is (days + 3) / 7.
  std::set<std::int64_t> weeks;
  for (size_t i = 0; i < order.size() && static_cast<int>(weeks.size()) < weekly; ++i)
    if (weeks.insert((today_shanghai(made_at[order[i]]) + 3) / 7).second) keep.insert(order[i]);
  return keep;
}

}  // namespace anjian
