#include "base/period.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>

namespace anjian {

namespace {
Millis month_start(int yyyymm) {
  return *parse_date(fmt::format("{:04d}-{:02d}-01", yyyymm / 100, yyyymm % 100)) * 86'400'000LL - 8 * 3'600'000LL;  // midnight in Asia/Shanghai
}
int month_index(int yyyymm) { return (yyyymm / 100) * 12 + (yyyymm % 100 - 1); }
int month_of_index(int i) { return (i / 12) * 100 + i % 12 + 1; }
std::string month_label(int m) { return std::to_string(m / 100) + "年" + std::to_string(m % 100) + "月"; }
}  // namespace

std::string period_label(int from, int to) {
  if (from == 0) return "全部";
  if (from == to) return month_label(from);
  if (from / 100 == to / 100 && from % 100 == 1 && to % 100 == 12) return std::to_string(from / 100) + "年";
  if (from / 100 == to / 100 && to % 100 - from % 100 == 2 && from % 100 % 3 == 1)
    return std::to_string(from / 100) + "年第" + std::to_string((from % 100 + 2) / 3) + "季度";
  return month_label(from) + "至" + month_label(to);
}

Millis Period::start() const { return from == 0 ? 0 : month_start(from); }
Millis Period::end() const { return to == 0 ? std::numeric_limits<Millis>::max() : month_start(month_of_index(month_index(to) + 1)); }

Period Period::previous() const {
  const int n = month_index(to) - month_index(from) + 1;
  const int f = month_of_index(month_index(from) - n), t = month_of_index(month_index(to) - n);
  return {f, t, period_label(f, t)};
}

Period Period::year_before() const { return {from - 100, to - 100, period_label(from - 100, to - 100)}; }

Result<Period> parse_period(std::string_view text) {
  const Error bad = Error::invalid_field("period", "统计期须为年（2026）、季度（2026Q3）或月（2026-07）");
  if (text.empty()) return Period{0, 0, "全部"};
  int year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + std::min<size_t>(4, text.size()), year);
  if (ec != std::errc() || end != text.data() + 4 || year < 2000 || year > 2100) return bad;
  const std::string_view rest = text.substr(4);
  if (rest.empty()) return Period{year * 100 + 1, year * 100 + 12, period_label(year * 100 + 1, year * 100 + 12)};
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4') {
    const int q = rest[1] - '0';
    return Period{year * 100 + q * 3 - 2, year * 100 + q * 3, period_label(year * 100 + q * 3 - 2, year * 100 + q * 3)};
  }
  if (rest.size() == 3 && rest[0] == '-') {
    int m = 0;
    auto [e2, ec2] = std::from_chars(rest.data() + 1, rest.data() + 3, m);
    if (ec2 != std::errc() || e2 != rest.data() + 3 || m < 1 || m > 12) return bad;
    return Period{year * 100 + m, year * 100 + m, month_label(year * 100 + m)};
  }
  return bad;
}

}  // namespace anjian
