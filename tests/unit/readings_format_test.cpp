// The readings batch of the HTTP and MQTT doors: good batches, one reading alone, and every way a
// gateway (or an attacker) gets it wrong — each reading refused with its index and reason, a broken
// document refused whole.
#include <gtest/gtest.h>

#include "modules/monitoring/readings_format.h"

using namespace anjian;
using namespace anjian::monitoring;

namespace {
std::string code_of(const Result<ReadingBatch>& r) { return r.ok() ? "" : r.error().code; }
}  // namespace

TEST(ReadingsFormat, ReadsABatch) {
  auto b = parse_readings(R"({"readings":[{"point":"T101-LT","ts":1764380000000,"value":15.7,"quality":"good"},
      {"point":"甲烷01","ts":"2026-11-29T08:30:00+08:00","value":-3,"quality":"uncertain","unit":"m"}]})");
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(b->readings.size(), 2u);
  EXPECT_EQ(b->readings[0].point, "T101-LT");
  EXPECT_EQ(b->readings[0].ts, 1764380000000);
  EXPECT_DOUBLE_EQ(b->readings[0].value, 15.7);
  EXPECT_EQ(b->readings[1].point, "甲烷01");
  EXPECT_EQ(b->readings[1].ts, 1795912200000);  // 08:30 in Shanghai is 00:30 UTC
  EXPECT_EQ(b->readings[1].quality, Quality::uncertain);
  EXPECT_EQ(b->readings[1].index, 1u);
  EXPECT_TRUE(b->rejected.empty());
}

TEST(ReadingsFormat, ReadsOneReadingAlone) {
  auto b = parse_readings(R"({"point":"P1","ts":1000,"value":1})");
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->readings.size(), 1u);
  EXPECT_EQ(b->readings[0].quality, Quality::good);
  auto bad = parse_readings(R"({"point":"P1","ts":1000,"value":"x"})");
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(bad->rejected.size(), 1u);
  EXPECT_EQ(bad->rejected[0].code, "not_a_number");
}

TEST(ReadingsFormat, RejectsEachBadReadingWithItsIndex) {
  auto b = parse_readings(R"({"readings":[
      5, {"ts":1,"value":1}, {"point":"","ts":1,"value":1}, {"point":"P","ts":1,"value":null},
      {"point":"P","ts":1,"value":[1]}, {"point":"P","ts":-5,"value":1}, {"point":"P","ts":1.5,"value":1},
      {"point":"P","ts":"yesterday","value":1}, {"point":"P","ts":1,"value":1,"quality":"excellent"},
      {"point":"P","ts":1,"value":1,"quality":7}, {"point":"P","value":1}, {"point":"P","ts":18446744073709551615,"value":1},
      {"point":"OK","ts":2,"value":2}]})");
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(b->readings.size(), 1u);
  EXPECT_EQ(b->readings[0].index, 12u);
  std::vector<std::string> codes;
  for (const auto& r : b->rejected) codes.push_back(std::to_string(r.index) + ":" + r.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"0:invalid_reading", "1:invalid_field", "2:invalid_field", "3:not_a_number",
                                             "4:not_a_number", "5:invalid_timestamp", "6:invalid_timestamp",
                                             "7:invalid_timestamp", "8:invalid_field", "9:invalid_field",
                                             "10:invalid_timestamp", "11:invalid_timestamp"}));
}

TEST(ReadingsFormat, RefusesABrokenOrMisshapenDocumentWhole) {
  EXPECT_EQ(code_of(parse_readings("")), "invalid_json");
  EXPECT_EQ(code_of(parse_readings("{not json")), "invalid_json");
  // Broken after good readings: nothing is taken.
  EXPECT_EQ(code_of(parse_readings(R"({"readings":[{"point":"P","ts":1,"value":1},{"point":)")), "invalid_json");
  EXPECT_EQ(code_of(parse_readings("{\"readings\":[]}\x00garbage")), "");
  EXPECT_EQ(code_of(parse_readings(std::string("{\"readings\":[{\"point\":\"\xff\xfe\",\"ts\":1,\"value\":1}]}"))), "invalid_json");
  EXPECT_EQ(code_of(parse_readings("[1,2]")), "invalid_field");
  EXPECT_EQ(code_of(parse_readings(R"({"readings":{}})")), "invalid_field");
  EXPECT_EQ(code_of(parse_readings(R"({"x":1})")), "invalid_field");
  EXPECT_EQ(code_of(parse_readings(R"({"readings":[],"x":1})")), "unknown_field");
  // A number past double's range is refused by the parser as not JSON it can represent.
  EXPECT_EQ(code_of(parse_readings(R"({"readings":[{"point":"P","ts":1,"value":1e400}]})")), "invalid_json");
  std::string deep(100000, '[');
  EXPECT_EQ(code_of(parse_readings(deep)), "invalid_json");
}

TEST(ReadingsFormat, RefusesMoreThanTheLimit) {
  std::string ok = R"({"readings":[)", over;
  for (size_t i = 0; i < kMaxBatch; ++i) ok += (i ? "," : "") + std::string(R"({"point":"P","ts":1,"value":1})");
  over = ok + R"(,{"point":"P","ts":1,"value":1}]})";
  ok += "]}";
  EXPECT_EQ(parse_readings(ok)->readings.size(), kMaxBatch);
  EXPECT_EQ(code_of(parse_readings(over)), "too_large");
}
