// GB 18218-2018 identification and grading against DOMAIN.md §3's worked examples, the
// boundaries of S and R (exactly), how substances are found, and the shipped tables' integrity.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "codes/cas.h"
#include "modules/risk/gb18218_rules.h"

using namespace anjian;
using namespace anjian::risk::gb18218;
namespace json = boost::json;

namespace {
Result<Evaluation> run(const std::string& body) {
  auto in = parse_input(json::parse(body).as_object());
  if (!in.ok()) return in.take_error();
  return evaluate(Tables::standard(), *in);
}
Evaluation ok(const std::string& body) {
  auto e = run(body);
  EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().code + " " + e.error().message);
  return e.ok() ? *e : Evaluation{};
}
std::string storage(int people, const std::string& substances) {
  return R"({"unit_type":"storage","people_exposed":)" + std::to_string(people) + R"(,"substances":[)" + substances + "]}";
}
}  // namespace

TEST(Gb18218, TheIssueExampleChlorineAndAmmonia) {
  auto e = ok(storage(60, R"({"name":"液氯","quantity_t":30},{"cas":"7664-41-7","quantity_t":40})"));
  EXPECT_EQ(e.s, 10);
  EXPECT_TRUE(e.is_major);
  EXPECT_EQ(e.alpha, Rational(3, 2));
  EXPECT_EQ(e.r, 48);
  EXPECT_EQ(e.grade, 3);
  ASSERT_EQ(e.substances.size(), 2u);
  EXPECT_EQ(e.substances[0].name, "氯");
  EXPECT_EQ(e.substances[0].cas, "7782-50-5");
  EXPECT_EQ(e.substances[0].critical_t, 5);
  EXPECT_EQ(e.substances[0].beta, 4);
  EXPECT_EQ(e.substances[0].beta_from, "表3");
  EXPECT_EQ(e.substances[0].q_over_q, 6);
  EXPECT_EQ(e.substances[0].r_share, 36);
  EXPECT_EQ(e.substances[1].name, "氨");
  EXPECT_EQ(e.substances[1].r_share, 12);
  auto j = to_json(e);
  EXPECT_EQ(j.at("r").as_double(), 48);
  EXPECT_EQ(j.at("grade").as_int64(), 3);
  EXPECT_EQ(j.at("table").as_string(), "GB 18218-2018");
  // With 120 people within 500 m: α = 2.0, R = 64 → 二级.
  auto more = ok(storage(120, R"({"name":"液氯","quantity_t":30},{"name":"液氨","quantity_t":40})"));
  EXPECT_EQ(more.r, 64);
  EXPECT_EQ(more.grade, 2);
}

TEST(Gb18218, TheDomainExamples) {
  // 液氯 20, 液氨 30, 甲醇 1000, 62 people: S = 4 + 3 + 2; 甲醇 is W5.3 → β 1; R = 1.5 × 24 = 36.
  auto e = ok(storage(62, R"({"name":"液氯","quantity_t":20},{"name":"液氨","quantity_t":30},{"name":"甲醇","quantity_t":1000})"));
  EXPECT_EQ(e.s, 9);
  EXPECT_EQ(e.substances[2].beta, 1);
  EXPECT_EQ(e.substances[2].category, "W5.3");
  EXPECT_EQ(e.substances[2].beta_from, "表4 W5.3");
  EXPECT_EQ(e.r, 36);
  EXPECT_EQ(e.grade, 3);
  // 液氯 100 alone, 150 people: S = 20, R = 160 → 一级.
  auto one = ok(storage(150, R"({"name":"液氯","quantity_t":100})"));
  EXPECT_EQ(one.s, 20);
  EXPECT_EQ(one.r, 160);
  EXPECT_EQ(one.grade, 1);
  // 甲苯 300 + 乙醇 100: S = 0.8 → not major, no grade.
  auto not_major = ok(storage(10, R"({"name":"甲苯","quantity_t":300},{"name":"乙醇","quantity_t":100})"));
  EXPECT_EQ(not_major.s, Rational(4, 5));
  EXPECT_FALSE(not_major.is_major);
  EXPECT_FALSE(not_major.grade);
  EXPECT_FALSE(to_json(not_major).contains("grade"));
  // 甲醇 500 alone: S = 1 — the boundary counts.
  auto boundary = ok(storage(0, R"({"name":"甲醇","quantity_t":500})"));
  EXPECT_EQ(boundary.s, 1);
  EXPECT_TRUE(boundary.is_major);
  EXPECT_EQ(boundary.alpha, Rational(1, 2));  // nobody within 500 m
  EXPECT_EQ(boundary.grade, 4);
}

