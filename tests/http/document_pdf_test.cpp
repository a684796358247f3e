// 执法文书 as PDF (issue 15 §5): every kind a case and an inspection issue renders; pdftotext
// (poppler-utils) finds the names, the 文号 and the date in it; a page image (pdftoppm) is kept in
// test-artifacts/documents/; a long text wraps across pages without losing a character.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "base/crypto.h"
#include "docs/pdf_form.h"
#include "support/process.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {
const fs::path kArtifacts = fs::path(ANJIAN_SOURCE_DIR) / "test-artifacts" / "documents";

// The text pdftotext reads out of `pdf`, with every space and line break taken out (a line break
// falls wherever the layout wrapped).
std::string text_of(const std::string& pdf, const std::string& name) {
  fs::create_directories(kArtifacts);
  const fs::path file = kArtifacts / (name + ".pdf");
  std::ofstream(file, std::ios::binary) << pdf;
  auto r = run({"/usr/bin/pdftotext", "-enc", "UTF-8", file.string(), "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Page footers (第 N 页　共 M 页) stand between the lines a page break parted: taken out too.
  static const std::regex footer("第[0-9]+页(　)?共[0-9]+页");
  std::string out;
  for (char c : r.out)
    if (c != ' ' && c != '\n' && c != '\f' && c != '\r') out += c;
  out = std::regex_replace(out, footer, "");
  // A picture of the first page, for people to look at.
  (void)run({"/usr/bin/pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", file.string(), (kArtifacts / name).string()});
  return out;
}

int pages_of(const std::string& pdf) {
  fs::create_directories(kArtifacts);
  const fs::path file = kArtifacts / "pages.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  auto r = run({"/usr/bin/pdfinfo", file.string()});
  const auto at = r.out.find("Pages:");
  return at == std::string::npos ? 0 : std::stoi(r.out.substr(at + 6));
}

std::string squeeze(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n'; }), s.end());
  return s;
}
}  // namespace

TEST(DocumentPdf, LongTextWrapsAcrossPagesWithoutLosingACharacter) {
  docs::PdfForm f;
  f.issuer = "杭州市西湖区应急管理局";
  f.title = "行政处罚决定书";
  f.number = "（西湖）应急罚〔2026〕1号";
  f.fields = {{"当事人", "杭州测试化工有限公司"}, {"地址", "杭州市西湖区转塘街道1号"}};
  // 6,000 characters of facts, Chinese with digits and Latin letters mixed in, numbered so that a
  // lost or doubled piece shows.
  std::string facts;
  for (int i = 0; i < 300; ++i) facts += "第" + std::to_string(i) + "段：储罐区可燃气体报警器ABC未检定，";
  f.sections = {{"违法事实", facts}, {"处罚决定", "罚款人民币 20000 元。"}};
  f.rights = "如不服本决定，可以在接到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。";
  f.people = {{"张三", "33010620260001"}, {"李四", "33010620260002"}};
  f.signatures = {"执法人员（签名）", "当事人（签名）"};
  f.date = "2026年11月30日";
  auto pdf = docs::render_pdf(f);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  const int pages = pages_of(*pdf);
  EXPECT_GE(pages, 3) << "6,000 characters do not fit on a page";
  const std::string text = text_of(*pdf, "long-text");
  EXPECT_NE(text.find(squeeze(facts)), std::string::npos) << "every character, in order";
  for (const char* s : {"（西湖）应急罚〔2026〕1号", "行政处罚决定书", "张三", "33010620260002", "2026年11月30日"})
    EXPECT_NE(text.find(squeeze(s)), std::string::npos) << s;
  auto raw = run({"/usr/bin/pdftotext", "-enc", "UTF-8", (kArtifacts / "long-text.pdf").string(), "-"});
  EXPECT_NE(squeeze(raw.out).find("共" + std::to_string(pages) + "页"), std::string::npos) << "every page says how many";
}

class DocumentPdfApi : public ApiTest {};

// One of each kind through the API's own flow, each read back out of its PDF.
TEST_P(DocumentPdfApi, EveryKindRendersWithItsNamesNumbersAndDates) {
  auto c = w_->as("xihu_insp");
  for (const char* who : {"hz_insp", "xihu_insp"}) {
    const auto put = w_->as("hz_admin").request("PUT", "/api/v1/inspectors/" + user_id(who),
                                                json_text(json::object{{"badge_number", "3301062026" + std::to_string(std::string(who).size())}}),
                                                {{"Content-Type", "application/json"}});
    ASSERT_EQ(put.status, 200u) << put.body;
  }
  const std::string uscc = uscc_for("330106", next_serial());
  ASSERT_EQ(w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "文书测试化工有限公司"}, {"region_code", "330106"},
                                                                        {"industry", "machinery"}, {"address", "杭州市西湖区文书路8号"},
                                                                        {"legal_representative", "孙八"}}).status, 201u);
  auto task = w_->as("hz_insp").post("/api/v1/inspection-tasks", json::object{{"enterprise_uscc", uscc}, {"source", "referral"},
                                                                             {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp"))}},
                                                                             {"due_date", format_date(today_shanghai(now_ms()) + 1)}});
  ASSERT_EQ(task.status, 201u) << task.body;
  auto in = c.post("/api/v1/inspections", json::object{{"client_id", "pdf-" + random_hex(8)}, {"task_id", task.json().at("id")},
                                                       {"started_at", format_iso(now_ms() - 7'200'000)}, {"ended_at", format_iso(now_ms() - 3'600'000)},
                                                       {"place", "甲类仓库"}, {"summary", "重点检查了甲类仓库。"},
                                                       {"findings", json::array{json::object{{"description", "甲类仓库未设置可燃气体报警装置"}}}}});
  ASSERT_EQ(in.status, 201u) << in.body;
  const std::string inspection(in.json().at("id").as_string());
  for (const char* kind : {"rectify", "on_site", "coercive"}) {
    auto m = c.post("/api/v1/inspections/" + inspection + "/measures",
                    json::object{{"kind", kind}, {"items", json::array{json::object{{"text", "设置可燃气体报警装置"}, {"deadline", format_date(today_shanghai(now_ms()) + 7)}}}}});
    ASSERT_EQ(m.status, 201u) << m.body;
  }
  // The rectify order's 复查, and a case each of a unit and a person.
  std::string recheck_task;
  for (const auto& t : w_->as("xihu_insp").get("/api/v1/inspection-tasks?source=recheck&enterprise_uscc=" + uscc).items()) {
    recheck_task = std::string(t.at("id").as_string());
    break;
  }
  ASSERT_EQ(c.post("/api/v1/inspections", json::object{{"client_id", "pdf-" + random_hex(8)}, {"task_id", recheck_task},
                                                       {"started_at", format_iso(now_ms() - 600'000)}, {"ended_at", format_iso(now_ms() - 60'000)},
                                                       {"place", "甲类仓库"}, {"recheck", {{"complied", true}}}}).status, 201u);
  for (const char* party : {"unit", "person"}) {
    json::object body{{"enterprise_uscc", uscc}, {"party_kind", party}, {"cause", "未设置可燃气体报警装置案"}, {"inspection_id", inspection}};
    if (std::string(party) == "person") body["party_name"] = "周九";
    auto filed = c.post("/api/v1/cases", body);
    ASSERT_EQ(filed.status, 201u) << filed.body;
    const std::string id(filed.json().at("id").as_string());
    auto act = [&](const std::string& action, int version, json::object b = {}) {
      auto r = c.request("POST", "/api/v1/cases/" + id + "/actions/" + action, json_text(b),
                         {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(version) + "\""}});
      EXPECT_EQ(r.status, 200u) << action << r.body;
    };
    act("investigate", 1);
    act("notify", 2, {{"facts", "甲类仓库未设置可燃气体报警装置。"}, {"violated", "《中华人民共和国安全生产法》第三十六条"},
                      {"legal_basis", "《中华人民共和国安全生产法》第九十九条"}, {"fine_yuan", 30000}});
    act("decide", 3, {{"waived_statement", true}});
    act("serve", 4);
    act("execute", 5);
    act("close", 6);
  }
  std::set<std::string> kinds;
  std::pair<std::string, std::string> issued;  // a document's id and PDF
  for (const auto& d : c.get("/api/v1/documents?page_size=500").items()) {
    if (d.at("enterprise_uscc").as_string() != uscc) continue;
    const std::string kind(d.at("kind").as_string()), number(d.at("number").as_string());
    kinds.insert(kind);
    auto pdf = c.get("/api/v1/documents/" + std::string(d.at("id").as_string()) + "/pdf");
    ASSERT_EQ(pdf.status, 200u) << kind;
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_NE(pdf.header("content-disposition").find("filename*=UTF-8''"), std::string::npos);
    const std::string text = text_of(pdf.body, GetParam() + "-" + kind);
    EXPECT_NE(text.find(squeeze(number)), std::string::npos) << kind << ": " << number;
    EXPECT_NE(text.find(squeeze(std::string(d.at("title").as_string()))), std::string::npos) << kind;
    EXPECT_TRUE(text.find("周九") != std::string::npos || text.find("文书测试化工有限公司") != std::string::npos) << kind << ": the party";
    EXPECT_NE(text.find(format_chinese_date(now_ms()).substr(0, 7)), std::string::npos) << kind << ": the year";
    if (kind != "case_filing" && kind != "case_closing" && kind.rfind("penalty", 0) != 0) {
      EXPECT_NE(text.find("3301062026"), std::string::npos) << kind << ": the 证号 of the inspectors";
    }
    // The PDF as issued: kept at issue with its SM3, served as kept, the same bytes every time.
    const std::string sm3(d.at("pdf_sm3").as_string());
    EXPECT_EQ(sm3.size(), 64u) << kind;
    EXPECT_EQ(pdf.header("x-content-sm3"), sm3) << kind;
    EXPECT_EQ(sm3_hex(pdf.body), sm3) << kind;
    EXPECT_EQ(c.get("/api/v1/documents/" + std::string(d.at("id").as_string()) + "/pdf").body, pdf.body) << kind;
    if (kind == "rectify_order") issued = {std::string(d.at("id").as_string()), pdf.body};
    // Outside the region the PDF does not exist either.
    EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/documents/" + std::string(d.at("id").as_string()) + "/pdf").status, 404u);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"inspection_record", "rectify_order", "on_site_decision", "coercive_decision", "recheck_opinion",
                                          "case_filing", "penalty_notice", "penalty_decision_unit", "penalty_decision_person", "case_closing"}));

  // The audit record carries the digest, inside the hash chain.
  bool audited = false;
  for (const auto& a : w_->as("auditadmin").get("/api/v1/audit?action=document.issue&page_size=200&uscc=" + uscc).items())
    audited = audited || (a.at("target").as_string() == "document:" + issued.first && json_text(a).find(sm3_hex(issued.second)) != std::string::npos);
  EXPECT_TRUE(audited);
  // A kept PDF changed on disk is not served: 500 integrity_error, never other bytes.
  const std::string sha = sha256_hex(issued.second);
  const fs::path blob = fs::path(w_->data_dir) / "files" / sha.substr(0, 2) / sha.substr(2, 2) / sha;
  ASSERT_TRUE(fs::exists(blob)) << blob;
  fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
  std::string changed = issued.second;
  changed[changed.size() / 2] ^= 0x01;
  std::ofstream(blob, std::ios::binary | std::ios::trunc) << changed;
  auto refused = c.get("/api/v1/documents/" + issued.first + "/pdf");
  EXPECT_EQ(refused.status, 500u);
  EXPECT_NE(refused.body.find("integrity_error"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("SM3"), std::string::npos) << refused.body;
  std::ofstream(blob, std::ios::binary | std::ios::trunc) << issued.second;
  EXPECT_EQ(c.get("/api/v1/documents/" + issued.first + "/pdf").status, 200u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DocumentPdfApi, ::testing::Values("sqlite", "postgres"));
