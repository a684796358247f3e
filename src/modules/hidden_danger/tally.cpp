#include "modules/hidden_danger/tally.h"

#include <array>
#include <map>
#include <tuple>

namespace anjian::hidden_danger {

Status tally_add(db::Connection& c, const TallyKey& key, int found, int closed, int withdrawn) {
  auto done = c.exec("INSERT INTO hidden_danger_tally (region_code, industry, month, grade, found, closed, withdrawn) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (region_code, industry, month, grade) DO UPDATE SET found = hidden_danger_tally.found + excluded.found, "
            "closed = hidden_danger_tally.closed + excluded.closed, withdrawn = hidden_danger_tally.withdrawn + excluded.withdrawn",
            {key.region_code, key.industry, std::int64_t{month_shanghai(key.found_at)}, key.grade, std::int64_t{found},
             std::int64_t{closed}, std::int64_t{withdrawn}});
  if (!done.ok()) return done.take_error();
  return {};
}

Status tally_rebuild(db::Connection& c) {
  ANJIAN_TRY(c.exec("DELETE FROM hidden_danger_tally"));
  // Months are days of Asia/Shanghai: grouped here, not in SQL, where the two dialects differ.
  auto rows = c.query("SELECT region_code, industry, (found_at + 28800000) / 86400000, grade, state, COUNT(*) FROM hidden_dangers "
                      "GROUP BY 1, 2, 3, 4, 5");
  if (!rows.ok()) return rows.take_error();
  std::map<std::tuple<std::string, std::string, int, std::string>, std::array<std::int64_t, 3>> sums;
  for (const auto& r : *rows) {
    auto& s = sums[{r.str(0), r.str(1), month_shanghai(r.i64(2) * 86'400'000 - 28'800'000), r.str(3)}];
    const std::string state = r.str(4);
    s[0] += r.i64(5);
    if (state == "closed") s[1] += r.i64(5);
    if (state == "withdrawn") s[2] += r.i64(5);
  }
  for (const auto& [k, v] : sums)
    ANJIAN_TRY(c.exec("INSERT INTO hidden_danger_tally (region_code, industry, month, grade, found, closed, withdrawn) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      {std::get<0>(k), std::get<1>(k), std::int64_t{std::get<2>(k)}, std::get<3>(k), v[0], v[1], v[2]}));
  return {};
}

}  // namespace anjian::hidden_danger
