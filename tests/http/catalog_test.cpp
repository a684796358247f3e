// The resource catalog (issue 17 §4): entries published from what the modules share; a
// department (安委会成员单位) asks, the provider decides, the grant's key reads only the fields and
// the region granted, every read is logged, a revoked key is refused; open data carries no
// personal data. On both backends, with the world's jurisdictions.
#include <gtest/gtest.h>

#include <regex>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class CatalogApi : public ApiTest {
 protected:
  // A department of `region` (公安, 交通 …) with one user; returns the user's name.
  std::string department(const std::string& region, const std::string& level, const std::string& name) {
    auto admin = w_->as("nation_admin");
    auto org = admin.post("/api/v1/orgs", json::object{{"name", name}, {"kind", "regulator"}, {"level", level}, {"region_code", region},
                                                       {"regulator_kind", "member_department"}});
    EXPECT_EQ(org.status, 201u) << org.body;
    const std::string username = "dept_" + std::to_string(next_serial());
    auto user = admin.post("/api/v1/users", json::object{{"username", username}, {"display_name", name + "数据专员"}, {"org_id", org.json().at("id")},
                                                         {"roles", json::array{"inspector"}}, {"password", kPassword},
                                                         {"must_change_password", false}});
    EXPECT_EQ(user.status, 201u) << user.body;
    return username;
  }
  json::object entry_of(const std::string& type) {
    auto r = w_->as("xihu_insp").get("/api/v1/catalog/entries");
    EXPECT_EQ(r.status, 200u) << r.body;
    for (const auto& e : r.items())
      if (e.at("record_type").as_string() == type) return e.as_object();
    ADD_FAILURE() << "no entry for " << type;
    return {};
  }
  static std::string code_of(const json::object& e) { return std::string(e.at("code").as_string()); }
  HttpResult read_with(const std::string& key, const std::string& code, const std::string& query = "") {
    return w_->anonymous().request("GET", "/api/v1/catalog/data/" + code + query, "", {{"Authorization", "ApiKey " + key}});
  }
};

TEST_P(CatalogApi, EntriesArePublishedFromWhatIsSharedAndWordedByAdministrators) {
  const auto ent = entry_of("enterprise");
  ASSERT_FALSE(ent.empty());
  EXPECT_EQ(ent.at("share_type_label").as_string(), "无条件共享");
  EXPECT_TRUE(ent.at("open").as_bool());
  bool personal_marked = false;
  for (const auto& i : ent.at("items").as_array())
    if (i.at("name").as_string() == "safety_manager") personal_marked = i.at("personal").as_bool();
  EXPECT_TRUE(personal_marked) << "the safety manager's name and phone are personal data";
  const auto acc = entry_of("accident");
  EXPECT_EQ(acc.at("share_type_label").as_string(), "有条件共享");
  EXPECT_FALSE(acc.at("open").as_bool());
  EXPECT_NE(code_of(ent), code_of(acc));
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/catalog/entries/" + code_of(ent)).json().at("name").as_string(), ent.at("name").as_string());
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/catalog/entries/nope").status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/catalog/entries").status, 403u) << "the catalog is the governments'";
  EXPECT_EQ(w_->anonymous().get("/api/v1/catalog/entries").status, 401u);

  auto patch = [&](const std::string& user, const json::object& body) {
    return w_->as(user).request("PATCH", "/api/v1/catalog/entries/" + code_of(acc), json_text(body), {{"Content-Type", "application/json"}});
  };
  EXPECT_EQ(patch("xihu_insp", {{"summary", "x"}}).status, 403u);
  EXPECT_EQ(patch("admin", {{"share_type", "none"}}).error_field(), "share_basis") << "不予共享 names its legal basis";
  EXPECT_EQ(patch("admin", {{"share_type", "sometimes"}}).error_field(), "share_type");
  EXPECT_EQ(patch("admin", {{"colour", "red"}}).error_code(), "unknown_field");
  EXPECT_EQ(patch("admin", {{"summary", std::string(1001 * 3, 'a')}}).error_field(), "summary");
  auto fine = patch("admin", {{"summary", "生产安全事故快报与续报。"}, {"update_cycle", "实时"}});
  ASSERT_EQ(fine.status, 200u) << fine.body;
  EXPECT_EQ(fine.json().at("summary").as_string(), "生产安全事故快报与续报。");
  auto audit = w_->as("auditadmin").get("/api/v1/audit?action=catalog.entry_updated");
  ASSERT_EQ(audit.status, 200u) << audit.body;
  ASSERT_FALSE(audit.items().empty());
  EXPECT_EQ(audit.items()[0].at("action_name").as_string(), "修改资源目录");
}

