// A replica's facets (exchange/facets_format.h): what a province counts its million copies by.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "exchange/facets_format.h"

using namespace anjian::exchange;
namespace json = boost::json;

namespace {
SharedType hidden_danger() {
  SharedType t;
  t.type = "hidden_danger";
  auto label = [](std::string_view v) { return v; };
  t.fields = {{"description", "隐患描述", "string", false},
              {"grade", "隐患等级", "string", false, label},
              {"state", "治理状态", "string", false, label},
              {"supervised", "是否挂牌督办", "boolean", false},
              {"deadline", "整改期限", "date", false}};
  return t;
}
}  // namespace

TEST(ExchangeFacets, OnlyEnumerationsAndYesNoFieldsInTheirDeclaredOrder) {
  const auto t = hidden_danger();
  const auto f = facets_of(t, json::parse(R"({"description":"未设置紧急切断装置","grade":"major","state":"reported","supervised":true,
                                             "deadline":"2026-12-31T00:00:00+08:00"})").as_object());
  EXPECT_EQ(f, "|grade=major|state=reported|supervised=true|");
  auto back = parse_facets(f);
  EXPECT_EQ(back.size(), 3u);
  EXPECT_EQ(back["grade"], "major");
  EXPECT_EQ(back["supervised"], "true");
  EXPECT_EQ(back.count("description"), 0u);
}

TEST(ExchangeFacets, AbsentAndNullValuesAreEmptyAndATypeWithoutFacetsHasTheMark) {
  const auto t = hidden_danger();
  EXPECT_EQ(facets_of(t, json::parse(R"({"grade":null})").as_object()), "|grade=|state=|supervised=|");
  SharedType plain;
  plain.fields = {{"name", "名称", "string", false}};
  EXPECT_EQ(facets_of(plain, json::object{{"name", "x"}}), std::string(kFacetsMark)) << "computed, not '' (still to fill)";
}

TEST(ExchangeFacets, ASendersHostileValueCannotForgeAnotherFacet) {
  const auto t = hidden_danger();
  const auto f = facets_of(t, json::object{{"grade", "major|state=closed"}, {"state", "a=b%7C"}, {"supervised", 5}});
  auto back = parse_facets(f);
  EXPECT_EQ(back["grade"], "major|state=closed") << f;
  EXPECT_EQ(back["state"], "a=b%7C");
  EXPECT_EQ(back["supervised"], "5");
  EXPECT_EQ(parse_facets(facets_of(t, json::object{{"grade", std::string(500, 'x')}}))["grade"].size(), 64u) << "cut to 64 bytes";
  for (const char* junk : {"", "|", "||=|", "|=x|", "garbage", "|a|b=|"}) {
    auto m = parse_facets(junk);
    EXPECT_EQ(m.count(""), 0u) << junk;
  }
  EXPECT_EQ(parse_facets("|a|b=|")["b"], "");
}
