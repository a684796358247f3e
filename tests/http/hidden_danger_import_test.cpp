// Import of hidden dangers from earlier systems (issue 14 §4), both backends: a GB18030 CSV and an
// XLSX as Excel writes them; every bad row named with its line and column and nothing of it kept;
// a dry run writes nothing; states as the earlier system left them (已销号 with its time) counted by
// the statistics; an import run twice is refused row by row; the caller's scope holds.
#include <gtest/gtest.h>

#include "base/text.h"
#include "docs/xlsx_table.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
HttpResult import(HttpClient&& c, const std::string& bytes, const std::string& query = "") {
  return c.request("POST", "/api/v1/hidden-dangers/import" + query, bytes, {{"Content-Type", "text/csv"}});
}
std::map<size_t, std::string> errors_by_line(const json::value& report) {
  std::map<size_t, std::string> out;
  for (const auto& e : report.at("errors").as_array())
    out[static_cast<size_t>(e.at("line").as_int64())] = std::string(e.at("column").is_string() ? e.at("column").as_string() : "") + "|" +
                                                        std::string(e.at("message").as_string());
  return out;
}
}  // namespace

class HiddenDangerImport : public ApiTest {};

TEST_P(HiddenDangerImport, AnEarlierSystemsRegisterComesInWithEveryBadRowNamed) {
  const std::string xihu = w_->uscc["E_XIHU"], binjiang = w_->uscc["E_BINJIANG"];
  const std::string tag = std::to_string(next_serial());
  const std::string csv =
      "统一社会信用代码,隐患描述,隐患部位,隐患等级,隐患来源,发现时间,判定标准,判定条目,治理状态,整改期限,整改措施,整改责任人,整改资金,销号时间\n"
      + xihu + ",导入-消防通道堵塞" + tag + ",仓库,一般隐患,企业自查,2025/3/1 9:30,,,已销号,2025-03-10,清理,王工,500,2025-03-08\n"   // 2 ok
      + xihu + ",导入-罐区未实现紧急切断" + tag + ",1号罐区,重大隐患,监管检查,2025-06-01,化工,5,整改中,2026-12-31,加装切断阀,李工,80000,\n"  // 3 ok
      + xihu + ",导入-等级不明" + tag + ",,较大,企业自查,2025-06-01,,,,,,,,\n"                                                          // 4 grade
      + binjiang + ",导入-他县的" + tag + ",,一般,企业自查,2025-06-01,,,,,,,,\n"                                                        // 5 scope
      + xihu + ",导入-未写销号时间" + tag + ",,一般,企业自查,2025-06-01,,,已销号,,,,,\n"                                                 // 6 closed_at
      + xihu + ",导入-期限早于发现" + tag + ",,一般,企业自查,2025-06-01,,,整改中,2025-05-01,,,,\n"                                      // 7 deadline
      + xihu + ",导入-状态不明" + tag + ",,一般,企业自查,2025-06-01,,,处理中,,,,,\n"                                                     // 8 state
      + xihu + ",导入-消防通道堵塞" + tag + ",仓库,一般隐患,企业自查,2025-03-01 09:30,,,已销号,2025-03-10,,,,2025-03-08\n"              // 9 duplicate of 2
      + xihu + ",导入-时间不明" + tag + ",,一般,企业自查,上周三,,,,,,,,\n"                                                              // 10 found_at
      + xihu + ",导入-条目不存在" + tag + ",,重大,企业自查,2025-06-01,化工,21,,,,,,\n"                                                  // 11 item
      + xihu + ",导入-资金不明" + tag + ",,一般,企业自查,2025-06-01,,,整改中,2025-07-01,,,五百,\n";                                     // 12 funds
  const std::string gb = utf8_to_gb18030(csv);
  const std::int64_t before = w_->as("xihu_insp").get("/api/v1/hidden-dangers?page_size=1&enterprise_uscc=" + xihu).json().at("total").as_int64();
  auto dry = import(w_->as("xihu_insp"), gb, "?dry_run=true");
  ASSERT_EQ(dry.status, 200u) << dry.body;
  const json::value d = dry.json();
  EXPECT_EQ(d.at("rows").as_int64(), 11);
  EXPECT_EQ(d.at("valid").as_int64(), 2);
  EXPECT_FALSE(d.at("committed").as_bool());
  const auto errs = errors_by_line(d);
  ASSERT_EQ(errs.size(), 9u) << dry.body;
  EXPECT_TRUE(errs.at(4).starts_with("隐患等级|")) << errs.at(4);
  EXPECT_NE(errs.at(5).find("不在您的管辖范围"), std::string::npos) << errs.at(5);
  EXPECT_TRUE(errs.at(6).starts_with("销号时间|")) << errs.at(6);
  EXPECT_TRUE(errs.at(7).starts_with("整改期限|")) << errs.at(7);
  EXPECT_TRUE(errs.at(8).starts_with("治理状态|")) << errs.at(8);
  EXPECT_NE(errs.at(9).find("第 2 行"), std::string::npos) << errs.at(9);
  EXPECT_TRUE(errs.at(10).starts_with("发现时间|")) << errs.at(10);
  EXPECT_TRUE(errs.at(11).starts_with("判定条目|")) << errs.at(11);
  EXPECT_TRUE(errs.at(12).starts_with("整改资金|")) << errs.at(12);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/hidden-dangers?page_size=1&enterprise_uscc=" + xihu).json().at("total").as_int64(), before)
      << "a dry run writes nothing";
  EXPECT_EQ(import(w_->as("xihu_insp"), gb, "?all_or_nothing=true").json().at("imported").as_int64(), 0);

  auto done = import(w_->as("xihu_insp"), gb);
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.json().at("imported").as_int64(), 2);
  EXPECT_TRUE(done.json().at("committed").as_bool());
  json::value closed, major;
  for (const auto& h : w_->as("xihu_insp").get("/api/v1/hidden-dangers?page_size=500&enterprise_uscc=" + xihu).items()) {
    if (h.at("description").as_string() == "导入-消防通道堵塞" + tag) closed = h;
    if (h.at("description").as_string() == "导入-罐区未实现紧急切断" + tag) major = h;
  }
  ASSERT_TRUE(closed.is_object() && major.is_object());
  EXPECT_EQ(closed.at("state").as_string(), "closed");
  EXPECT_EQ(closed.at("found_at").as_string(), "2025-03-01T09:30:00+08:00");
  EXPECT_EQ(closed.at("closed_at").as_string(), "2025-03-08T00:00:00+08:00");
  EXPECT_EQ(major.at("state").as_string(), "rectifying");
  EXPECT_EQ(major.at("grade").as_string(), "major");
  EXPECT_EQ(major.at("standard_item").at("item").as_string(), "5");
  EXPECT_EQ(major.at("plan").at("funds_yuan").to_number<double>(), 80000.0);
  auto timeline = w_->as("xihu_insp").get("/api/v1/hidden-dangers/" + std::string(major.at("id").as_string())).json().at("timeline");
  EXPECT_EQ(timeline.as_array()[0].at("action").as_string(), "import");
  // The statistics count what came in: March 2025 has one found and rectified.
  auto march = w_->as("xihu_insp").get("/api/v1/hidden-dangers/stats?period=2025-03&enterprise_uscc=" + xihu).json();
  EXPECT_GE(march.at("total").at("general").at("rectified").as_int64(), 1);
  // Run twice: each row is already there.
  auto again = import(w_->as("xihu_insp"), gb).json();
  EXPECT_EQ(again.at("imported").as_int64(), 0);
  EXPECT_NE(errors_by_line(again).at(2).find("已登记"), std::string::npos);
  // The import is one audit record.
  bool audited = false;
  for (const auto& a : w_->as("auditadmin").get("/api/v1/audit?action=hidden_danger.import&page_size=50").items())
    audited = audited || (a.at("action").as_string() == "hidden_danger.import" && a.at("username").as_string() == "xihu_insp");
  EXPECT_TRUE(audited);
}

