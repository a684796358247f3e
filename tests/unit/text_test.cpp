#include <gtest/gtest.h>

#include "base/collation.h"
#include "base/csv.h"
#include "base/search_terms.h"
#include "base/text.h"
#include "base/time.h"
#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/xlsx.h"

using namespace anjian;

TEST(Text, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("杭州某某化工有限公司"));
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE6\x9D"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(Text, DecodesGb18030AndRefusesGarbage) {
  std::string gb = utf8_to_gb18030("统一社会信用代码,企业名称");
  ASSERT_FALSE(gb.empty());
  EXPECT_FALSE(is_valid_utf8(gb));
  auto back = decode_utf8_or_gb18030(gb);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, "统一社会信用代码,企业名称");
  auto bom = decode_utf8_or_gb18030("\xEF\xBB\xBFuscc");
  ASSERT_TRUE(bom);
  EXPECT_EQ(*bom, "uscc");
  // Neither UTF-8 nor GB18030: a lone lead byte at the end, and binary control bytes.
  EXPECT_FALSE(decode_utf8_or_gb18030("abc\x81"));
  EXPECT_FALSE(decode_utf8_or_gb18030(std::string("\x00\x01\x02\xff", 4)));
}

TEST(Text, TrimsIdeographicSpace) {
  EXPECT_EQ(trim("\xE3\x80\x80 杭州 \t"), "杭州");
  EXPECT_EQ(trim("   "), "");
}

TEST(SearchTerms, BigramsAndUnigrams) {
  auto d = document_terms("杭州化工 ABC-12");
  std::vector<std::string> expected = {"杭", "州", "化", "工", "杭州", "州化", "化工", "abc", "12"};
  EXPECT_EQ(d, expected);
  EXPECT_EQ(query_terms("化工"), (std::vector<std::string>{"化工"}));
  EXPECT_EQ(query_terms("杭州 化工"), (std::vector<std::string>{"杭州", "化工"}));
  EXPECT_EQ(query_terms("化"), (std::vector<std::string>{"化"}));
  EXPECT_EQ(query_terms("某某化工"), (std::vector<std::string>{"某某", "某化", "化工"}));
  EXPECT_TRUE(query_terms("!!! ，。").empty());
  EXPECT_EQ(query_terms("ＡＢＣ"), (std::vector<std::string>{"abc"}));
}

TEST(Csv, QuotesNewLinesAndBlankLines) {
  auto r = parse_csv("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",z\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].fields[0], "x,1");
  EXPECT_EQ(r[1].fields[1], "say \"hi\"");
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_EQ(r[2].fields[0], "multi\nline");
  EXPECT_EQ(r[2].line, 4u);
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
}

