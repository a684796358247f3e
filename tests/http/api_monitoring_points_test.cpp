// Monitoring points over HTTP on both backends: the record shape of the issue, validation,
// codes unique per enterprise, optimistic concurrency and jurisdiction through the enterprise.
#include <gtest/gtest.h>

#include <map>

#include "base/text.h"
#include "modules/monitoring/point.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class PointsApi : public ApiTest {
 protected:
  json::object tank(const std::string& enterprise, const std::string& code) {
    return json::parse(R"({"enterprise_uscc": ")" + enterprise + R"(", "hazard_source_id": null, "code": ")" + code +
                       R"(", "name": "1号储罐液位", "indicator": "tank_level", "unit": "m", "range": {"min": 0, "max": 20},
                          "period_s": 10, "thresholds": {"high": 15, "high_high": 18, "low": 1, "low_low": 0.5},
                          "deadband": 0.2, "delay_s": 0})")
        .as_object();
  }
  std::string code() { return "T" + std::to_string(next_serial() % 1000000) + "-LT"; }
};

TEST_P(PointsApi, CreateTheIssuesShapeAndReadItBack) {
  auto c = w_->as("xihu_insp");
  const std::string k = code();
  auto r = c.post("/api/v1/monitoring/points", tank(w_->uscc["E_XIHU"], k));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.header("etag"), "\"1\"");
  const std::string id(r.json().at("id").as_string());
  auto got = c.get("/api/v1/monitoring/points/" + id).json();
  EXPECT_EQ(got.at("code").as_string(), k);
  EXPECT_EQ(got.at("thresholds").at("high_high").to_number<double>(), 18);
  EXPECT_EQ(got.at("range").at("max").to_number<double>(), 20);
  auto list = c.get("/api/v1/monitoring/points?enterprise_uscc=" + w_->uscc["E_XIHU"]);
  bool found = false;
  for (const auto& p : list.items()) found = found || p.at("id").as_string() == id;
  EXPECT_TRUE(found);
  // The same code again in the same enterprise is a conflict.
  auto dup = c.post("/api/v1/monitoring/points", tank(w_->uscc["E_XIHU"], k));
  EXPECT_EQ(dup.status, 409u);
  EXPECT_EQ(dup.error_field(), "code");
}

TEST_P(PointsApi, BadDefinitionsAreRefused) {
  auto c = w_->as("nation_admin");
  struct Case { std::string path, value, field; };
  const std::vector<Case> cases = {
      {"indicator", R"("level")", "indicator"},
      {"period_s", "0", "period_s"},
      {"range", R"({"min": 5, "max": 1})", "range.max"},
      {"thresholds", R"({"high": 15, "high_high": 10})", "thresholds.high_high"},
      {"thresholds", R"({"low": 3, "low_low": 4})", "thresholds.low_low"},
      {"thresholds", R"({"power_off": 1.5, "restore": 2})", "thresholds.restore"},
      {"thresholds", R"({"hihi": 1})", "thresholds.hihi"},
      {"deadband", "-1", "deadband"},
      {"code", R"("a b")", "code"},
      {"colour", R"("red")", "colour"},
  };
  for (const auto& k : cases) {
    auto body = tank(w_->uscc["E_XIHU"], code());
    body[k.path] = json::parse(k.value);
    auto r = c.post("/api/v1/monitoring/points", body);
    EXPECT_EQ(r.status, 400u) << k.path << " " << r.body;
    EXPECT_EQ(r.error_field(), k.field) << k.path;
  }
  EXPECT_EQ(c.request("POST", "/api/v1/monitoring/points", "{not json").error_code(), "invalid_json");
}

