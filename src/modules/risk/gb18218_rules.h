#pragma once
// GB 18218-2018 危险化学品重大危险源辨识: identification and grading of a production or storage
// unit from the substances it can hold.
//   S = Σ qᵢ/Qᵢ ≥ 1 → a major hazard source;  R = α · Σ βᵢ·qᵢ/Qᵢ → 一级 (R ≥ 100) … 四级 (R < 10).
// Q from 表1 by substance, else from 表2 by hazard category (several: the lowest Q); β from 表3 for
// the named toxic gases, else 表4 by hazard class — the larger β when it has several (从严); α from
// 表5 by the resident population (常住人口) within 500 m of the plant boundary (厂区边界).
// A 表1 row with a concentration qualifier (甲醛 >90 %, 氯化氢 无水 …) covers only that grade: a CAS
// number or bare name that also names 盐酸 or 福尔马林 is ambiguous until the exact 表1 name or the
// mixture's own category is given. A mixture whose class differs from its pure component (4.2.3)
// takes Q and β from 表2/表4 by its own class.
// The tables are data (data/gb18218-2018, compiled in). Arithmetic is exact (rationals), so that a
// boundary — S = 1, R = 10, 50, 100 — is decided as the standard says and never by rounding.
#include <boost/json/object.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace anjian::risk::gb18218 {

using Rational = boost::multiprecision::cpp_rational;

inline constexpr std::string_view kTableName = "GB 18218-2018";

struct Named {  // a row of 表1
  int no = 0;
  std::string name;
  std::vector<std::string> aliases, cas;
  Rational critical_t;
  std::optional<Rational> beta_table3;  // the named toxic gases
  std::string table3_name;
  std::string default_category;  // 表2 symbol whose 表4 β applies when not in 表3
  // Rows that cover one grade only (data/gb18218-2018/table1_qualified.csv): the names that
  // confirm the grade, and the other grades that share its CAS number or bare name.
  bool qualified = false;
  std::vector<std::string> confirming_names, other_grades;
};

struct Category {  // a row of 表2 with its 表4 β
  std::string symbol, hazard_class, description;
  Rational critical_t, beta;
};

class Tables {
 public:
  // The tables compiled into the program.
  static const Tables& standard();
  // From the texts of the CSV files (see data/gb18218-2018/README.md). Errors: invalid_data.
  static Result<Tables> parse(std::string_view table1, std::string_view table2, std::string_view table3,
                              std::string_view table5, std::string_view table6, std::string_view beta_categories,
                              std::string_view common_names, std::string_view qualified);

  const std::vector<Named>& named() const { return named_; }
  const Category* category(std::string_view symbol) const;
  // The 表1 rows a name (the table's name, an alias, a common name, or the name before its
  // parenthesis) or a CAS number designates: none, one, or several (硝化纤维素 has six rows).
  std::vector<const Named*> by_name(std::string_view name) const;
  std::vector<const Named*> by_cas(std::string_view cas) const;
  // The qualified 表1 row whose other grades include `name` (盐酸 → 氯化氢（无水）), or null.
  const Named* other_grade_of(std::string_view name) const;
  Rational alpha(std::int64_t people_exposed) const;
  // 1..4
  int grade(const Rational& r) const;

 private:
  std::vector<Named> named_;
  std::vector<Category> categories_;
  struct AlphaRow { std::int64_t min, max; Rational alpha; };  // max < 0: no upper bound
  std::vector<AlphaRow> alpha_;
  struct GradeRow { int grade; std::optional<Rational> min, max; };  // [min, max)
  std::vector<GradeRow> grades_;
  std::vector<std::pair<std::string, int>> common_names_;  // name → 表1 no
};

struct SubstanceInput {
  std::optional<std::string> name, cas;
  std::vector<std::string> categories;  // 表2 symbols, when not in 表1 or to decide β
  // A mixture or solution whose hazard class (the category given) differs from its pure
  // component's (GB 18218 4.2.3): Q and β by that category, not the 表1 row.
  bool mixture = false;
  Rational quantity_t;
};

struct UnitInput {
  std::string unit_type;  // storage | production
  std::int64_t people_exposed = 0;
  std::vector<SubstanceInput> substances;
};

struct SubstanceResult {
  std::string name;                // the table's name (or the name given, for a 表2 substance)
  std::optional<std::string> cas;  // as given, else the table's first
  std::optional<int> table1_no;
  std::string category;            // the 表2 category that decided Q (or β, for a 表1 row), empty when none
  std::string beta_category;       // the 表2 category whose 表4 β was used, empty for 表3
  Rational quantity_t, critical_t, beta, q_over_q, r_share;
  std::string critical_from, beta_from;  // "表1" | "表2 W5.3"; "表3" | "表4 W5.3"
  std::string note;                // why 表2 was used for a named substance (a mixture, another grade)
};

struct Evaluation {
  std::string unit_type;
  std::int64_t people_exposed = 0;
  Rational s, alpha, r;
  bool is_major = false;
  std::optional<int> grade;  // when is_major
  std::vector<SubstanceResult> substances;
};

// The API's request body → input. Errors: invalid_field (naming the field), unknown_field.
Result<UnitInput> parse_input(const boost::json::object& body);
// Errors: unknown_substance (naming it), ambiguous_substance (naming the rows), invalid_field.
Result<Evaluation> evaluate(const Tables& tables, const UnitInput& input);
boost::json::object to_json(const Evaluation& e);

// A decimal number of the API (at most 6 decimals are kept) as an exact rational.
Rational exact(double value);
double to_double(const Rational& r);

}  // namespace anjian::risk::gb18218
