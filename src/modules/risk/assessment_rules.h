#pragma once
// Risk assessment for 风险分级管控 (DOMAIN.md §4): LEC (D = L·E·C, each from its table) and the
// risk matrix (R = L·S, 1–5 each), and the four levels with their colours:
//   重大风险 红 (major) · 较大风险 橙 (significant) · 一般风险 黄 (general) · 低风险 蓝 (low).
// A value outside its table is refused: these scales are ordinal tables, not measurements.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"

namespace anjian::risk {

enum class RiskLevel { low, general, significant, major };  // ordered: low < … < major

std::string_view to_string(RiskLevel l);   // low | general | significant | major
std::string_view colour(RiskLevel l);      // blue | yellow | orange | red
std::string_view chinese(RiskLevel l);     // 低风险 | 一般风险 | 较大风险 | 重大风险
std::optional<RiskLevel> level_from(std::string_view code);

// Lower bounds of 红, 橙, 黄 (a level holds from its bound up to the next one). The defaults
// are DOMAIN.md's: LEC's bands with 320 / 160 / 70 as lower bounds; the matrix as DB37/T 2882.
struct Cutoffs {
  double red, orange, yellow;
  RiskLevel level(double value) const;
};
inline constexpr Cutoffs kLecCutoffs{320, 160, 70};
inline constexpr Cutoffs kMatrixCutoffs{20, 15, 9};
// The pair a risk point is levelled by: DOMAIN.md calls both a setting; the model file
// (data/risk-model) holds the platform's, checked against these defaults by a test.
struct PointCutoffs {
  Cutoffs lec = kLecCutoffs;
  Cutoffs matrix = kMatrixCutoffs;
};

struct Lec {
  double l, e, c, d;
  RiskLevel level;
};
struct Matrix {
  int l, s, r;
  RiskLevel level;
};

// Errors: invalid_field naming l, e or c (with the table's values).
Result<Lec> lec(double l, double e, double c, const Cutoffs& cutoffs = kLecCutoffs);
// Errors: invalid_field naming l or s.
Result<Matrix> matrix(std::int64_t l, std::int64_t s, const Cutoffs& cutoffs = kMatrixCutoffs);

// The API's bodies {"l":…, "e":…, "c":…} and {"l":…, "s":…}, read strictly, and the answers.
Result<Lec> lec_from_json(const boost::json::object& body, const Cutoffs& cutoffs);
Result<Matrix> matrix_from_json(const boost::json::object& body, const Cutoffs& cutoffs);
boost::json::object to_json(const Lec& x);
boost::json::object to_json(const Matrix& x);

}  // namespace anjian::risk