TEST(Gb18218, BoundariesAreExact) {
  // Just below S = 1, by a gram.
  EXPECT_FALSE(ok(storage(0, R"({"name":"甲醇","quantity_t":499.999999})")).is_major);
  // 0.7 + 0.2 + 0.1 is 0.9999999999999999 in doubles: exactly 1 here.
  auto sum = ok(storage(0, R"({"name":"氟化氢","quantity_t":0.7},{"name":"氰化氢","quantity_t":0.2},{"name":"磷化氢","quantity_t":0.1})"));
  EXPECT_EQ(sum.s, 1);
  EXPECT_TRUE(sum.is_major);
  // R exactly at each grade's lower bound (氯: β 4, Q 5; 10 people: α 1): R = 4·q/5.
  struct Case { const char* q; Rational r; int grade; };
  for (const Case& c : {Case{"12.5", 10, 3}, Case{"12.499999", Rational(12499999, 1250000), 4}, Case{"62.5", 50, 2},
                        Case{"62.499999", Rational(62499999, 1250000), 3}, Case{"125", 100, 1}, Case{"124.999999", Rational(124999999, 1250000), 2}}) {
    auto e = ok(storage(10, std::string(R"({"name":"氯","quantity_t":)") + c.q + "}"));
    EXPECT_EQ(e.r, c.r) << c.q;
    EXPECT_EQ(e.grade, c.grade) << c.q;
  }
  // α at each band's edges (表5).
  for (auto [people, alpha] : std::vector<std::pair<int, Rational>>{{0, Rational(1, 2)}, {1, 1}, {29, 1}, {30, Rational(6, 5)},
                                                                  {49, Rational(6, 5)}, {50, Rational(3, 2)}, {99, Rational(3, 2)}, {100, 2}})
    EXPECT_EQ(ok(storage(people, R"({"name":"氯","quantity_t":5})")).alpha, alpha) << people;
}

TEST(Gb18218, SubstancesAreFoundByCasNameAliasOrCategory) {
  auto by = [](const std::string& s) { return ok(storage(0, s)).substances.at(0); };
  EXPECT_EQ(by(R"({"name":"光气","quantity_t":1})").name, "碳酰氯");
  EXPECT_EQ(by(R"({"name":"光气","quantity_t":1})").beta, 20);
  EXPECT_EQ(by(R"({"name":"天然气","quantity_t":1})").name, "甲烷，天然气");
  EXPECT_EQ(by(R"({"cas":"8006-14-2","quantity_t":1})").name, "甲烷，天然气");
  EXPECT_EQ(by(R"j({"name":"氯化氢(无水)","quantity_t":1})j").name, "氯化氢（无水）");
  EXPECT_EQ(by(R"({"name":"一氧化碳","quantity_t":1})").beta, 2);  // 煤气 row, 表3's 一氧化碳
  EXPECT_EQ(by(R"({"name":"甲醛（含量>90%）","quantity_t":1})").critical_t, 5);  // the exact 表1 name confirms the grade
  EXPECT_EQ(by(R"({"name":"乙醚","quantity_t":1})").beta, Rational(3, 2));  // 易燃液体类别1 → W5.1
  // A category given decides β of a 表1 substance (苯 operated above its boiling point: W5.1), not Q.
  auto benzene = by(R"({"name":"苯","category":"W5.1","quantity_t":10})");
  EXPECT_EQ(benzene.critical_t, 50);
  EXPECT_EQ(benzene.beta, Rational(3, 2));
  // Not in 表1: Q and β by category; with several categories the lowest Q decides.
  auto solvent = by(R"({"name":"某混合溶剂","category":"W5.3","quantity_t":200})");
  EXPECT_EQ(solvent.critical_t, 1000);
  EXPECT_EQ(solvent.q_over_q, Rational(1, 5));
  EXPECT_EQ(solvent.critical_from, "表2 W5.3");
  // Several classes: the lowest Q decides Q (W2 10 t), the larger β decides β (J3 2, 从严).
  auto several = by(R"({"name":"某有毒易燃气体","category":["J3","W2"],"quantity_t":5})");
  EXPECT_EQ(several.category, "W2");
  EXPECT_EQ(several.critical_t, 10);
  EXPECT_EQ(several.beta_category, "J3");
  EXPECT_EQ(several.beta, 2);
}