TEST_P(CatalogApi, ADepartmentReadsOnlyTheFieldsAndRegionGrantedUntilRevoked) {
  const std::string dept = department("330100", "city", "杭州市公安局" + std::to_string(next_serial()));
  const std::string ent = code_of(entry_of("enterprise")), acc = code_of(entry_of("accident"));
  auto as_dept = w_->as(dept);

  // Who may ask, and for what.
  auto by_regulator = w_->as("xihu_insp").post("/api/v1/catalog/entries/" + ent + "/requests", json::object{{"purpose", "x"}});
  EXPECT_EQ(by_regulator.status, 403u) << "regulators see their jurisdiction without asking";
  EXPECT_EQ(as_dept.post("/api/v1/catalog/entries/" + ent + "/requests", json::object{{"purpose", "x"}, {"region_code", "330203"}}).error_field(),
            "region_code")
      << "never beyond the department's own region";
  EXPECT_EQ(as_dept.post("/api/v1/catalog/entries/" + ent + "/requests", json::object{{"purpose", "x"}, {"fields", json::array{"password"}}})
                .error_field(),
            "fields");
  EXPECT_EQ(as_dept.post("/api/v1/catalog/entries/" + ent + "/requests", json::object{}).error_field(), "purpose");
  EXPECT_EQ(as_dept.post("/api/v1/catalog/entries/nope/requests", json::object{{"purpose", "x"}}).status, 404u);

  // 无条件共享: granted at once, for the fields and the county asked.
  auto asked = as_dept.post("/api/v1/catalog/entries/" + ent + "/requests",
                            json::object{{"purpose", "危化品运输车辆登记核验"}, {"fields", json::array{"uscc", "name", "region_code"}}, {"region_code", "330106"}});
  ASSERT_EQ(asked.status, 201u) << asked.body;
  EXPECT_EQ(asked.json().at("state").as_string(), "approved");
  EXPECT_EQ(asked.json().at("state_label").as_string(), "已授权");
  EXPECT_EQ(asked.json().at("region_name").as_string(), "西湖区");
  const std::string grant(asked.json().at("id").as_string());
  EXPECT_EQ(as_dept.post("/api/v1/catalog/entries/" + ent + "/requests", json::object{{"purpose", "again"}}).status, 409u);

  auto key = as_dept.post("/api/v1/catalog/grants/" + grant + "/key", json::object{});
  ASSERT_EQ(key.status, 201u) << key.body;
  const std::string secret(key.json().at("key").as_string());
  EXPECT_EQ(w_->as("zj_admin").post("/api/v1/catalog/grants/" + grant + "/key", json::object{}).status, 403u) << "the key is the department's";

  auto data = read_with(secret, ent, "?page_size=100");
  ASSERT_EQ(data.status, 200u) << data.body;
  ASSERT_FALSE(data.items().empty());
  bool has_xihu = false;
  for (const auto& r : data.items()) {
    EXPECT_EQ(r.as_object().size(), 3u) << json_text(r);
    EXPECT_EQ(r.at("region_code").as_string(), "330106") << "only the region granted";
    EXPECT_FALSE(r.as_object().contains("safety_manager"));
    has_xihu = has_xihu || r.at("uscc").as_string() == w_->uscc.at("E_XIHU");
  }
  EXPECT_TRUE(has_xihu);
  EXPECT_EQ(read_with(secret, acc).status, 403u) << "a key reads its own resource only";
  EXPECT_EQ(read_with("ajk_nonsense", ent).status, 401u);
  EXPECT_EQ(read_with(std::string(5000, 'k'), ent).status, 401u);
  EXPECT_EQ(w_->anonymous().get("/api/v1/catalog/data/" + ent).status, 401u);
  EXPECT_EQ(read_with(secret, ent, "?page_size=abc").status, 400u);

  auto usage = as_dept.get("/api/v1/catalog/grants/" + grant + "/usage");
  ASSERT_EQ(usage.status, 200u) << usage.body;
  ASSERT_GE(usage.items().size(), 1u);
  EXPECT_EQ(usage.items().back().at("records").as_int64(), static_cast<std::int64_t>(data.items().size()));

  // Jurisdiction: 滨江's inspectors do not see a grant of 西湖's data, nor its use; 西湖's do.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/catalog/grants/" + grant).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/catalog/grants/" + grant + "/usage").status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/catalog/grants/" + grant + "/key", json::object{}).status, 404u);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/catalog/grants/" + grant + "/usage").status, 200u);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/catalog/grants/" + grant).status, 200u);
  const std::string other = department("330200", "city", "宁波市交通运输局" + std::to_string(next_serial()));
  EXPECT_EQ(w_->as(other).get("/api/v1/catalog/grants/" + grant).status, 404u) << "another department";
  EXPECT_TRUE(w_->as(other).get("/api/v1/catalog/grants").items().empty());

  // Revoked: the key is refused from then on.
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/catalog/grants/" + grant + "/revoke", json::object{{"reason", "x"}}).status, 404u);
  EXPECT_EQ(w_->as("zj_admin").post("/api/v1/catalog/grants/" + grant + "/revoke", json::object{}).error_field(), "reason");
  auto revoked = w_->as("zj_admin").post("/api/v1/catalog/grants/" + grant + "/revoke", json::object{{"reason", "用途已完成"}});
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(revoked.json().at("state_label").as_string(), "已撤销");
  EXPECT_EQ(read_with(secret, ent).status, 401u);
}