TEST_P(PointsApi, JurisdictionGoesThroughTheEnterprise) {
  auto admin = w_->as("nation_admin");
  auto r = admin.post("/api/v1/monitoring/points", tank(w_->uscc["E_BINJIANG"], code()));
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id(r.json().at("id").as_string());
  // 西湖 does not see 滨江's point, cannot edit it, and cannot create points for 滨江.
  auto xihu = w_->as("xihu_insp");
  EXPECT_EQ(xihu.get("/api/v1/monitoring/points/" + id).status, 404u);
  EXPECT_EQ(xihu.patch("/api/v1/monitoring/points/" + id, json::object{{"name", "x"}}, "\"1\"").status, 404u);
  auto out = xihu.post("/api/v1/monitoring/points", tank(w_->uscc["E_BINJIANG"], code()));
  EXPECT_EQ(out.status, 404u);
  EXPECT_EQ(out.error_field(), "enterprise_uscc");
  for (const auto& p : xihu.get("/api/v1/monitoring/points?page_size=500").items())
    EXPECT_EQ(p.at("enterprise_uscc").as_string(), w_->uscc["E_XIHU"]);
  // 杭州 sees it; the enterprise manager of 西湖's enterprise does not.
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/monitoring/points/" + id).status, 200u);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/monitoring/points/" + id).status, 404u);
  EXPECT_EQ(w_->as("xihu_duty").post("/api/v1/monitoring/points", tank(w_->uscc["E_XIHU"], code())).status, 403u);
}

TEST_P(PointsApi, StaleVersionIsRefusedAndEditsAreAudited) {
  auto c = w_->as("ent_mgr");  // an enterprise manager keeps its own points
  auto r = c.post("/api/v1/monitoring/points", tank(w_->uscc["E_XIHU"], code()));
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id(r.json().at("id").as_string());
  auto ok = c.patch("/api/v1/monitoring/points/" + id, json::object{{"thresholds", {{"high", 16}}}, {"active", false}}, "\"1\"");
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.json().at("thresholds").at("high").to_number<double>(), 16);
  EXPECT_FALSE(ok.json().at("active").as_bool());
  EXPECT_EQ(c.patch("/api/v1/monitoring/points/" + id, json::object{{"name", "y"}}, "\"1\"").status, 412u);
  EXPECT_EQ(c.patch("/api/v1/monitoring/points/" + id, json::object{{"enterprise_uscc", w_->uscc["E_HAISHU"]}}, "\"2\"").status, 400u);
  auto log = w_->as("auditadmin").get("/api/v1/audit?action=monitoring_point.update&username=ent_mgr");
  EXPECT_GE(log.json().at("total").as_int64(), 1);
}

