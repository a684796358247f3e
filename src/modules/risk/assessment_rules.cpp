#include "modules/risk/assessment_rules.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "base/json_fields.h"

namespace anjian::risk {
namespace json = boost::json;

namespace {
constexpr std::array<double, 7> kL{10, 6, 3, 1, 0.5, 0.2, 0.1};  // 事故发生的可能性
constexpr std::array<double, 6> kE{10, 6, 3, 2, 1, 0.5};          // 暴露于危险环境的频繁程度
constexpr std::array<double, 6> kC{100, 40, 15, 7, 3, 1};         // 发生事故产生的后果

template <size_t N>
bool in_table(const std::array<double, N>& table, double v) {
  return std::find(table.begin(), table.end(), v) != table.end();
}

template <size_t N>
std::string listed(const std::array<double, N>& table) {
  std::string out;
  for (double v : table) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    out += (out.empty() ? "" : "、") + s;
  }
  return out;
}
}  // namespace

std::string_view to_string(RiskLevel l) {
  switch (l) {
    case RiskLevel::major: return "major";
    case RiskLevel::significant: return "significant";
    case RiskLevel::general: return "general";
    case RiskLevel::low: return "low";
  }
  return "low";
}

std::string_view colour(RiskLevel l) {
  switch (l) {
    case RiskLevel::major: return "red";
    case RiskLevel::significant: return "orange";
    case RiskLevel::general: return "yellow";
    case RiskLevel::low: return "blue";
  }
  return "blue";
}

std::string_view chinese(RiskLevel l) {
  switch (l) {
    case RiskLevel::major: return "重大风险";
    case RiskLevel::significant: return "较大风险";
    case RiskLevel::general: return "一般风险";
    case RiskLevel::low: return "低风险";
  }
  return "低风险";
}

std::optional<RiskLevel> level_from(std::string_view code) {
  for (RiskLevel l : {RiskLevel::low, RiskLevel::general, RiskLevel::significant, RiskLevel::major})
    if (to_string(l) == code) return l;
  return std::nullopt;
}

RiskLevel Cutoffs::level(double value) const {
  if (value >= red) return RiskLevel::major;
  if (value >= orange) return RiskLevel::significant;
  if (value >= yellow) return RiskLevel::general;
  return RiskLevel::low;
}

Result<Lec> lec(double l, double e, double c, const Cutoffs& cutoffs) {
  if (!in_table(kL, l)) return Error::invalid_field("l", "L（事故发生的可能性）须取表中的值：" + listed(kL));
  if (!in_table(kE, e)) return Error::invalid_field("e", "E（暴露于危险环境的频繁程度）须取表中的值：" + listed(kE));
  if (!in_table(kC, c)) return Error::invalid_field("c", "C（发生事故产生的后果）须取表中的值：" + listed(kC));
  // In tenths, so that 0.1 · 10 · 7 is exactly 7 and a bound (70, 20) is met exactly.
  const auto tenths = [](double v) { return std::llround(v * 10); };
  const double d = static_cast<double>(tenths(l) * tenths(e) * std::llround(c)) / 100.0;
  return Lec{l, e, c, d, cutoffs.level(d)};
}

Result<Matrix> matrix(std::int64_t l, std::int64_t s, const Cutoffs& cutoffs) {
  if (l < 1 || l > 5) return Error::invalid_field("l", "L（可能性）须为 1–5 的整数");
  if (s < 1 || s > 5) return Error::invalid_field("s", "S（严重性）须为 1–5 的整数");
  const int r = static_cast<int>(l * s);
  return Matrix{static_cast<int>(l), static_cast<int>(s), r, cutoffs.level(r)};
}

Result<Lec> lec_from_json(const json::object& body, const Cutoffs& cutoffs) {
  JsonFields f(body);
  auto l = f.number("l", true, 0, 1000), e = f.number("e", true, 0, 1000), c = f.number("c", true, 0, 1000);
  ANJIAN_TRY(f.finish());
  return lec(*l, *e, *c, cutoffs);
}

Result<Matrix> matrix_from_json(const json::object& body, const Cutoffs& cutoffs) {
  JsonFields f(body);
  auto l = f.integer("l", true, 1, 5), s = f.integer("s", true, 1, 5);
  ANJIAN_TRY(f.finish());
  return matrix(*l, *s, cutoffs);
}

json::object to_json(const Lec& x) {
  return {{"l", x.l}, {"e", x.e}, {"c", x.c}, {"d", x.d}, {"level", to_string(x.level)},
          {"colour", colour(x.level)}, {"level_name", chinese(x.level)}};
}

json::object to_json(const Matrix& x) {
  return {{"l", x.l}, {"s", x.s}, {"r", x.r}, {"level", to_string(x.level)}, {"colour", colour(x.level)},
          {"level_name", chinese(x.level)}};
}

}  // namespace anjian::risk