TEST(Gb18218, ClearErrors) {
  auto code_of = [](const std::string& body) {
    auto e = run(body);
    return e.ok() ? std::string("ok") : e.error().code + "@" + e.error().field;
  };
  auto unknown = run(storage(0, R"({"name":"某混合溶剂","quantity_t":200})"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_substance");
  EXPECT_NE(unknown.error().message.find("某混合溶剂"), std::string::npos);
  auto ambiguous = run(storage(0, R"({"name":"硝酸铵","quantity_t":10})"));
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.error().code, "ambiguous_substance");
  EXPECT_NE(ambiguous.error().message.find("硝酸铵（含可燃物≤0.2%）"), std::string::npos);
  EXPECT_EQ(code_of(storage(0, R"({"cas":"9004-70-0","quantity_t":1})")), "ambiguous_substance@substances[0].name");
  EXPECT_EQ(code_of(storage(0, R"({"name":"液氯","cas":"7664-41-7","quantity_t":1})")), "invalid_field@substances[0].cas");
  EXPECT_EQ(code_of(storage(0, R"({"name":"x","category":"W99","quantity_t":1})")), "invalid_field@substances[0].category");
  EXPECT_EQ(code_of(storage(0, R"({"cas":"7782-50-6","quantity_t":1})")), "invalid_field@substances[0].cas");
  EXPECT_EQ(code_of(storage(0, R"({"name":"氯","quantity_t":0})")), "invalid_field@substances[0].quantity_t");
  EXPECT_EQ(code_of(storage(0, R"({"name":"氯","quantity_t":-5})")), "invalid_field@substances[0].quantity_t");
  EXPECT_EQ(code_of(storage(0, R"({"name":"氯","quantity_t":"5"})")), "invalid_field@substances[0].quantity_t");
  EXPECT_EQ(code_of(storage(0, R"({"quantity_t":5})")), "invalid_field@substances[0].name");
  EXPECT_EQ(code_of(storage(-1, R"({"name":"氯","quantity_t":5})")), "invalid_field@people_exposed");
  EXPECT_EQ(code_of(storage(0, "")), "invalid_field@substances");
  EXPECT_EQ(code_of(R"({"unit_type":"tank","people_exposed":1,"substances":[{"name":"氯","quantity_t":5}]})"), "invalid_field@unit_type");
  EXPECT_EQ(code_of(R"({"unit_type":"storage","people_exposed":1,"substances":[{"name":"氯","quantity_t":5}],"x":1})"), "unknown_field@x");
  EXPECT_EQ(code_of(R"({"unit_type":"storage","people_exposed":1,"substances":[1]})"), "invalid_field@substances[0]");
}

TEST(Gb18218, ShippedTablesAreComplete) {
  const Tables& t = Tables::standard();
  ASSERT_EQ(t.named().size(), 85u);
  for (const auto& n : t.named()) {
    EXPECT_GT(n.critical_t, 0) << n.name;
    EXPECT_TRUE(n.beta_table3 || t.category(n.default_category)) << n.name;
    for (const auto& cas : n.cas) EXPECT_TRUE(codes::valid_cas(cas)) << n.name << " " << cas;
  }
  int toxic = 0;
  for (const auto& n : t.named()) toxic += n.beta_table3 ? 1 : 0;
  EXPECT_EQ(toxic, 14);  // 表3's gases, each on its 表1 row
  ASSERT_NE(t.category("W5.4"), nullptr);
  EXPECT_EQ(t.category("W5.4")->critical_t, 5000);
  // A table whose β categories name a missing category is refused, not half-loaded.
  auto bad = Tables::parse("no,name,aliases,cas,critical_quantity_t\n1,氨,,7664-41-7,10\n", "symbol,class,description,critical_quantity_t,beta_table4\n",
                           "toxic_gas,beta\n", "people_min,people_max,alpha\n0,,1\n", "grade,r_min_inclusive,r_max_exclusive\n4,,\n",
                           "no,name,beta_source\n1,氨,W2\n", "common_name,no,note\n", "no,name,confirming_names,other_grades,note\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_data");
}

// The review of 2026-11-30 (DOMAIN.md §3): one β rule, two corrected rows, grades a 表1 row does
// not cover, and mixtures of another class.
TEST(Gb18218, BetaIsTheLargerOfTheClassesGiven) {
  auto by = [](const std::string& s) { return ok(storage(0, s)).substances.at(0); };
  // J4 (Q 50, β 2) and W5.1 (Q 10, β 1.5): Q 10 by W5.1, β 2 by J4, whatever the order.
  for (const char* cats : {R"(["J4","W5.1"])", R"(["W5.1","J4"])"}) {
    auto r = by(std::string(R"({"name":"某剧毒易燃液体","quantity_t":5,"category":)") + cats + "}");
    EXPECT_EQ(r.critical_t, 10) << cats;
    EXPECT_EQ(r.critical_from, "表2 W5.1");
    EXPECT_EQ(r.beta, 2) << cats;
    EXPECT_EQ(r.beta_from, "表4 J4");
    EXPECT_EQ(r.q_over_q, Rational(1, 2));
  }
  // The β used is part of the result the assessment stores.
  auto stored = to_json(ok(storage(0, R"({"name":"某剧毒易燃液体","quantity_t":5,"category":["J4","W5.1"]})")));
  EXPECT_EQ(stored.at("substances").as_array()[0].as_object().at("beta").to_number<double>(), 2);
  EXPECT_EQ(stored.at("substances").as_array()[0].as_object().at("beta_category").as_string(), "J4");
}

TEST(Gb18218, TheReviewedRows) {
  auto by = [](const std::string& s) { return ok(storage(0, s)).substances.at(0); };
  // 硝化纤维素（含乙醇≥25%）: 爆炸物 1.3 项 → W1.2, β 2 (Q 10 from 表1).
  auto nc = by(R"({"name":"硝化纤维素（含乙醇≥25%）","quantity_t":10})");
  EXPECT_EQ(nc.table1_no, 39);
  EXPECT_EQ(nc.critical_t, 10);
  EXPECT_EQ(nc.beta_category, "W1.2");
  EXPECT_EQ(nc.beta, 2);
  // 过氧化甲基乙基酮 (the 表1 formulation): organic peroxide type B → W7.1, β 1.5.
  auto mekp = by(R"({"name":"过氧化甲基乙基酮（10%<有效氧含量≤10.7%，含A型稀释剂≥48%）","quantity_t":10})");
  EXPECT_EQ(mekp.critical_t, 10);
  EXPECT_EQ(mekp.beta_category, "W7.1");
  EXPECT_EQ(mekp.beta, Rational(3, 2));
}

TEST(Gb18218, AQualifiedRowDoesNotSwallowOtherGrades) {
  auto error_of = [](const std::string& s) {
    auto e = run(storage(0, s));
    return e.ok() ? Error{"ok", "", ""} : e.error();
  };
  // 盐酸 by CAS 7647-01-0 and 福尔马林 by 50-00-0: ambiguous, naming the row and how to choose.
  for (const char* s : {R"({"cas":"7647-01-0","quantity_t":30})", R"({"name":"盐酸","cas":"7647-01-0","quantity_t":30})",
                        R"({"name":"盐酸","quantity_t":30})", R"({"name":"氯化氢","quantity_t":30})"}) {
    auto e = error_of(s);
    EXPECT_EQ(e.code, "ambiguous_substance") << s;
    EXPECT_EQ(e.field, "substances[0].name") << s;
    EXPECT_NE(e.message.find("氯化氢（无水）"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("category"), std::string::npos) << e.message;
  }
  for (const char* s : {R"({"cas":"50-00-0","quantity_t":5})", R"({"name":"福尔马林","quantity_t":5})", R"({"name":"甲醛","quantity_t":5})",
                        R"({"name":"蚁醛","quantity_t":5})"}) {
    auto e = error_of(s);
    EXPECT_EQ(e.code, "ambiguous_substance") << s;
    EXPECT_NE(e.message.find("甲醛（含量>90%）"), std::string::npos) << e.message;
  }
  for (const char* s : {R"({"cas":"7664-39-3","quantity_t":1})", R"({"name":"氢氟酸","quantity_t":1})", R"({"name":"硝酸","quantity_t":1})",
                        R"({"cas":"7697-37-2","quantity_t":1})", R"({"cas":"79-21-0","quantity_t":1})", R"({"cas":"3811-04-9","quantity_t":1})",
                        R"({"cas":"1338-23-4","quantity_t":1})"})
    EXPECT_EQ(error_of(s).code, "ambiguous_substance") << s;
  // The exact 表1 name (or a name that confirms the grade) is the row.
  auto by = [](const std::string& s) { return ok(storage(0, s)).substances.at(0); };
  EXPECT_EQ(by(R"({"name":"无水氯化氢","cas":"7647-01-0","quantity_t":20})").critical_t, 20);
  EXPECT_EQ(by(R"({"name":"氟化氢","cas":"7664-39-3","quantity_t":1})").table1_no, 20);
  EXPECT_EQ(by(R"({"name":"过氧乙酸","quantity_t":1})").table1_no, 71);  // an alias of an unqualified name
  EXPECT_EQ(by(R"({"name":"浓硝酸","quantity_t":1})").critical_t, 100);
  // The other grade with its own category: 表2. 盐酸 (31 %) is not in 表2's toxic classes by itself;
  // a user who classes it J5 gets Q 500, β 1 — never the anhydrous row's 20 t.
  auto hcl = by(R"({"name":"盐酸","cas":"7647-01-0","category":"J5","quantity_t":30})");
  EXPECT_FALSE(hcl.table1_no.has_value());
  EXPECT_EQ(hcl.critical_t, 500);
  EXPECT_EQ(hcl.critical_from, "表2 J5");
  EXPECT_NE(hcl.note.find("氯化氢（无水）"), std::string::npos);
  auto formalin = by(R"({"cas":"50-00-0","category":"W5.4","quantity_t":100})");
  EXPECT_EQ(formalin.critical_t, 5000);
  // A name that is another grade with the CAS of an unrelated row is still refused.
  EXPECT_EQ(error_of(R"({"name":"盐酸","cas":"7664-41-7","category":"J5","quantity_t":1})").code, "invalid_field");
}

TEST(Gb18218, AMixtureOfAnotherClassTakesItsOwnQ) {
  auto by = [](const std::string& s) { return ok(storage(0, s)).substances.at(0); };
  // 30 % 甲醇 in water is 易燃液体类别3 (W5.4): Q 5000 from 表2, not 甲醇's 500 from 表1.
  auto solution = by(R"({"name":"甲醇","cas":"67-56-1","mixture":true,"category":"W5.4","quantity_t":1000})");
  EXPECT_EQ(solution.critical_t, 5000);
  EXPECT_EQ(solution.critical_from, "表2 W5.4");
  EXPECT_EQ(solution.beta, 1);
  EXPECT_EQ(solution.q_over_q, Rational(1, 5));
  EXPECT_FALSE(solution.table1_no.has_value());
  EXPECT_NE(solution.note.find("4.2.3"), std::string::npos);
  // Without `mixture` a category given to a 表1 substance decides β only (its conditions).
  auto pure = by(R"({"name":"甲醇","category":"W5.4","quantity_t":1000})");
  EXPECT_EQ(pure.critical_t, 500);
  // A mixture must say its class.
  auto e = run(storage(0, R"({"name":"甲醇","mixture":true,"quantity_t":1000})"));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().field, "substances[0].category");
  EXPECT_EQ(run(storage(0, R"({"name":"甲醇","mixture":"yes","category":"W5.4","quantity_t":1})")).error().field, "substances[0].mixture");
}

TEST(Gb18218, QualifiedRowsOfTheShippedTablesHaveOtherGrades) {
  int qualified = 0;
  for (const auto& n : Tables::standard().named())
    if (n.qualified) {
      ++qualified;
      EXPECT_FALSE(n.other_grades.empty()) << n.name;
    }
  EXPECT_GE(qualified, 8);
}