TEST(PointConfig, TheAlarmRulesSeeThePointsSettings) {
  monitoring::Point p;
  p.high = 15;
  p.deadband = 0.2;
  p.delay_s = 5;
  p.period_s = 30;
  p.power_off = 1.5;
  p.restore = 1.0;
  auto c = monitoring::config_of(p);
  EXPECT_EQ(c.high, 15);
  EXPECT_EQ(c.delay_ms, 5000);
  EXPECT_EQ(c.period_ms, 30000);
  EXPECT_EQ(c.restore, 1.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PointsApi, ::testing::Values("sqlite", "postgres"));

class PointImportApi : public ApiTest {};

TEST_P(PointImportApi, TablesDefinePointsRowByRow) {
  auto m = w_->as("ent_mgr");
  const std::string xihu = w_->uscc["E_XIHU"], binjiang = w_->uscc["E_BINJIANG"];
  const std::string tag = std::to_string(next_serial() % 1000000);
  auto source = m.post("/api/v1/hazard-sources", json::parse(R"({"enterprise_uscc":")" + xihu + R"(","code":"HSI)" + tag +
                                                             R"(","name":"罐区","kind":"tank_farm"})").as_object());
  ASSERT_EQ(source.status, 201u);
  const std::string csv =
      "统一社会信用代码,测点编码,测点名称,监测类型,单位,量程下限,量程上限,高限,高高限,重大危险源编码,备注\n" +
      xihu + ",IA" + tag + ",1号储罐液位,储罐液位,m,0,20,15,18,HSI" + tag + ",新装\n" +       // 2: good, in the source
      xihu + ",IB" + tag + ",可燃气体,combustible_gas,%LEL,0,100,25,50,,\n" +                // 3: good
      xihu + ",IC" + tag + ",坏类型,水位,m,0,20,,,,\n" +                                     // 4: unknown indicator
      xihu + ",ID" + tag + ",高低颠倒,温度,℃,0,100,80,60,,\n" +                               // 5: high_high below high
      xihu + ",IA" + tag + ",重复,储罐液位,m,0,20,,,,\n" +                                   // 6: duplicate of line 2
      binjiang + ",IE" + tag + ",别家,温度,℃,0,100,,,,\n" +                                  // 7: outside the scope
      xihu + ",IF" + tag + ",没有的危险源,温度,℃,0,100,,,HSNOPE,\n" +                        // 8: unknown hazard source
      xihu + ",IG" + tag + ",坏数字,温度,℃,0,abc,,,,\n";                                     // 9: not a number
  HttpClient c(w_->port);
  c.set_token(w_->login("ent_mgr"));
  auto dry = c.request("POST", "/api/v1/monitoring/points/import?dry_run=true", utf8_to_gb18030(csv));
  ASSERT_EQ(dry.status, 200u) << dry.body;
  EXPECT_EQ(dry.json().at("created").as_int64(), 2);
  EXPECT_EQ(dry.json().at("ignored_columns").at(0).as_string(), "备注");
  EXPECT_EQ(m.get("/api/v1/monitoring/points?enterprise_uscc=" + xihu + "&page_size=500").body.find("IA" + tag), std::string::npos)
      << "a dry run writes nothing";
  auto real = c.request("POST", "/api/v1/monitoring/points/import", utf8_to_gb18030(csv));
  ASSERT_EQ(real.status, 200u) << real.body;
  auto j = real.json();
  EXPECT_EQ(j.at("rows").as_int64(), 8);
  EXPECT_EQ(j.at("created").as_int64(), 2);
  std::map<std::int64_t, std::string> issues;
  for (const auto& i : j.at("issues").as_array())
    issues[i.at("line").as_int64()] = std::string(i.at("code").as_string()) + "@" + std::string(i.at("column").as_string());
  EXPECT_EQ(issues[4], "invalid_field@监测类型");
  EXPECT_EQ(issues[5], "invalid_field@高高限");
  EXPECT_EQ(issues[6], "duplicate_in_file@测点编码");
  EXPECT_EQ(issues[7].substr(0, 9), "not_found");
  EXPECT_EQ(issues[8], "invalid_field@重大危险源编码");
  EXPECT_EQ(issues[9], "invalid_field@量程上限");
  EXPECT_EQ(issues.size(), 6u);
  // The point is in its hazard source; sending the table again updates, creates nothing.
  auto latest = m.get("/api/v1/monitoring/latest?hazard_source_id=" + std::string(source.json().at("id").as_string()));
  ASSERT_EQ(latest.items().size(), 1u);
  auto again = c.request("POST", "/api/v1/monitoring/points/import", csv);  // UTF-8 this time
  EXPECT_EQ(again.json().at("created").as_int64(), 0);
  EXPECT_EQ(again.json().at("updated").as_int64(), 2);
  EXPECT_EQ(c.request("POST", "/api/v1/monitoring/points/import", "code,name\nx,y\n").error_code(), "invalid_header");
  EXPECT_EQ(c.request("POST", "/api/v1/monitoring/points/import", "\xff\xfe\xfa").error_code(), "invalid_encoding");
  HttpClient anon(w_->port);
  EXPECT_EQ(anon.request("POST", "/api/v1/monitoring/points/import", csv).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PointImportApi, ::testing::Values("sqlite", "postgres"));
