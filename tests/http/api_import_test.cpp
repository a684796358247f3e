// Bulk import (预入库 → 质检 → 正式入库): encodings, row checks, duplicates, all-or-nothing, scope.
#include <gtest/gtest.h>

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class ImportApi : public ApiTest {
 protected:
  HttpResult upload(HttpClient& c, const std::string& csv, const std::string& query = "") {
    return c.request("POST", "/api/v1/enterprises/import" + query, csv, {{"Content-Type", "text/csv"}});
  }
  int count(HttpClient& c, const std::string& uscc) {
    return static_cast<int>(c.get("/api/v1/enterprises?q=" + uscc).json().at("total").as_int64());
  }
};

namespace {
const char* kHeader = "统一社会信用代码,企业名称,行政区划代码,监管行业,地址,经度,纬度,企业规模,从业人员数,有效期至,经营状态\n";
std::string row(const std::string& uscc, const std::string& name, const std::string& region = "330106",
                const std::string& industry = "危险化学品生产", const std::string& lon = "120.1", const std::string& lat = "30.2") {
  return uscc + "," + name + "," + region + "," + industry + ",\"杭州市西湖区某路,1号\"," + lon + "," + lat + ",小型,35,2027/1/9,正常\n";
}
}  // namespace

TEST_P(ImportApi, Utf8WithBomImportsAndReports) {
  auto c = w_->as("xihu_admin");
  const std::string a = uscc_for("330106", next_serial()), b = uscc_for("330106", next_serial());
  const std::string csv = "\xEF\xBB\xBF" + std::string(kHeader) + row(a, "导入甲化工有限公司") + row(b, "导入乙化工有限公司");
  auto r = upload(c, csv);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("rows").as_int64(), 2);
  EXPECT_EQ(j.at("imported").as_int64(), 2);
  EXPECT_TRUE(j.at("committed").as_bool());
  auto got = c.get("/api/v1/enterprises/" + a).json();
  EXPECT_EQ(got.at("scale").as_string(), "small");
  EXPECT_EQ(got.at("licence").at("expires_on").as_string(), "2027-01-09");
  EXPECT_EQ(got.at("address").as_string(), "杭州市西湖区某路,1号");
  EXPECT_EQ(c.get("/api/v1/enterprises/" + a + "/history").json().at("items").at(0).at("action").as_string(), "import");
}

TEST_P(ImportApi, Gb18030FromExcelIsAccepted) {
  auto c = w_->as("nation_admin");
  const std::string a = uscc_for("330106", next_serial());
  const std::string csv = utf8_to_gb18030(std::string(kHeader) + row(a, "国标编码化工有限公司"));
  auto r = upload(c, csv);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("imported").as_int64(), 1);
  EXPECT_EQ(c.get("/api/v1/enterprises/" + a).json().at("name").as_string(), "国标编码化工有限公司");
}

TEST_P(ImportApi, NeitherUtf8NorGb18030IsRefused) {
  auto c = w_->as("nation_admin");
  std::string garbage = std::string(kHeader) + std::string("\x81\x20\xff\x00\x01", 5);
  auto r = upload(c, garbage);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error_code(), "invalid_encoding");
  auto xlsx = upload(c, std::string("PK\x03\x04", 4) + "rest");
  EXPECT_EQ(xlsx.status, 400u);
  EXPECT_EQ(xlsx.error_code(), "invalid_xlsx");
}

TEST_P(ImportApi, EveryBadRowIsReportedAndGoodRowsAreKept) {
  auto c = w_->as("nation_admin");
  const std::string good = uscc_for("330106", next_serial()), dup = uscc_for("330106", next_serial());
  std::string bad_check = uscc_for("330106", next_serial());
  bad_check.back() = bad_check.back() == 'A' ? 'B' : 'A';
  const std::string csv = std::string(kHeader) +
                          row(good, "合格行有限公司") +                                   // line 2
                          row(bad_check, "校验位错误有限公司") +                          // line 3
                          row(uscc_for("330106", next_serial()), "区划错误", "999999") +  // line 4
                          row(uscc_for("330106", next_serial()), "行业错误", "330106", "采矿") +  // line 5
                          row(uscc_for("330106", next_serial()), "境外坐标", "330106", "其他", "10.0", "30.0") +  // line 6
                          row(dup, "重复甲") + row(dup, "重复乙") +                        // lines 7, 8
                          row(w_->uscc["E_XIHU"], "库中已有");                             // line 9
  auto r = upload(c, csv);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("rows").as_int64(), 8);
  EXPECT_EQ(j.at("imported").as_int64(), 2);  // the good row and the first of the duplicates
  std::map<std::int64_t, std::string> issues;
  for (const auto& e : j.at("errors").as_array()) issues[e.at("line").as_int64()] = std::string(e.at("code").as_string());
  EXPECT_EQ(issues[3], "invalid_uscc");
  EXPECT_EQ(issues[4], "unknown_region");
  EXPECT_EQ(issues[5], "invalid_field");
  EXPECT_EQ(issues[6], "invalid_field");
  EXPECT_EQ(issues[8], "duplicate_in_file");
  EXPECT_EQ(issues[9], "conflict");
  EXPECT_EQ(issues.size(), 6u);
  for (const auto& e : j.at("errors").as_array()) {
    if (e.at("line").as_int64() == 3) {
      EXPECT_EQ(e.at("column").as_string(), "统一社会信用代码");
    }
  }
  EXPECT_EQ(count(c, good), 1);
}

