// The risk calculators over HTTP: GB 18218 identification and grading, LEC, the risk matrix —
// the issue's record shapes, exact results, and clear 400s for bad input.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class RiskCalculatorApi : public ApiTest {};

TEST_P(RiskCalculatorApi, Gb18218EvaluateGivesTheBreakdown) {
  auto c = w_->as("ent_mgr");  // an enterprise doing its own identification
  auto r = c.post("/api/v1/gb18218/evaluate", json::parse(R"({"unit_type":"storage","people_exposed":60,
      "substances":[{"name":"液氯","quantity_t":30},{"cas":"7664-41-7","quantity_t":40}]})").as_object());
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("s").to_number<double>(), 10);
  EXPECT_EQ(j.at("is_major").as_bool(), true);
  EXPECT_EQ(j.at("alpha").to_number<double>(), 1.5);
  EXPECT_EQ(j.at("r").to_number<double>(), 48);
  EXPECT_EQ(j.at("grade").as_int64(), 3);
  EXPECT_EQ(j.at("table").as_string(), "GB 18218-2018");
  const auto& first = j.at("substances").at(0);
  EXPECT_EQ(first.at("name").as_string(), "氯");
  EXPECT_EQ(first.at("cas").as_string(), "7782-50-5");
  EXPECT_EQ(first.at("critical_t").to_number<double>(), 5);
  EXPECT_EQ(first.at("beta").to_number<double>(), 4);
  EXPECT_EQ(first.at("q_over_q").to_number<double>(), 6);
  EXPECT_EQ(first.at("r_share").to_number<double>(), 36);

  auto unknown = c.post("/api/v1/gb18218/evaluate", json::parse(R"({"unit_type":"storage","people_exposed":0,
      "substances":[{"name":"某混合溶剂","quantity_t":200}]})").as_object());
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(unknown.json().at("error").at("code").as_string(), "unknown_substance");
  EXPECT_NE(unknown.body.find("某混合溶剂"), std::string::npos);
  auto by_category = c.post("/api/v1/gb18218/evaluate", json::parse(R"({"unit_type":"storage","people_exposed":0,
      "substances":[{"name":"某混合溶剂","category":"W5.3","quantity_t":200}]})").as_object());
  ASSERT_EQ(by_category.status, 200u) << by_category.body;
  EXPECT_EQ(by_category.json().at("is_major").as_bool(), false);
  EXPECT_FALSE(by_category.json().as_object().contains("grade"));
}

TEST_P(RiskCalculatorApi, LecAndMatrix) {
  auto c = w_->as("xihu_insp");
  auto lec = c.post("/api/v1/risk/lec/evaluate", json::object{{"l", 6}, {"e", 6}, {"c", 15}});
  ASSERT_EQ(lec.status, 200u) << lec.body;
  EXPECT_EQ(lec.json().at("d").to_number<double>(), 540);
  EXPECT_EQ(lec.json().at("level").as_string(), "major");
  EXPECT_EQ(lec.json().at("colour").as_string(), "red");
  auto m = c.post("/api/v1/risk/matrix/evaluate", json::object{{"l", 4}, {"s", 5}});
  ASSERT_EQ(m.status, 200u) << m.body;
  EXPECT_EQ(m.json().at("r").as_int64(), 20);
  EXPECT_EQ(m.json().at("level").as_string(), "major");
  auto bad_l = c.post("/api/v1/risk/lec/evaluate", json::object{{"l", 2}, {"e", 6}, {"c", 7}});
  EXPECT_EQ(bad_l.status, 400u);
  EXPECT_EQ(bad_l.json().at("error").at("field").as_string(), "l");
  auto bad_s = c.post("/api/v1/risk/matrix/evaluate", json::object{{"l", 4}, {"s", 9}});
  EXPECT_EQ(bad_s.status, 400u);
  EXPECT_EQ(bad_s.json().at("error").at("field").as_string(), "s");
}

TEST_P(RiskCalculatorApi, BadAndHostileInput) {
  auto c = w_->as("ent_mgr");
  auto raw = [&](const std::string& path, const std::string& body) {
    return c.request("POST", path, body, {{"Content-Type", "application/json"}});
  };
  for (const std::string path : {"/api/v1/gb18218/evaluate", "/api/v1/risk/lec/evaluate", "/api/v1/risk/matrix/evaluate"}) {
    EXPECT_EQ(raw(path, "{broken").status, 400u) << path;
    EXPECT_EQ(raw(path, "[1,2]").status, 400u) << path;
    EXPECT_EQ(raw(path, std::string(2000, '[')).status, 400u) << path;
    EXPECT_EQ(w_->anonymous().post(path, json::object{}).status, 401u) << path;
  }
  // Too many substances, a huge quantity, a number where a name goes.
  json::array many;
  for (int i = 0; i < 201; ++i) many.push_back(json::object{{"name", "氯"}, {"quantity_t", 1}});
  auto too_many = c.post("/api/v1/gb18218/evaluate", json::object{{"unit_type", "storage"}, {"people_exposed", 1}, {"substances", many}});
  EXPECT_EQ(too_many.status, 400u);
  EXPECT_EQ(too_many.json().at("error").at("field").as_string(), "substances");
  auto huge = c.post("/api/v1/gb18218/evaluate", json::parse(R"({"unit_type":"storage","people_exposed":1,
      "substances":[{"name":"氯","quantity_t":1e300}]})").as_object());
  EXPECT_EQ(huge.status, 400u);
  auto number_name = c.post("/api/v1/gb18218/evaluate", json::parse(R"({"unit_type":"storage","people_exposed":1,
      "substances":[{"name":12,"quantity_t":1}]})").as_object());
  EXPECT_EQ(number_name.status, 400u);
  EXPECT_EQ(number_name.json().at("error").at("field").as_string(), "substances[0].name");
}

INSTANTIATE_TEST_SUITE_P(Backends, RiskCalculatorApi, ::testing::Values("sqlite", "postgres"));