TEST_P(CatalogApi, ADepartmentsUsersAreNoWorkSafetyInspectors) {
  // 公安's staff may hold the inspector role in their own org: they still are not drawn for 双随机.
  const std::string dept = department("330100", "city", "杭州市公安局" + std::to_string(next_serial()));
  auto listed = w_->as("hz_admin").get("/api/v1/inspectors");
  ASSERT_EQ(listed.status, 200u) << listed.body;
  for (const auto& i : listed.items()) EXPECT_NE(i.at("username").as_string(), dept);
  const std::string id = user_id(dept);
  EXPECT_EQ(w_->as("hz_admin").get("/api/v1/inspectors/" + id).status, 404u);
  auto draw = w_->as("hz_insp").post("/api/v1/draws", json::object{{"name", "不含部门人员"}, {"targets", json::object{{"usccs", json::array{json::value(w_->uscc.at("E_XIHU"))}}}},
                                                                   {"count", 1}, {"inspectors", json::array{json::value(id), json::value(user_id("hz_insp"))}},
                                                                   {"per_target", 2}});
  EXPECT_EQ(draw.error_field(), "inspectors") << draw.body;
}

TEST_P(CatalogApi, AConditionalShareWaitsForTheProvidersDecision) {
  const std::string dept = department("330100", "city", "杭州市交通运输局" + std::to_string(next_serial()));
  const std::string acc = code_of(entry_of("accident"));
  auto asked = w_->as(dept).post("/api/v1/catalog/entries/" + acc + "/requests",
                                 json::object{{"purpose", "道路运输事故联动处置"}, {"fields", json::array{"id", "grade", "deaths", "reporter"}}});
  ASSERT_EQ(asked.status, 201u) << asked.body;
  EXPECT_EQ(asked.json().at("state_label").as_string(), "待审核");
  const std::string id(asked.json().at("id").as_string());
  EXPECT_EQ(w_->as(dept).post("/api/v1/catalog/grants/" + id + "/key", json::object{}).status, 409u) << "no key before approval";

  auto decide = [&](const std::string& user, const json::object& body) {
    return w_->as(user).post("/api/v1/catalog/grants/" + id + "/decision", body);
  };
  EXPECT_EQ(decide("hz_insp", {{"approve", true}}).status, 403u) << "an inspector does not decide";
  EXPECT_EQ(decide("xihu_admin", {{"approve", true}}).status, 404u) << "a county's administrator does not see a city-wide request";
  EXPECT_EQ(decide(dept, {{"approve", true}}).status, 403u) << "nor the department itself";
  EXPECT_EQ(decide("hz_admin", {{"approve", false}}).error_field(), "reason");
  EXPECT_EQ(decide("hz_admin", {{"approve", true}, {"fields", json::array{"id", "casualty_names"}}}).error_field(), "fields")
      << "approval narrows, never widens";
  EXPECT_EQ(decide("hz_admin", {{"approve", true}, {"expires_on", "2020-01-01"}}).error_field(), "expires_on");
  EXPECT_EQ(decide("hz_admin", {{"approve", true}, {"expires_on", "next year"}}).error_field(), "expires_on");
  EXPECT_EQ(decide("hz_admin", {{"approve", "yes"}}).error_field(), "approve");
  auto ok = decide("hz_admin", {{"approve", true}, {"fields", json::array{"id", "grade", "deaths"}}, {"conditions", "仅用于联动处置"},
                                {"expires_on", "2099-12-31"}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.json().at("state").as_string(), "approved");
  EXPECT_EQ(ok.json().at("fields").as_array().size(), 3u) << "the reporter (personal) was not granted";
  EXPECT_EQ(ok.json().at("expires_on").as_string(), "2099-12-31");
  EXPECT_EQ(decide("hz_admin", {{"approve", false}, {"reason", "x"}}).status, 409u) << "decided once";

  // A refusal keeps its reason; the department sees it.
  const std::string dept2 = department("330100", "city", "杭州市住房和城乡建设局" + std::to_string(next_serial()));
  auto second = w_->as(dept2).post("/api/v1/catalog/entries/" + acc + "/requests", json::object{{"purpose", "统计"}});
  ASSERT_EQ(second.status, 201u) << second.body;
  const std::string id2(second.json().at("id").as_string());
  ASSERT_EQ(w_->as("zj_admin").post("/api/v1/catalog/grants/" + id2 + "/decision", json::object{{"approve", false}, {"reason", "用途不明确"}}).status, 200u);
  auto mine = w_->as(dept2).get("/api/v1/catalog/grants");
  ASSERT_EQ(mine.items().size(), 1u);
  EXPECT_EQ(mine.items()[0].at("state_label").as_string(), "未同意");
  EXPECT_EQ(mine.items()[0].at("reason").as_string(), "用途不明确");
  EXPECT_EQ(w_->as("hz_admin").get("/api/v1/catalog/grants?state=pending").status, 200u);
  EXPECT_EQ(w_->as("hz_admin").get("/api/v1/catalog/grants?state=maybe").status, 400u);
}

// The supervision records are catalog resources too: a grant reads them by the region of the
// enterprise they belong to (a hazard source keeps only its enterprise's code), with their
// enumerations' Chinese names.
TEST_P(CatalogApi, AGrantReadsHazardSourcesByTheirEnterprisesRegion) {
  auto m = w_->as("nation_admin");
  for (const char* key : {"E_XIHU", "E_BINJIANG"}) {
    auto made = m.post("/api/v1/hazard-sources", json::parse(R"({"enterprise_uscc":")" + w_->uscc.at(key) + R"(","code":"CAT)" +
                                                             std::to_string(next_serial()) + R"(","name":"液氯储罐区","kind":"tank_farm",
        "substances":[{"name":"液氯","cas":"7782-50-5","quantity_t":30}]})").as_object());
    ASSERT_EQ(made.status, 201u) << made.body;
  }
  const std::string dept = department("330100", "city", "杭州市消防救援支队" + std::to_string(next_serial()));
  const std::string code = code_of(entry_of("hazard_source"));
  EXPECT_EQ(entry_of("hazard_source").at("share_type").as_string(), "conditional");
  auto asked = w_->as(dept).post("/api/v1/catalog/entries/" + code + "/requests",
                                 json::object{{"purpose", "灭火救援预案编制"}, {"fields", json::array{"id", "name", "kind", "enterprise_uscc"}},
                                              {"region_code", "330106"}});
  ASSERT_EQ(asked.status, 201u) << asked.body;
  const std::string id(asked.json().at("id").as_string());
  ASSERT_EQ(w_->as("hz_admin").post("/api/v1/catalog/grants/" + id + "/decision", json::object{{"approve", true}}).status, 200u);
  auto key = w_->as(dept).post("/api/v1/catalog/grants/" + id + "/key", json::object{});
  ASSERT_EQ(key.status, 201u) << key.body;
  auto data = read_with(std::string(key.json().at("key").as_string()), code, "?page_size=100");
  ASSERT_EQ(data.status, 200u) << data.body;
  ASSERT_FALSE(data.items().empty());
  bool has_xihu = false;
  for (const auto& r : data.items()) {
    EXPECT_NE(r.at("enterprise_uscc").as_string(), w_->uscc.at("E_BINJIANG")) << "滨江's is outside the region granted";
    has_xihu = has_xihu || r.at("enterprise_uscc").as_string() == w_->uscc.at("E_XIHU");
    EXPECT_FALSE(r.as_object().contains("substances")) << "only the fields granted";
    if (r.at("kind").as_string() != "tank_farm") continue;
    EXPECT_EQ(r.at("kind_label").as_string(), "储罐区") << "an enumeration with its Chinese name";
  }
  EXPECT_TRUE(has_xihu);
}

