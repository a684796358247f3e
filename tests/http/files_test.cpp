// The evidence file store on both backends: a photo or PDF kept for an enterprise in scope, read
// back with its type and name, invisible outside the scope, refused by what its bytes are (not by
// its name), never over the limit, and kept on disk under its SHA-256.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/crypto.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
// A small JPEG as a phone's camera would start one, made unique per test.
std::string jpeg(const std::string& tag) { return "\xFF\xD8\xFF\xE0" + std::string("\x00\x10JFIF\x00", 7) + tag + std::string(64, '\x7f'); }
}  // namespace

class FilesApi : public ApiTest {
 protected:
  HttpResult upload(HttpClient&& c, const std::string& uscc, const std::string& name, const std::string& bytes,
                    const std::string& type = "") {
    std::map<std::string, std::string> h;
    if (!type.empty()) h["Content-Type"] = type;
    return c.request("POST", "/api/v1/files?enterprise_uscc=" + uscc + "&name=" + url_encode(name), bytes, h);
  }
};

TEST_P(FilesApi, APhotoIsKeptAndServedWithinTheScopeOnly) {
  const std::string uscc = w_->uscc["E_XIHU"];
  const std::string bytes = jpeg("scope" + std::to_string(next_serial()));
  auto up = upload(w_->as("ent_mgr"), uscc, "../../现场照片 1.JPG", bytes, "image/jpeg");
  ASSERT_EQ(up.status, 201u) << up.body;
  const json::value f = up.json();
  EXPECT_EQ(f.at("name").as_string(), "现场照片 1.JPG") << "no path kept";
  EXPECT_EQ(f.at("content_type").as_string(), "image/jpeg");
  EXPECT_EQ(f.at("size").as_int64(), static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(f.at("sha256").as_string(), sha256_hex(bytes));
  EXPECT_EQ(f.at("sm3").as_string(), sm3_hex(bytes));
  const std::string id(f.at("id").as_string());
  // On disk under its hash, synced before the answer.
  const std::string sha(f.at("sha256").as_string());
  // Found again by its digest (a phone asks before sending a photo twice), within the scope only.
  auto found = w_->as("xihu_insp").get("/api/v1/files?enterprise_uscc=" + uscc + "&sha256=" + sha);
  ASSERT_EQ(found.status, 200u) << found.body;
  ASSERT_EQ(found.items().size(), 1u);
  EXPECT_EQ(found.items()[0].at("id").as_string(), id);
  EXPECT_TRUE(w_->as("binjiang_insp").get("/api/v1/files?enterprise_uscc=" + uscc + "&sha256=" + sha).items().empty());
  EXPECT_TRUE(w_->as("xihu_insp").get("/api/v1/files?enterprise_uscc=" + uscc + "&sha256=" + std::string(64, '0')).items().empty());
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/files?enterprise_uscc=" + uscc + "&sha256=" + sha.substr(1)).error_field(), "sha256");
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/files?sha256=" + sha).error_field(), "enterprise_uscc");
  EXPECT_TRUE(std::filesystem::exists(w_->data_dir + "/files/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha));
  // The county's inspector reads it back, as it was, with its type and its Chinese name.
  auto got = w_->as("xihu_insp").get("/api/v1/files/" + id + "/content");
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.body, bytes);
  EXPECT_EQ(got.header("content-type"), "image/jpeg");
  EXPECT_EQ(got.header("x-content-type-options"), "nosniff");
  EXPECT_NE(got.header("content-disposition").find("filename*=UTF-8''" + url_encode("现场照片 1.JPG")), std::string::npos)
      << got.header("content-disposition");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/files/" + id).status, 200u);
  // Outside the scope it does not exist: metadata, content, and uploads for that enterprise.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/files/" + id).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/files/" + id + "/content").status, 404u);
  EXPECT_EQ(w_->as("nb_insp").get("/api/v1/files/" + id + "/content").status, 404u);
  EXPECT_EQ(upload(w_->as("ent_mgr"), w_->uscc["E_BINJIANG"], "a.jpg", bytes).status, 404u);
  EXPECT_EQ(w_->anonymous().get("/api/v1/files/" + id + "/content").status, 401u);
  EXPECT_EQ(upload(w_->anonymous(), uscc, "a.jpg", bytes).status, 401u);
  // Path tricks in the id reach nothing.
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/files/..%2F..%2Fanjian.db/content").status, 404u);
  // The same photo twice: two records, one blob.
  auto again = upload(w_->as("xihu_insp"), uscc, "again.jpg", bytes);
  ASSERT_EQ(again.status, 201u) << again.body;
  EXPECT_NE(again.json().at("id").as_string(), f.at("id").as_string());
  EXPECT_EQ(again.json().at("sha256").as_string(), f.at("sha256").as_string());
}

TEST_P(FilesApi, WhatTheBytesAreDecides) {
  const std::string uscc = w_->uscc["E_XIHU"];
  auto m = w_->as("ent_mgr");  // for requests the helper does not make
  // A Windows program named as a photo, an HTML page, an SVG (scripts inside): refused by their bytes.
  for (const std::string& bytes : {std::string("MZ\x90\x00\x03", 5) + std::string(100, 'x'), std::string("<html><script>alert(1)</script>"),
                                   std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>")}) {
    auto r = upload(w_->as("ent_mgr"), uscc, "photo.jpg", bytes, "image/jpeg");
    EXPECT_EQ(r.status, 415u) << r.body;
    EXPECT_EQ(r.error_code(), "unsupported_media_type");
  }
  // A real PNG under a PDF's name, or sent as a PDF: not what it says.
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(50, 'p');
  EXPECT_EQ(upload(w_->as("ent_mgr"), uscc, "report.pdf", png).status, 415u);
  auto said = upload(w_->as("ent_mgr"), uscc, "scan", png, "application/pdf");
  EXPECT_EQ(said.status, 415u);
  EXPECT_NE(said.body.find("PNG"), std::string::npos) << said.body;
  // A PDF is taken, named by its type when it came without a name.
  auto pdf = upload(w_->as("ent_mgr"), uscc, "", "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf; charset=binary");
  ASSERT_EQ(pdf.status, 201u) << pdf.body;
  EXPECT_EQ(pdf.json().at("name").as_string(), "文件.pdf");
  // Empty, no enterprise, an unknown enterprise, a name that is not UTF-8.
  EXPECT_EQ(upload(w_->as("ent_mgr"), uscc, "a.jpg", "").error_field(), "file");
  EXPECT_EQ(m.request("POST", "/api/v1/files?name=a.jpg", jpeg("x")).error_field(), "enterprise_uscc");
  EXPECT_EQ(upload(w_->as("ent_mgr"), "91330106MA00000000", "a.jpg", jpeg("x")).status, 404u);
  EXPECT_EQ(m.request("POST", "/api/v1/files?enterprise_uscc=" + uscc + "&name=%FF%FE.jpg", jpeg("x")).error_field(), "name");
  // Over the limit (20 MB by default): refused whole, named.
  auto big = upload(w_->as("ent_mgr"), uscc, "big.jpg", jpeg("big") + std::string(20 * 1024 * 1024, '\0'));
  EXPECT_EQ(big.status, 413u) << big.body.substr(0, 200);
  EXPECT_EQ(big.error_code(), "file_too_large");
  // That larger body is the file route's only: elsewhere the server's limit (16 MB) holds.
  EXPECT_EQ(w_->anonymous().request("POST", "/api/v1/auth/login", std::string(17 * 1024 * 1024, 'x')).error_code(), "too_large");
  auto audit = w_->as("xihu_auditor").get("/api/v1/audit?action=file.upload&page_size=5");
  ASSERT_EQ(audit.status, 200u);
  ASSERT_FALSE(audit.items().empty());
  EXPECT_EQ(audit.items()[0].at("action_name").as_string(), "上传证据文件");
}

TEST_P(FilesApi, AGovernmentsFileIsSeenInItsRegionAndBelow) {
  const std::string pdf = "%PDF-1.7\n% 杭州市预案 " + std::to_string(next_serial()) + "\n1 0 obj\n<<>>\nendobj\n";
  auto region_upload = [&](HttpClient&& c, const std::string& region) {
    return c.request("POST", "/api/v1/files?region_code=" + region + "&name=" + url_encode("总体应急预案.pdf"), pdf, {{"Content-Type", "application/pdf"}});
  };
  auto city = region_upload(w_->as("hz_insp"), "330100");
  ASSERT_EQ(city.status, 201u) << city.body;
  const std::string id(city.json().at("id").as_string());
  EXPECT_EQ(city.json().at("region_code").as_string(), "330100");
  EXPECT_TRUE(city.json().at("enterprise_uscc").is_null());
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/files/" + id + "/content").body, pdf) << "a county reads its city's plan";
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/files/" + id).status, 200u) << "and the province";
  EXPECT_EQ(w_->as("nb_insp").get("/api/v1/files/" + id).status, 404u) << "宁波 is not under 杭州";
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/files/" + id).status, 404u) << "not an enterprise's";
  // A county's own file is not its neighbour's nor above it unless the scope holds it.
  auto county = region_upload(w_->as("xihu_insp"), "330106");
  ASSERT_EQ(county.status, 201u) << county.body;
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/files/" + std::string(county.json().at("id").as_string())).status, 404u);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/files/" + std::string(county.json().at("id").as_string())).status, 200u);
  EXPECT_EQ(region_upload(w_->as("xihu_insp"), "330100").status, 404u) << "a county cannot file for its city";
  EXPECT_EQ(region_upload(w_->as("xihu_insp"), "999999").error_field(), "region_code");
  EXPECT_EQ(region_upload(w_->as("ent_mgr"), "330106").status, 403u);
  EXPECT_EQ(w_->as("xihu_insp").request("POST", "/api/v1/files?name=x.pdf", pdf).error_field(), "enterprise_uscc");
  // A government plan takes it as its file.
  auto plan = w_->as("hz_insp").post("/api/v1/emergency/plans", json::object{{"owner", "government"}, {"region_code", "330100"},
      {"name", "杭州市测试预案" + std::to_string(next_serial())}, {"level", "overall"}, {"scenarios", json::array{"其他"}},
      {"issued_on", "2025-01-01"}, {"file_id", id}});
  EXPECT_EQ(plan.status, 201u) << plan.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, FilesApi, ::testing::Values("sqlite", "postgres"));
