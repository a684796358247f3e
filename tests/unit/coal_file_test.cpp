// Coal-mine networking files (DOMAIN.md §8a) from sample files in tests/data/coal/.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/text.h"
#include "codes/coal_file.h"

using namespace anjian;
using namespace anjian::codes;

namespace {
std::string read(const std::string& name) {
  std::ifstream in(std::string(ANJIAN_TEST_DATA) + "/coal/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(CoalFile, RealTimeValuesFromTheDomainSample) {
  const std::string name = "140211001234_CDSS_20261129083000.txt";
  auto fn = parse_coal_file_name(name);
  ASSERT_TRUE(fn.ok());
  EXPECT_EQ(fn->mine_code, "140211001234");
  EXPECT_EQ(fn->kind, "CDSS");
  EXPECT_EQ(format_iso(fn->made_at), "2026-11-29T08:30:00+08:00");
  for (const std::string& bytes : {read(name), utf8_to_gb18030(read(name))}) {
    auto f = parse_coal_file(fn->kind, bytes);
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_EQ(f->mine_name, "同煤某某煤矿");
    ASSERT_EQ(f->readings.size(), 2u);
    EXPECT_EQ(f->readings[1].point_code, "140211001234MN0102");
    EXPECT_DOUBLE_EQ(f->readings[1].value, 1.12);
    EXPECT_EQ(f->readings[1].state, 1u);  // 报警
    EXPECT_EQ(format_iso(f->readings[1].ts), "2026-11-29T08:30:00+08:00");
    EXPECT_TRUE(f->issues.empty());
  }
}

TEST(CoalFile, DefinitionsWithBadRecordsReportedByNumber) {
  auto f = parse_coal_file("CDDY", read("140211001234_CDDY_20261129080000.txt"));
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->points.size(), 4u);
  const auto& m = f->points[0];
  EXPECT_EQ(m.indicator, "methane");
  EXPECT_EQ(m.alarm_high, 1.0);
  EXPECT_FALSE(m.alarm_low.has_value());  // empty field: not set
  EXPECT_EQ(m.poweroff, 1.5);
  EXPECT_EQ(m.restore, 1.0);
  EXPECT_EQ(m.poweroff_area, "8101工作面及回风巷");
  EXPECT_EQ(f->points[2].indicator, "carbon_monoxide");
  EXPECT_TRUE(f->points[3].is_switch);
  ASSERT_EQ(f->issues.size(), 3u);
  EXPECT_EQ(f->issues[0].record, 6u);
  EXPECT_NE(f->issues[0].reason.find("9999"), std::string::npos);
  EXPECT_EQ(f->issues[1].record, 7u);
  EXPECT_EQ(f->issues[2].record, 8u);
  EXPECT_NE(f->issues[2].reason.find("量程上限"), std::string::npos);
}

TEST(CoalFile, EndMarksAndHostileInput) {
  const std::string head = "M1;矿;2026-11-29 08:30:00~";
  for (const std::string end : {"", "||", "\xE2\x80\x96", "~||\n"}) {
    auto f = parse_coal_file("CDSS", head + "P1;0.5;0;2026-11-29 08:30:00~" + end);
    ASSERT_TRUE(f.ok()) << end;
    EXPECT_EQ(f->readings.size(), 1u) << end;
  }
  EXPECT_EQ(parse_coal_file("CDSS", "").error().code, "invalid_coal_file");
  EXPECT_EQ(parse_coal_file("CDSS", "no header here").error().code, "invalid_coal_file");
  EXPECT_EQ(parse_coal_file("XXXX", head).error().code, "invalid_coal_file");
  EXPECT_EQ(parse_coal_file("CDSS", std::string("\x00\x01\xff", 3)).error().code, "invalid_encoding");
  auto bad = parse_coal_file("CDSS", head + "P1;nan;0;2026-11-29 08:30:00~P2;1;64;2026-11-29 08:30:00~P3;1;0;2026-13-29 08:30:00~;1;0;x~");
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(bad->readings.empty());
  EXPECT_EQ(bad->issues.size(), 4u);
  for (const char* name : {"M_CDSS_2026112908300.txt", "M_XXXX_20261129083000.txt", "CDSS_20261129083000.txt", "M_CDSS_20261329083000.txt", "M_CDSS_20261129083000.csv"})
    EXPECT_FALSE(parse_coal_file_name(name).ok()) << name;
}