TEST_P(CatalogApi, OpenDataCarriesNoPersonalData) {
  // An enterprise whose people are on record: none of them may leave in open data.
  const std::string uscc = uscc_for("330106", next_serial());
  auto made = w_->as("nation_admin").post("/api/v1/enterprises",
                                   json::object{{"uscc", uscc}, {"name", "开放数据测试化工有限公司"}, {"region_code", "330106"}, {"industry", "hazchem_use"},
                                                {"legal_representative", "赵法人"},
                                                {"safety_manager", json::object{{"name", "钱安全"}, {"phone", "13912345678"}}}});
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/catalog/open/export", json::object{}).status, 403u);
  auto exported = w_->as("nation_admin").post("/api/v1/catalog/open/export", json::object{});
  ASSERT_EQ(exported.status, 200u) << exported.body;
  std::string json_file, csv_file;
  for (const auto& f : exported.items())
    if (f.at("entry_code").as_string() == code_of(entry_of("enterprise"))) {
      json_file = std::string(f.at("json").as_string());
      csv_file = std::string(f.at("csv").as_string());
    }
  ASSERT_FALSE(json_file.empty()) << exported.body;
  for (const auto& e : exported.items()) EXPECT_NE(e.at("entry_code").as_string(), code_of(entry_of("accident"))) << "accidents are not open";

  auto index = w_->anonymous().get("/api/v1/open");
  ASSERT_EQ(index.status, 200u) << index.body;
  EXPECT_FALSE(index.json().at("resources").as_array().empty());
  auto as_json = w_->anonymous().get(json_file);
  auto as_csv = w_->anonymous().get(csv_file);
  ASSERT_EQ(as_json.status, 200u);
  ASSERT_EQ(as_csv.status, 200u);
  EXPECT_NE(as_json.body.find("开放数据测试化工有限公司"), std::string::npos);
  EXPECT_NE(as_csv.body.find("开放数据测试化工有限公司"), std::string::npos);
  EXPECT_NE(as_csv.body.find("企业名称"), std::string::npos) << "Chinese headers";
  // No phone number (a mainland mobile) and no ID number (18 digits, the last maybe X) leaves.
  const std::regex phone("(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)"), id_number("(^|[^0-9A-Z])[0-9]{17}[0-9X]([^0-9A-Z]|$)");
  for (const auto* body : {&as_json.body, &as_csv.body}) {
    EXPECT_FALSE(std::regex_search(*body, phone)) << "a phone number left in open data";
    EXPECT_FALSE(std::regex_search(*body, id_number)) << "an ID number left in open data";
    EXPECT_EQ(body->find("赵法人"), std::string::npos);
    EXPECT_EQ(body->find("钱安全"), std::string::npos);
  }
  // Only the files the export writes are served.
  EXPECT_EQ(w_->anonymous().get("/api/v1/open/..%2Fnode.key").status, 404u);
  EXPECT_EQ(w_->anonymous().get("/api/v1/open/index.json").status, 404u);
  EXPECT_EQ(w_->anonymous().get("/api/v1/open/nothing.json").status, 404u);
  EXPECT_EQ(w_->anonymous().get("/api/v1/open/x.txt").status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogApi, ::testing::Values("sqlite", "postgres"));