TEST_P(ImportApi, DryRunAndAllOrNothingChangeNothing) {
  auto c = w_->as("nation_admin");
  const std::string a = uscc_for("330106", next_serial());
  const std::string csv = std::string(kHeader) + row(a, "试导入有限公司") + row(uscc_for("330106", next_serial()), "坏行", "999999");
  auto dry = upload(c, csv, "?dry_run=true");
  ASSERT_EQ(dry.status, 200u);
  EXPECT_EQ(dry.json().at("valid").as_int64(), 1);
  EXPECT_FALSE(dry.json().at("committed").as_bool());
  EXPECT_EQ(count(c, a), 0);
  auto aon = upload(c, csv, "?all_or_nothing=true");
  ASSERT_EQ(aon.status, 200u);
  EXPECT_EQ(aon.json().at("imported").as_int64(), 0);
  EXPECT_EQ(count(c, a), 0);
}

TEST_P(ImportApi, HeaderProblemsRefuseTheFile) {
  auto c = w_->as("nation_admin");
  auto r = upload(c, "企业名称,地址\n某某,某地\n");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error_code(), "invalid_header");
  EXPECT_NE(r.body.find("统一社会信用代码"), std::string::npos);
  EXPECT_EQ(upload(c, "").error_code(), "invalid_header");
  // English headers work too, and unknown columns are reported as ignored.
  const std::string a = uscc_for("330106", next_serial());
  auto en = upload(c, "uscc,name,region_code,industry,remark\n" + a + ",English Header Co,330106,other,x\n");
  ASSERT_EQ(en.status, 200u) << en.body;
  EXPECT_EQ(en.json().at("imported").as_int64(), 1);
  EXPECT_EQ(en.json().at("ignored_columns").at(0).as_string(), "remark");
}

TEST_P(ImportApi, AColumnHeadedJustIndustryIsReadByItsValues) {
  auto c = w_->as("nation_admin");
  // The most common register exported from another system: GB18030, 行业 holding our categories.
  const std::string a = uscc_for("330106", next_serial()), b = uscc_for("330106", next_serial());
  std::string gb = utf8_to_gb18030("统一社会信用代码,企业名称,行政区划代码,行业\n" + a + ",行业列甲化工有限公司,330106,危险化学品使用\n" + b +
                                   ",行业列乙公司,330106,commerce\n");
  auto r = upload(c, gb);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("imported").as_int64(), 2) << r.body;
  EXPECT_TRUE(r.json().at("ignored_columns").as_array().empty()) << r.body;  // 行业 was taken, not ignored
  EXPECT_EQ(c.get("/api/v1/enterprises/" + a).json().at("industry").as_string(), "hazchem_use");
  // 所属行业 with GB/T 4754 codes beside a 监管行业 column: the codes are industry_code.
  const std::string d = uscc_for("330106", next_serial());
  auto codes = upload(c, "统一社会信用代码,企业名称,行政区划代码,监管行业,所属行业\n" + d + ",代码列公司,330106,危险化学品生产,C2614\n");
  ASSERT_EQ(codes.status, 200u) << codes.body;
  EXPECT_EQ(c.get("/api/v1/enterprises/" + d).json().at("industry_code").as_string(), "C2614");
  // A value that is neither is named on its row, under the column the file wrote.
  const std::string e = uscc_for("330106", next_serial());
  auto typo = upload(c, "统一社会信用代码,企业名称,行政区划代码,行业分类\n" + e + ",错字公司,330106,危化品生产\n");
  ASSERT_EQ(typo.status, 200u) << typo.body;
  ASSERT_EQ(typo.json().at("errors").as_array().size(), 1u) << typo.body;
  EXPECT_EQ(typo.json().at("errors").at(0).at("column").as_string(), "行业分类");
  // Reported, not guessed: both kinds in one column, or a second column for a field already held.
  auto mixed = upload(c, "统一社会信用代码,企业名称,行政区划代码,行业\n" + e + ",甲,330106,煤矿\n" + uscc_for("330106", next_serial()) +
                             ",乙,330106,C2614\n");
  EXPECT_EQ(mixed.status, 400u);
  EXPECT_EQ(mixed.error_code(), "invalid_header");
  EXPECT_NE(mixed.body.find("“行业”列"), std::string::npos) << mixed.body;
  auto twice = upload(c, "统一社会信用代码,企业名称,行政区划代码,监管行业,行业\n" + e + ",甲,330106,煤矿,煤矿\n");
  EXPECT_EQ(twice.status, 400u);
  EXPECT_EQ(twice.error_code(), "invalid_header");
  EXPECT_NE(twice.body.find("监管行业"), std::string::npos) << twice.body;
  EXPECT_EQ(count(c, e), 0);
}