TEST_P(HiddenDangerImport, AnXlsxFromExcelAndBadFiles) {
  const std::string xihu = w_->uscc["E_XIHU"];
  const std::string tag = std::to_string(next_serial());
  docs::XlsxTable t{"隐患台账", {"社会信用代码", "隐患内容", "隐患级别", "发现日期", "状态", "验收时间", "旧系统编号"},
                    {{xihu, "表格导入" + tag, "一般", "45717", "已验收", "45720.5", "A-001"}}};  // serials: 2025-03-01, 2025-03-04 12:00
  auto bytes = docs::write_xlsx(t);
  ASSERT_TRUE(bytes.ok());
  auto r = w_->as("ent_mgr").request("POST", "/api/v1/hidden-dangers/import", *bytes,
                                     {{"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("imported").as_int64(), 1) << r.body;
  EXPECT_EQ(r.json().at("ignored_columns").as_array().size(), 1u);
  json::value h;
  for (const auto& x : w_->as("ent_mgr").get("/api/v1/hidden-dangers?page_size=500").items())
    if (x.at("description").as_string() == "表格导入" + tag) h = x;
  ASSERT_TRUE(h.is_object());
  EXPECT_EQ(h.at("found_at").as_string(), "2025-03-01T00:00:00+08:00");
  EXPECT_EQ(h.at("closed_at").as_string(), "2025-03-04T12:00:00+08:00");
  EXPECT_EQ(h.at("found_by").as_string(), "self_inspection") << "an enterprise's own import is its self-inspection";
  // Whole files refused with a clear reason.
  EXPECT_EQ(import(w_->as("ent_mgr"), "隐患描述,发现时间\nx,2025-01-01\n").error_code(), "invalid_header");
  EXPECT_EQ(import(w_->as("ent_mgr"), "").error_code(), "invalid_header");
  EXPECT_EQ(import(w_->as("ent_mgr"), std::string("PK\x03\x04garbage", 11)).status, 400u);
  EXPECT_EQ(import(w_->as("ent_mgr"), std::string("\xff\xfe\xfa\xfb\xfc", 5)).status, 400u);
  EXPECT_EQ(import(w_->as("xihu_duty"), "统一社会信用代码,隐患描述,隐患等级,发现时间\n").status, 403u);
  EXPECT_EQ(import(w_->anonymous(), "x").status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Backends, HiddenDangerImport, ::testing::Values("sqlite", "postgres"));
