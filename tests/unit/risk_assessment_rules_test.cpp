// LEC and the risk matrix against DOMAIN.md §4's vectors and each level's boundaries.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/risk/assessment_rules.h"

using namespace anjian;
using namespace anjian::risk;

TEST(Lec, DomainVectorsAndBoundaries) {
  struct Case { double l, e, c, d; RiskLevel level; };
  for (const Case& x : {Case{6, 6, 15, 540, RiskLevel::major}, Case{3, 6, 15, 270, RiskLevel::significant},
                        Case{3, 6, 7, 126, RiskLevel::general}, Case{1, 6, 7, 42, RiskLevel::low},
                        Case{6, 6, 7, 252, RiskLevel::significant}, Case{1, 10, 7, 70, RiskLevel::general},
                        Case{1, 6, 15, 90, RiskLevel::general}, Case{0.5, 6, 15, 45, RiskLevel::low},
                        Case{1, 2, 3, 6, RiskLevel::low}, Case{0.1, 0.5, 1, 0.05, RiskLevel::low},
                        Case{10, 10, 100, 10000, RiskLevel::major}, Case{0.2, 10, 100, 200, RiskLevel::significant},
                        Case{1, 2, 100, 200, RiskLevel::significant}, Case{0.5, 2, 15, 15, RiskLevel::low}}) {
    auto r = lec(x.l, x.e, x.c);
    ASSERT_TRUE(r.ok()) << x.l << " " << x.e << " " << x.c;
    EXPECT_DOUBLE_EQ(r->d, x.d);
    EXPECT_EQ(r->level, x.level) << r->d;
  }
  // The bounds themselves, on the default cut-offs: 320 red, 160 orange, 70 yellow.
  EXPECT_EQ(kLecCutoffs.level(320), RiskLevel::major);
  EXPECT_EQ(kLecCutoffs.level(319.9), RiskLevel::significant);
  EXPECT_EQ(kLecCutoffs.level(160), RiskLevel::significant);
  EXPECT_EQ(kLecCutoffs.level(159.9), RiskLevel::general);
  EXPECT_EQ(kLecCutoffs.level(70), RiskLevel::general);
  EXPECT_EQ(kLecCutoffs.level(69.9), RiskLevel::low);
  // 0.1 × 10 × 7 is 7.000000000000001 in doubles: exact here.
  EXPECT_EQ(lec(0.1, 10, 7)->d, 7);
}

TEST(Lec, ValuesOutsideTheTablesAreRefusedByName) {
  auto field = [](double l, double e, double c) {
    auto r = lec(l, e, c);
    return r.ok() ? std::string("ok") : r.error().code + "@" + r.error().field;
  };
  EXPECT_EQ(field(2, 6, 7), "invalid_field@l");  // DOMAIN's vector: L = 2 is not a table value
  EXPECT_EQ(field(6, 4, 7), "invalid_field@e");
  EXPECT_EQ(field(6, 6, 50), "invalid_field@c");
  EXPECT_EQ(field(-1, 6, 7), "invalid_field@l");
  auto body = [](const char* text) {
    auto r = lec_from_json(boost::json::parse(text).as_object(), kLecCutoffs);
    return r.ok() ? std::string("ok") : r.error().code + "@" + r.error().field;
  };
  EXPECT_EQ(body(R"({"l":6,"e":6,"c":15})"), "ok");
  EXPECT_EQ(body(R"({"l":"6","e":6,"c":15})"), "invalid_field@l");
  EXPECT_EQ(body(R"({"e":6,"c":15})"), "invalid_field@l");
  EXPECT_EQ(body(R"({"l":6,"e":6,"c":15,"d":1})"), "unknown_field@d");
  EXPECT_EQ(body(R"({"l":1e300,"e":6,"c":15})"), "invalid_field@l");
  auto j = to_json(*lec(6, 6, 15));
  EXPECT_EQ(j.at("d").as_double(), 540);
  EXPECT_EQ(j.at("level").as_string(), "major");
  EXPECT_EQ(j.at("colour").as_string(), "red");
  EXPECT_EQ(j.at("level_name").as_string(), "重大风险");
}

TEST(RiskMatrix, BoundariesOfEachLevel) {
  struct Case { int l, s, r; RiskLevel level; };
  for (const Case& x : {Case{4, 5, 20, RiskLevel::major}, Case{5, 5, 25, RiskLevel::major}, Case{3, 5, 15, RiskLevel::significant},
                        Case{4, 4, 16, RiskLevel::significant}, Case{3, 3, 9, RiskLevel::general}, Case{2, 5, 10, RiskLevel::general},
                        Case{2, 4, 8, RiskLevel::low}, Case{1, 1, 1, RiskLevel::low}}) {
    auto r = matrix(x.l, x.s);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->r, x.r);
    EXPECT_EQ(r->level, x.level) << x.l << "×" << x.s;
  }
  EXPECT_EQ(matrix(0, 3).error().field, "l");
  EXPECT_EQ(matrix(6, 3).error().field, "l");
  EXPECT_EQ(matrix(3, 0).error().field, "s");
  auto body = [](const char* text) {
    auto r = matrix_from_json(boost::json::parse(text).as_object(), kMatrixCutoffs);
    return r.ok() ? std::string("ok") : r.error().code + "@" + r.error().field;
  };
  EXPECT_EQ(body(R"({"l":4,"s":5})"), "ok");
  EXPECT_EQ(body(R"({"l":2.5,"s":5})"), "invalid_field@l");
  EXPECT_EQ(body(R"({"l":4,"s":6})"), "invalid_field@s");
  EXPECT_EQ(body(R"({"l":4})"), "invalid_field@s");
  auto j = to_json(*matrix(4, 5));
  EXPECT_EQ(j.at("r").as_int64(), 20);
  EXPECT_EQ(j.at("colour").as_string(), "red");
}
