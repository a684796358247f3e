// Major hazard sources on both backends: create, read, list, update with If-Match, validation of
// every field (CAS check digits included), jurisdiction, points belonging to a source of their own
// enterprise only, and the latest values of one source's points.
#include <gtest/gtest.h>

#include "codes/cas.h"

#include "modules/hazard/model.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

TEST(HazardModel, CasNumbersAreCheckedByTheirCheckDigit) {
  for (const char* good : {"7782-50-5", "7664-41-7", "74-82-8", "75-44-5", "7732-18-5", "1333-74-0"})
    EXPECT_TRUE(codes::valid_cas(good)) << good;
  for (const char* bad : {"7782-50-4", "7782-5-05", "7-82-50-5", "77825-0-5", "a782-50-5", "7782-50-", "", "12345678-90-1", "7782_50_5"})
    EXPECT_FALSE(codes::valid_cas(bad)) << bad;
}

class HazardApi : public ApiTest {
 protected:
  json::object source(const std::string& code, const std::string& uscc) {
    return json::parse(R"({"enterprise_uscc":")" + uscc + R"(","code":")" + code + R"(","name":"液氯储罐区","kind":"tank_farm",
        "lon":120.1,"lat":30.2,"substances":[{"name":"液氯","cas":"7782-50-5","quantity_t":30},{"name":"液氨","quantity_t":40}]})").as_object();
  }
};

TEST_P(HazardApi, CreateReadListUpdate) {
  auto m = w_->as("ent_mgr");
  const std::string code = "HS" + std::to_string(next_serial());
  auto made = m.post("/api/v1/hazard-sources", source(code, w_->uscc["E_XIHU"]));
  ASSERT_EQ(made.status, 201u) << made.body;
  auto h = made.json();
  const std::string id(h.at("id").as_string());
  EXPECT_EQ(h.at("substances").as_array().size(), 2u);
  EXPECT_EQ(h.at("substances").at(0).at("cas").as_string(), "7782-50-5");
  EXPECT_TRUE(h.at("grade").is_null());
  EXPECT_EQ(m.post("/api/v1/hazard-sources", source(code, w_->uscc["E_XIHU"])).status, 409u);

  auto got = w_->as("xihu_insp").get("/api/v1/hazard-sources/" + id);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.header("etag"), "\"1\"");
  auto list = w_->as("hz_insp").get("/api/v1/hazard-sources?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&kind=tank_farm");
  EXPECT_GE(list.json().at("total").as_int64(), 1);

  // Quantities change (the grade is a regulator's to set): the list is replaced whole; a stale
  // version is refused.
  auto changed = w_->as("xihu_insp").patch("/api/v1/hazard-sources/" + id, json::parse(R"({"grade":3,"substances":[{"name":"液氯","quantity_t":12.5}]})").as_object(), "\"1\"");
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(changed.json().at("grade").as_int64(), 3);
  EXPECT_EQ(changed.json().at("substances").at(0).at("quantity_t").to_number<double>(), 12.5);
  EXPECT_EQ(m.patch("/api/v1/hazard-sources/" + id, json::object{{"name", "x"}}, "\"1\"").status, 412u);
  EXPECT_EQ(m.request("PATCH", "/api/v1/hazard-sources/" + id, R"({"name":"x"})").status, 428u);
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/hazard-sources?grade=3&enterprise_uscc=" + w_->uscc["E_XIHU"]).json().at("total").as_int64(), 1);
}

TEST_P(HazardApi, EveryFieldIsChecked) {
  auto m = w_->as("xihu_insp");  // a regulator: every field is its to set, the grade too
  const std::string uscc = w_->uscc["E_XIHU"];
  auto field_of = [&](const std::string& patch) {
    json::object body = source("HSX" + std::to_string(next_serial()), uscc);
    const json::value changes = json::parse(patch);
    for (const auto& kv : changes.as_object()) body[kv.key()] = kv.value();
    auto r = m.post("/api/v1/hazard-sources", body);
    EXPECT_EQ(r.status, 400u) << patch << " → " << r.body;
    return r.error_field();
  };
  EXPECT_EQ(field_of(R"({"kind":"pond"})"), "kind");
  EXPECT_EQ(field_of(R"({"grade":5})"), "grade");
  EXPECT_EQ(field_of(R"({"grade":0})"), "grade");
  EXPECT_EQ(field_of(R"({"lon":200})"), "lon");
  EXPECT_EQ(field_of(R"({"code":"a b"})"), "code");
  EXPECT_EQ(field_of(R"({"name":""})"), "name");
  EXPECT_EQ(field_of(R"({"substances":{}})"), "substances");
  EXPECT_EQ(field_of(R"({"substances":[5]})"), "substances[0]");
  EXPECT_EQ(field_of(R"({"substances":[{"name":"氯","cas":"7782-50-4","quantity_t":1}]})"), "substances[0].cas");
  EXPECT_EQ(field_of(R"({"substances":[{"name":"氯","quantity_t":-1}]})"), "substances[0].quantity_t");
  EXPECT_EQ(field_of(R"({"substances":[{"name":"氯"}]})"), "substances[0].quantity_t");
  EXPECT_EQ(field_of(R"({"substances":[{"name":"氯","quantity_t":1,"colour":"green"}]})"), "substances[0].colour");
  EXPECT_EQ(field_of(R"({"extra":1})"), "extra");
  std::string many = R"({"substances":[)";
  for (int i = 0; i < 101; ++i) many += (i ? "," : "") + std::string(R"({"name":"甲醇","quantity_t":1})");
  EXPECT_EQ(field_of(many + "]}"), "substances");
}

