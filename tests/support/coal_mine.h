#pragma once
// A coal mine of its own per test (a mine code belongs to one enterprise): an enterprise in 西湖
// linked to a fresh mine code, with an API key; the sample networking files moved to it.
#include <fstream>
#include <iterator>
#include <string>

#include "support/world.h"

namespace anjian::test {

inline std::string sample(const std::string& name) {
  std::ifstream in(std::string(ANJIAN_SOURCE_DIR) + "/tests/data/coal/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
// "yyyy-MM-dd HH:mm:ss" in Asia/Shanghai, as the mines write it.
inline std::string local(Millis t) {
  std::string iso = format_iso(t - t % 1000);  // 2026-11-29T08:30:00+08:00
  return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

class CoalFilesApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!w_) return;
    // A mine of its own per test: a mine code belongs to one enterprise.
    mine_ = std::to_string(140211000000ULL + next_serial() % 1000000);
    uscc_ = uscc_for("330106", next_serial());
    auto admin = w_->as("zj_admin");
    auto e = admin.post("/api/v1/enterprises", boost::json::object{{"uscc", uscc_}, {"name", "西湖某某煤矿" + mine_}, {"region_code", "330106"},
                                                            {"industry", "coal_mine"}});
    ASSERT_EQ(e.status, 201u) << e.body;
    auto link = admin.request("PUT", "/api/v1/enterprises/" + uscc_ + "/coal-mine", R"({"mine_code":")" + mine_ + R"("})");
    ASSERT_EQ(link.status, 200u) << link.body;
    key_ = std::string(admin.post("/api/v1/enterprises/" + uscc_ + "/api-keys", boost::json::object{}).json().at("key").as_string());
  }
  // The sample files, moved to this test's mine.
  std::string for_mine(std::string text) {
    for (size_t at; (at = text.find("140211001234")) != std::string::npos;) text.replace(at, 12, mine_);
    return text;
  }
  HttpResult upload(const std::string& name, const std::string& body, const std::string& key) {
    HttpClient c(w_->port);
    return c.request("POST", "/api/v1/monitoring/coal-files?name=" + name, body, {{"Authorization", "ApiKey " + key}});
  }
  std::string cdss(Millis t, const std::string& extra_records = "") {
    return mine_ + ";同煤某某煤矿;" + local(t) + "~" + mine_ + "MN0101;0.32;0;" + local(t) + "~" + mine_ + "MN0102;1.12;1;" +
           local(t) + "~" + extra_records + "||";
  }
  std::string mine_, uscc_, key_;
};


}  // namespace anjian::test
