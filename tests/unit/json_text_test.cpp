// JSON as the program writes it: numbers as people write them, strings escaped, every kind.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cmath>
#include <limits>

#include "base/json_text.h"

using namespace anjian;
namespace json = boost::json;

TEST(JsonText, NumbersAsPeopleWriteThem) {
  struct Case { double value; const char* text; };
  for (auto [value, text] : std::initializer_list<Case>{
           {48, "48"}, {4.8, "4.8"}, {89.88, "89.88"}, {120.223553, "120.223553"}, {2, "2"}, {0, "0"}, {-0.5, "-0.5"},
           {0.1 + 0.2, "0.30000000000000004"}, {1e-6, "0.000001"}, {123456789012345.6, "123456789012345.6"},
           {1e20, "1e+20"}, {1.5e-9, "1.5e-09"}}) {
    EXPECT_EQ(json_text(json::value(value)), text) << text;
    // What is written reads back to the same double.
    EXPECT_EQ(json::parse(json_text(json::value(value))).to_number<double>(), value) << text;
  }
  EXPECT_EQ(json_text(json::value(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(json_text(json::value(std::numeric_limits<double>::infinity())), "null");
  EXPECT_EQ(number_text(30.27), "30.27");
  EXPECT_EQ(round_coordinate(120.2235531234), 120.223553);
  EXPECT_EQ(json_text(json::value(round_coordinate(30.1234565))), "30.123457");
}

TEST(JsonText, EveryKindAndEscapes) {
  json::value v = json::parse(R"({"a":[1,-2,true,false,null,"x"],"b":{"c":"引号\"与\\反斜杠\n换行\t制表\u0001"},"d":18446744073709551615})");
  const std::string text = json_text(v);
  EXPECT_EQ(text, R"({"a":[1,-2,true,false,null,"x"],"b":{"c":"引号\"与\\反斜杠\n换行\t制表\u0001"},"d":18446744073709551615})");
  EXPECT_EQ(json::parse(text), v);
  EXPECT_EQ(json_text(json::object{}), "{}");
  EXPECT_EQ(json_text(json::array{}), "[]");
}