TEST_P(HazardApi, JurisdictionAndPointsOfASource) {
  auto admin = w_->as("zj_admin");
  auto xihu = admin.post("/api/v1/hazard-sources", source("HSJ" + std::to_string(next_serial()), w_->uscc["E_XIHU"]));
  auto binjiang = admin.post("/api/v1/hazard-sources", source("HSJ" + std::to_string(next_serial()), w_->uscc["E_BINJIANG"]));
  ASSERT_EQ(xihu.status, 201u);
  ASSERT_EQ(binjiang.status, 201u);
  const std::string xihu_id(xihu.json().at("id").as_string()), binjiang_id(binjiang.json().at("id").as_string());
  // Outside the scope: 404, not in lists, not creatable, not changeable.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/hazard-sources/" + xihu_id).status, 404u);
  for (const auto& h : w_->as("binjiang_insp").get("/api/v1/hazard-sources?page_size=200").items())
    EXPECT_EQ(h.at("enterprise_uscc").as_string(), w_->uscc["E_BINJIANG"]);
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/hazard-sources", source("HSK1", w_->uscc["E_BINJIANG"])).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").patch("/api/v1/hazard-sources/" + binjiang_id, json::object{{"name", "x"}}, "\"1\"").status, 404u);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/monitoring/latest?hazard_source_id=" + binjiang_id).status, 404u);

  // A point joins a source of its own enterprise only.
  auto m = w_->as("ent_mgr");
  auto point = [&](const std::string& source_id) {
    return m.post("/api/v1/monitoring/points", json::object{{"enterprise_uscc", w_->uscc["E_XIHU"]}, {"code", "HP" + std::to_string(next_serial())},
                                                             {"name", "储罐液位"}, {"indicator", "tank_level"}, {"hazard_source_id", source_id}});
  };
  EXPECT_EQ(point(binjiang_id).error_field(), "hazard_source_id");
  EXPECT_EQ(point("no-such-source").error_field(), "hazard_source_id");
  auto in_source = point(xihu_id);
  ASSERT_EQ(in_source.status, 201u) << in_source.body;
  ASSERT_EQ(point("").status, 400u);  // empty is not an id
  auto latest = w_->as("xihu_insp").get("/api/v1/monitoring/latest?hazard_source_id=" + xihu_id);
  ASSERT_EQ(latest.status, 200u) << latest.body;
  auto items = latest.items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("point_id").as_string(), in_source.json().at("id").as_string());
}

TEST_P(HazardApi, TheGradeIsNotTheEnterprisesToSet) {
  // The audit's finding: an enterprise manager cleared its own source's grade and its risk fell
  // from 红 to 蓝. The grade is the GB 18218 assessment's, or a regulator's.
  auto mgr = w_->as("ent_mgr");
  auto made = mgr.post("/api/v1/hazard-sources", source("HSG" + std::to_string(next_serial()), w_->uscc["E_XIHU"]));
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string id(made.json().at("id").as_string());
  auto graded = w_->as("xihu_insp").patch("/api/v1/hazard-sources/" + id, json::object{{"grade", 2}}, "\"1\"");
  ASSERT_EQ(graded.status, 200u) << graded.body;
  for (const json::value& grade : {json::value(nullptr), json::value(4)}) {
    auto r = mgr.patch("/api/v1/hazard-sources/" + id, json::object{{"grade", grade}}, "\"2\"");
    EXPECT_EQ(r.status, 403u) << r.body;
    EXPECT_EQ(r.error_field(), "grade");
  }
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/hazard-sources/" + id).json().at("grade").as_int64(), 2);
  auto with_grade = source("HSG" + std::to_string(next_serial()), w_->uscc["E_XIHU"]);
  with_grade["grade"] = 4;
  EXPECT_EQ(mgr.post("/api/v1/hazard-sources", with_grade).status, 403u);
  // Its other fields stay the enterprise's own.
  EXPECT_EQ(mgr.patch("/api/v1/hazard-sources/" + id, json::object{{"name", "1号罐区"}}, "\"2\"").status, 200u);
}

