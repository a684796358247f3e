#include "modules/hidden_danger/tally.h"

#include <array>
#include <map>
#include <tuple>

namespace anjian::hidden_danger {

TallyCounts tally_of(const std::string& state, bool supervised) {
  const bool open = state != "closed" && state != "withdrawn";
  return {1, state == "closed", state == "withdrawn", open, open && supervised};
}

Status tally_add(db::Connection& c, const TallyKey& key, const TallyCounts& n, int sign) {
  const int month = month_shanghai(key.found_at);
  // The month's row and the year's: the same counts, two grains.
  for (auto [table, column, value] : {std::tuple{"hidden_danger_tally", "month", month}, std::tuple{"hidden_danger_tally_year", "year", month / 100}}) {
    const std::string t(table), k(column);
    auto done = c.exec(
        "INSERT INTO " + t + " (region_code, industry, " + k + ", grade, found, closed, withdrawn, open, supervised) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (region_code, industry, " + k + ", grade) DO UPDATE SET "
        "found = " + t + ".found + excluded.found, closed = " + t + ".closed + excluded.closed, "
        "withdrawn = " + t + ".withdrawn + excluded.withdrawn, open = " + t + ".open + excluded.open, "
        "supervised = " + t + ".supervised + excluded.supervised",
        {key.region_code, key.industry, std::int64_t{value}, key.grade, std::int64_t{sign * n.found}, std::int64_t{sign * n.closed},
         std::int64_t{sign * n.withdrawn}, std::int64_t{sign * n.open}, std::int64_t{sign * n.supervised}});
    if (!done.ok()) return done.take_error();
  }
  return {};
}

Status tally_move(db::Connection& c, const TallyKey& before, const TallyCounts& was, const TallyKey& after, const TallyCounts& is) {
  if (before == after && was == is) return {};
  ANJIAN_TRY(tally_add(c, before, was, -1));
  return tally_add(c, after, is, 1);
}

Status tally_rebuild(db::Connection& c) {
  ANJIAN_TRY(c.exec("DELETE FROM hidden_danger_tally"));
  ANJIAN_TRY(c.exec("DELETE FROM hidden_danger_tally_year"));
  // Months are days of Asia/Shanghai: grouped here, not in SQL, where the two dialects differ.
  auto rows = c.query("SELECT region_code, industry, (found_at + 28800000) / 86400000, grade, state, supervised, COUNT(*) "
                      "FROM hidden_dangers GROUP BY 1, 2, 3, 4, 5, 6");
  if (!rows.ok()) return rows.take_error();
  std::map<std::tuple<std::string, std::string, int, std::string>, std::array<std::int64_t, 5>> sums;
  for (const auto& r : *rows) {
    auto& s = sums[{r.str(0), r.str(1), month_shanghai(r.i64(2) * 86'400'000 - 28'800'000), r.str(3)}];
    const TallyCounts one = tally_of(r.str(4), r.i64(5) != 0);
    const std::int64_t n = r.i64(6);
    s[0] += n * one.found;
    s[1] += n * one.closed;
    s[2] += n * one.withdrawn;
    s[3] += n * one.open;
    s[4] += n * one.supervised;
  }
  std::map<std::tuple<std::string, std::string, int, std::string>, std::array<std::int64_t, 5>> years;
  for (const auto& [k, v] : sums) {
    ANJIAN_TRY(c.exec("INSERT INTO hidden_danger_tally (region_code, industry, month, grade, found, closed, withdrawn, open, supervised) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {std::get<0>(k), std::get<1>(k), std::int64_t{std::get<2>(k)}, std::get<3>(k), v[0], v[1], v[2], v[3], v[4]}));
    auto& y = years[{std::get<0>(k), std::get<1>(k), std::get<2>(k) / 100, std::get<3>(k)}];
    for (size_t i = 0; i < 5; ++i) y[i] += v[i];
  }
  for (const auto& [k, v] : years)
    ANJIAN_TRY(c.exec("INSERT INTO hidden_danger_tally_year (region_code, industry, year, grade, found, closed, withdrawn, open, supervised) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {std::get<0>(k), std::get<1>(k), std::int64_t{std::get<2>(k)}, std::get<3>(k), v[0], v[1], v[2], v[3], v[4]}));
  return {};
}

}  // namespace anjian::hidden_danger