TEST(Time, IsoRoundTripInShanghai) {
  auto t = parse_instant("2026-11-29T08:30:00+08:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, 1795912200000);
  EXPECT_EQ(format_iso(*t), "2026-11-29T08:30:00+08:00");
  EXPECT_EQ(parse_instant("2026-11-29T00:30:00Z"), t);
  EXPECT_EQ(parse_instant("1795912200000"), t);
  EXPECT_FALSE(parse_instant("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-11-29T24:00:00Z"));
  EXPECT_FALSE(parse_instant("2026-11-29 08:30"));
  EXPECT_FALSE(parse_instant("99999999999999999999"));
  EXPECT_EQ(format_date(*parse_date("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(parse_date("2023-02-29"));
  // 23:59 UTC on the 28th is already the 29th in Shanghai.
  EXPECT_EQ(format_date(today_shanghai(*parse_instant("2026-11-28T23:59:00Z"))), "2026-11-29");
}

TEST(Crypto, Sm3KnownAnswer) {
  // GB/T 32905-2016 appendix A example 1.
  EXPECT_EQ(sm3_hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  EXPECT_EQ(random_token(32).size(), 43u);
  EXPECT_NE(random_token(32), random_token(32));
}

TEST(JsonFields, TypesRangesAndUnknownFields) {
  auto obj = parse_json_object(R"({"name":" 某某 ","n":5,"x":1.5,"extra":true})");
  ASSERT_TRUE(obj.ok());
  JsonFields f(*obj);
  EXPECT_EQ(f.string("name", true), "某某");
  EXPECT_EQ(f.integer("n", true, 0, 10), 5);
  EXPECT_EQ(f.number("x", true, 0, 2), 1.5);
  auto s = f.finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "unknown_field");
  EXPECT_EQ(s.error().field, "extra");

  auto bad = parse_json_object(R"({"n":"5"})");
  JsonFields g(*bad);
  EXPECT_FALSE(g.integer("n", true, 0, 10));
  EXPECT_EQ(g.finish().error().field, "n");

  EXPECT_EQ(parse_json_object("[1]").error().code, "invalid_json");
  EXPECT_EQ(parse_json_object("{").error().code, "invalid_json");
  EXPECT_EQ(parse_json_object(std::string(100, '[') + std::string(100, ']')).error().code, "invalid_json");
}

TEST(Xlsx, SerialDatesAndHostileArchives) {
  EXPECT_EQ(excel_serial_to_date("46477"), "2027-03-31");
  EXPECT_EQ(excel_serial_to_date("25569"), "1970-01-01");
  EXPECT_EQ(excel_serial_to_date("45000.5"), "2023-03-15");
  EXPECT_EQ(excel_serial_to_date("12"), "");
  EXPECT_EQ(excel_serial_to_date("abc"), "");
  EXPECT_EQ(excel_serial_to_date("99999999"), "");
  EXPECT_TRUE(looks_like_zip(std::string("PK\x03\x04", 4)));
  EXPECT_FALSE(looks_like_zip("uscc,name"));
  for (const std::string& bytes : {std::string("PK\x03\x04", 4), std::string("PK\x03\x04", 4) + std::string(1000, '\xff'), std::string()}) {
    auto r = read_xlsx_first_sheet(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "invalid_xlsx");
  }
}

TEST(Csv, AFormulaToExcelIsWrittenAsText) {
  EXPECT_EQ(csv_field("=1+1"), "'=1+1");
  EXPECT_EQ(csv_field("+86 138"), "'+86 138");
  EXPECT_EQ(csv_field("-5"), "'-5");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx"), "'\tx");
  EXPECT_EQ(csv_field("=a,b"), "\"'=a,b\"");
  EXPECT_EQ(csv_field("杭州=西湖"), "杭州=西湖");  // only a leading sign starts a formula
  EXPECT_EQ(csv_field("a\"b"), "\"a\"\"b\"");
}

TEST(JsonFieldsText, MessagesNameTheFieldInChinese) {
  const boost::json::value body = boost::json::parse(R"({"cause":""})");
  JsonFields f(body.as_object());
  f.string("cause", true);
  auto s = f.finish();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "cause");  // the API's field name, for clients
  EXPECT_EQ(s.error().message, "原因 不能为空");  // the person's word
  EXPECT_EQ(field_label("substances[2].quantity_t"), "数量（吨）（substances[2].quantity_t）");
  EXPECT_EQ(field_label("unheard_of"), "unheard_of");
}

TEST(Collation, NamesInPinyinOrder) {
  // 东 (dōng) before 万 (wàn), though U+4E07 万 comes before U+4E1C 东 as bytes.
  EXPECT_LT(pinyin_key("东方化工"), pinyin_key("万达化工"));
  EXPECT_LT(pinyin_key("安徽"), pinyin_key("北京"));
  EXPECT_LT(pinyin_key("杭州"), pinyin_key("宁波"));
  EXPECT_LT(pinyin_key("浙江甲"), pinyin_key("浙江乙"));  // jiǎ before yǐ
  EXPECT_EQ(pinyin_key("上城区"), pinyin_key("上城区"));
  EXPECT_NE(pinyin_key("上城区"), pinyin_key("上城"));
  for (char c : pinyin_key("某某化工有限公司")) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}