TEST_P(HazardApi, Gb18218AssessmentGradesTheSourceAndFollowsItsInventory) {
  auto m = w_->as("ent_mgr");
  auto body = source("GB" + std::to_string(next_serial()), w_->uscc["E_XIHU"]);
  auto made = m.post("/api/v1/hazard-sources", body);
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string id(made.json().at("id").as_string());
  // Without the people exposed there is no α: the answer names the field.
  auto early = m.post("/api/v1/hazard-sources/" + id + "/assess", json::object{});
  EXPECT_EQ(early.status, 400u);
  EXPECT_EQ(early.json().at("error").at("field").as_string(), "people_exposed");
  EXPECT_EQ(m.get("/api/v1/hazard-sources/" + id + "/assessment").status, 404u);  // never assessed
  ASSERT_EQ(m.patch("/api/v1/hazard-sources/" + id, json::object{{"people_exposed", 60}}, "\"1\"").status, 200u);

  // DOMAIN.md's example: 液氯 30 t + 液氨 40 t, 60 people → S 10, R 48, 三级.
  auto a = m.post("/api/v1/hazard-sources/" + id + "/assess", json::object{});
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(a.json().at("r").to_number<double>(), 48);
  EXPECT_EQ(a.json().at("grade").as_int64(), 3);
  EXPECT_EQ(a.json().at("reason").as_string(), "assessed");
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/hazard-sources/" + id).json().at("grade").as_int64(), 3);
  auto breakdown = w_->as("xihu_insp").get("/api/v1/hazard-sources/" + id + "/assessment");
  ASSERT_EQ(breakdown.status, 200u) << breakdown.body;
  EXPECT_EQ(breakdown.json().at("substances").at(0).at("r_share").to_number<double>(), 36);
  EXPECT_EQ(breakdown.json().at("table").as_string(), "GB 18218-2018");

  // The inventory changes: the source is re-graded on its own, and the change is on record.
  auto version = m.get("/api/v1/hazard-sources/" + id).header("etag");
  auto more = m.patch("/api/v1/hazard-sources/" + id,
                      json::parse(R"({"substances":[{"name":"液氯","quantity_t":100},{"name":"液氨","quantity_t":40}]})").as_object(), version);
  ASSERT_EQ(more.status, 200u) << more.body;
  EXPECT_EQ(more.json().at("grade").as_int64(), 1) << "the answer carries the new grade";
  EXPECT_EQ(more.header("etag"), m.get("/api/v1/hazard-sources/" + id).header("etag")) << "and the version it has now";
  auto after = m.get("/api/v1/hazard-sources/" + id + "/assessment").json();
  EXPECT_EQ(after.at("reason").as_string(), "inventory_changed");
  EXPECT_EQ(after.at("r").to_number<double>(), 132);  // 1.5 × (4 × 20 + 2 × 4)
  EXPECT_EQ(after.at("grade").as_int64(), 1);
  EXPECT_EQ(after.at("previous_grade").as_int64(), 3);
  ASSERT_EQ(after.at("history").as_array().size(), 1u);
  EXPECT_EQ(after.at("history").at(0).at("grade").as_int64(), 3);
  EXPECT_EQ(m.get("/api/v1/hazard-sources/" + id).json().at("grade").as_int64(), 1);

  // An inventory the standard cannot read is refused, naming the substance; nothing changes.
  version = m.get("/api/v1/hazard-sources/" + id).header("etag");
  ASSERT_EQ(m.patch("/api/v1/hazard-sources/" + id, json::parse(R"({"substances":[{"name":"某混合溶剂","quantity_t":200}]})").as_object(),
                    version).status, 200u);
  auto unknown = m.post("/api/v1/hazard-sources/" + id + "/assess", json::object{});
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(unknown.json().at("error").at("code").as_string(), "unknown_substance");
  version = m.get("/api/v1/hazard-sources/" + id).header("etag");
  ASSERT_EQ(m.patch("/api/v1/hazard-sources/" + id,
                    json::parse(R"({"substances":[{"name":"某混合溶剂","category":"W5.3","quantity_t":200}]})").as_object(), version).status, 200u);
  auto solvent = m.get("/api/v1/hazard-sources/" + id + "/assessment").json();
  EXPECT_EQ(solvent.at("is_major").as_bool(), false);  // 200 / 1000 = 0.2
  EXPECT_TRUE(m.get("/api/v1/hazard-sources/" + id).json().at("grade").is_null());
  EXPECT_EQ(m.get("/api/v1/hazard-sources/" + id).json().at("substances").at(0).at("category").as_string(), "W5.3");

  // Outside the jurisdiction the source does not exist, assessed or not.
  EXPECT_EQ(w_->as("js_insp").get("/api/v1/hazard-sources/" + id + "/assessment").status, 404u);
  EXPECT_EQ(w_->as("js_insp").post("/api/v1/hazard-sources/" + id + "/assess", json::object{}).status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Backends, HazardApi, ::testing::Values("sqlite", "postgres"));