TEST_P(ImportApi, RowsOutsideTheImportersJurisdictionAreRejected) {
  auto c = w_->as("hz_admin");  // 杭州: no rights in 宁波
  const std::string in = uscc_for("330108", next_serial()), out = uscc_for("330203", next_serial());
  auto r = upload(c, std::string(kHeader) + row(in, "本市企业有限公司", "330108") + row(out, "外市企业有限公司", "330203"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("imported").as_int64(), 1);
  EXPECT_EQ(r.json().at("errors").at(0).at("code").as_string(), "forbidden");
  EXPECT_EQ(count(c, in), 1);
  EXPECT_EQ(w_->as("nation_admin").get("/api/v1/enterprises/" + out).status, 404u);
  // Roles without the import right cannot import at all.
  auto insp = w_->as("xihu_insp");
  EXPECT_EQ(upload(insp, std::string(kHeader)).status, 403u);
}

TEST_P(ImportApi, MultipartUploadFromABrowserForm) {
  auto c = w_->as("nation_admin");
  const std::string a = uscc_for("330106", next_serial());
  const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                           std::string(kHeader) + row(a, "表单上传有限公司") + "\r\n--XyZ--\r\n";
  auto r = c.request("POST", "/api/v1/enterprises/import", body, {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("imported").as_int64(), 1);
}

TEST_P(ImportApi, XlsxWithDateAndNumberCells) {
  // Written by libxlsxwriter as Excel writes it: shared strings, a date-formatted number, numbers.
  const std::string dir = temp_dir(), path = dir + "/e.xlsx";
  const std::string a = uscc_for("330106", next_serial()), b = uscc_for("330106", next_serial());
  {
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "企业");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    const char* header[] = {"统一社会信用代码", "企业名称", "行政区划代码", "监管行业", "从业人员数", "有效期至", "经度", "纬度"};
    for (int i = 0; i < 8; ++i) worksheet_write_string(ws, 0, static_cast<lxw_col_t>(i), header[i], nullptr);
    worksheet_write_string(ws, 1, 0, a.c_str(), nullptr);
    worksheet_write_string(ws, 1, 1, "表格导入化工有限公司", nullptr);
    worksheet_write_string(ws, 1, 2, "330106", nullptr);
    worksheet_write_string(ws, 1, 3, "危险化学品经营", nullptr);
    worksheet_write_number(ws, 1, 4, 42, nullptr);
    lxw_datetime expires = {2027, 3, 31, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 5, &expires, date);
    worksheet_write_number(ws, 1, 6, 120.15, nullptr);
    worksheet_write_number(ws, 1, 7, 30.28, nullptr);
    // Row 4 (line 4) is bad; row 3 is left empty and must not count.
    worksheet_write_string(ws, 3, 0, b.c_str(), nullptr);
    worksheet_write_string(ws, 3, 1, "坏区划有限公司", nullptr);
    worksheet_write_string(ws, 3, 2, "999999", nullptr);
    worksheet_write_string(ws, 3, 3, "其他", nullptr);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto c = w_->as("nation_admin");
  auto r = c.request("POST", "/api/v1/enterprises/import", bytes.str(),
                     {{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("rows").as_int64(), 2);
  EXPECT_EQ(r.json().at("imported").as_int64(), 1);
  EXPECT_EQ(r.json().at("errors").at(0).at("line").as_int64(), 4);
  auto got = c.get("/api/v1/enterprises/" + a).json();
  EXPECT_EQ(got.at("name").as_string(), "表格导入化工有限公司");
  EXPECT_EQ(got.at("employees").as_int64(), 42);
  EXPECT_EQ(got.at("licence").at("expires_on").as_string(), "2027-03-31");
  EXPECT_EQ(got.at("industry").as_string(), "hazchem_operation");
  std::filesystem::remove_all(dir);
}

TEST_P(ImportApi, ADryRunSaysACodeIsTakenWithoutSayingWhere) {
  // A county's dry run may learn that a code is registered (it cannot register it) — not where, nor whose.
  auto c = w_->as("xihu_admin");
  const std::string taken = w_->uscc["E_HAISHU"];  // 宁波海曙, outside 西湖
  auto r = upload(c, std::string(kHeader) + row(taken, "冒名化工有限公司"), "?dry_run=true");
  ASSERT_EQ(r.status, 200u) << r.body;
  const json::value report = r.json();
  ASSERT_EQ(report.at("errors").as_array().size(), 1u) << r.body;
  EXPECT_EQ(report.at("errors").at(0).at("code").as_string(), "conflict");
  for (const char* leak : {"宁波", "海曙", "330203", "精细化工"}) EXPECT_EQ(r.body.find(leak), std::string::npos) << leak << ": " << r.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportApi, ::testing::Values("sqlite", "postgres"));
