// Jurisdiction is security: every user at every level sees exactly its subtree, through every
// endpoint that can reveal an enterprise — list, detail, search, history, view, export, audit.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class Jurisdiction : public ApiTest {
};

TEST_P(Jurisdiction, MatrixOverEveryReadingEndpoint) {
  ASSERT_TRUE(w_->app->enterprise_risk().recompute_all(now_ms(), "test").ok());  // every world enterprise has a level
  for (const auto& [user, visible] : w_->sees) {
    SCOPED_TRACE(user);
    auto c = w_->as(user);
    // List and search: only the visible world enterprises appear.
    for (const std::string& target : std::vector<std::string>{"/api/v1/enterprises?page_size=500",
                                                              "/api/v1/enterprises?page_size=500&q=" + url_encode("化工"),
                                                              "/api/v1/enterprises?page_size=500&q=" + url_encode("有限公司")}) {
      auto r = c.get(target);
      ASSERT_EQ(r.status, 200u) << r.body;
      std::set<std::string> listed;
      for (const auto& e : r.items()) listed.insert(std::string(e.at("uscc").as_string()));
      for (const auto& [key, code] : w_->uscc) EXPECT_EQ(listed.count(code) > 0, visible.count(key) > 0) << target << " " << key;
    }
    auto csv = c.get("/api/v1/enterprises/export.csv");
    auto points = c.get("/api/v1/enterprises/points");
    ASSERT_EQ(points.status, 200u);
    std::set<std::string> on_map;
    for (const auto& p : points.items()) on_map.insert(std::string(p.at(0).as_string()));
    auto levels = c.get("/api/v1/risk/levels");
    ASSERT_EQ(levels.status, 200u);
    std::set<std::string> coloured;
    for (const auto& p : levels.items()) coloured.insert(std::string(p.at(0).as_string()));
    for (const auto& [key, code] : w_->uscc) {
      const bool in = visible.count(key) > 0;
      // Detail, history, view, search by code, export: 404 (never 403) outside.
      for (const std::string suffix : {"", "/history", "/view"}) {
        auto r = c.get("/api/v1/enterprises/" + code + suffix);
        EXPECT_EQ(r.status, in ? 200u : 404u) << key << suffix;
        if (!in) {
          EXPECT_EQ(r.error_code(), "not_found");
          EXPECT_EQ(r.body.find(code), std::string::npos) << "an error must not echo what it hides";
        }
      }
      auto by_code = c.get("/api/v1/enterprises?q=" + code);
      EXPECT_EQ(by_code.json().at("total").as_int64(), in ? 1 : 0) << key;
      EXPECT_EQ(csv.body.find(code) != std::string::npos, in) << key;
      EXPECT_EQ(on_map.count(code) > 0, in) << "map " << key;
      EXPECT_EQ(coloured.count(code) > 0, in) << "risk levels " << key;
      EXPECT_EQ(c.get("/api/v1/enterprises/" + code + "/risk").status, in ? 200u : 404u) << "risk " << key;
    }
  }
}

TEST_P(Jurisdiction, WritesOutsideTheSubtreeAreRefused) {
  auto c = w_->as("xihu_insp");
  // Patch and delete of another county's record: 404, as if absent.
  EXPECT_EQ(c.patch("/api/v1/enterprises/" + w_->uscc["E_BINJIANG"], json::object{{"employees", 1}}, "\"1\"").status, 404u);
  EXPECT_EQ(c.request("DELETE", "/api/v1/enterprises/" + w_->uscc["E_BINJIANG"], "", {{"If-Match", "\"1\""}}).status, 404u);
  // Create in another county: refused.
  auto r = c.post("/api/v1/enterprises", json::object{{"uscc", uscc_for("330108", next_serial())}, {"name", "越权测试有限公司"},
                                                      {"region_code", "330108"}, {"industry", "other"}});
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.error_field(), "region_code");
  // Moving one's own record out of one's jurisdiction: refused.
  auto own = c.get("/api/v1/enterprises/" + w_->uscc["E_XIHU"]);
  auto move = c.patch("/api/v1/enterprises/" + w_->uscc["E_XIHU"], json::object{{"region_code", "330108"}}, own.header("etag"));
  EXPECT_EQ(move.status, 403u);
}

TEST_P(Jurisdiction, SummaryCountsOnlyTheScope) {
  auto county = w_->as("binjiang_insp").get("/api/v1/enterprises/summary").json();
  auto city = w_->as("hz_insp").get("/api/v1/enterprises/summary").json();
  auto js = w_->as("js_insp").get("/api/v1/enterprises/summary").json();
  EXPECT_GE(city.at("total").as_int64(), county.at("total").as_int64());
  EXPECT_GE(js.at("total").as_int64(), 1);
  auto ent = w_->as("ent_mgr").get("/api/v1/enterprises/summary").json();
  EXPECT_EQ(ent.at("total").as_int64(), 1);
}

TEST_P(Jurisdiction, AuditLogIsScopedForAdministrators) {
  // Each write is recorded under the region of the enterprise it touched.
  auto zj = w_->as("zj_auditor").get("/api/v1/audit?action=enterprise.create&page_size=500");
  ASSERT_EQ(zj.status, 200u);
  std::set<std::string> seen;
  for (const auto& a : zj.items()) {
    EXPECT_TRUE(a.at("region_code").as_string().starts_with("33")) << a.at("region_code").as_string();
    seen.insert(std::string(a.at("uscc").as_string()));
  }
  EXPECT_TRUE(seen.count(w_->uscc["E_XIHU"]));
  EXPECT_FALSE(seen.count(w_->uscc["E_NANJING"]));
  auto xihu = w_->as("xihu_auditor").get("/api/v1/audit?page_size=500");
  for (const auto& a : xihu.items()) {
    const auto& region = a.at("region_code");
    EXPECT_TRUE(region.is_string() && region.as_string() == "330106") << json::serialize(a);
  }
  auto all = w_->as("auditadmin").get("/api/v1/audit?action=enterprise.create&page_size=500").json();
  EXPECT_GT(all.at("total").as_int64(), zj.json().at("total").as_int64());
}

TEST_P(Jurisdiction, OrgsAndUsersOfOtherSubtreesDoNotExist) {
  auto hz = w_->as("hz_admin");
  EXPECT_EQ(hz.get("/api/v1/orgs/" + w_->org_id["nb"]).status, 404u);
  EXPECT_EQ(hz.get("/api/v1/orgs/" + w_->org_id["xihu"]).status, 200u);
  for (const auto& o : hz.get("/api/v1/orgs").items()) {
    const auto& region = o.at("region_code");
    EXPECT_TRUE(region.is_string() && region.as_string().starts_with("3301")) << json::serialize(o);
  }
}

TEST_P(Jurisdiction, AMovedEnterpriseLeavesItsOldCountyWithItsOrganization) {
  auto zj = w_->as("zj_admin");
  const std::string uscc = uscc_for("330106", next_serial());
  auto e = zj.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "迁移测试化工有限公司"}, {"region_code", "330106"},
                                                       {"industry", "hazchem_use"}});
  ASSERT_EQ(e.status, 201u) << e.body;
  auto org = zj.post("/api/v1/orgs", json::object{{"name", "迁移测试化工有限公司"}, {"kind", "enterprise"}, {"uscc", uscc}});
  ASSERT_EQ(org.status, 201u) << org.body;
  const json::value org_id = org.json().at("id");
  auto manager = [&](HttpClient& c) {
    return c.post("/api/v1/users", json::object{{"username", "mv_" + std::to_string(next_serial())}, {"display_name", "安全员"},
                                                {"org_id", org_id}, {"roles", json::array{"enterprise_manager"}}, {"password", kPassword}});
  };
  auto xihu = w_->as("xihu_admin");
  ASSERT_EQ(manager(xihu).status, 201u) << "西湖 manages its own enterprise's users";
  // The province moves it to 滨江: 西湖 can no longer make users for it, nor see its organization.
  auto moved = zj.patch("/api/v1/enterprises/" + uscc, json::object{{"region_code", "330108"}}, "\"1\"");
  ASSERT_EQ(moved.status, 200u) << moved.body;
  auto refused = manager(xihu);
  EXPECT_NE(refused.status, 201u) << refused.body;
  for (const auto& o : xihu.get("/api/v1/orgs").items()) EXPECT_NE(o.at("id"), org_id) << "the org left 西湖's list";
  auto hz = w_->as("hz_admin");
  for (const auto& o : hz.get("/api/v1/orgs").items()) {
    if (o.at("id") == org_id) {
      EXPECT_EQ(o.at("region_code").as_string(), "330108");
    }
  }
  EXPECT_EQ(manager(hz).status, 201u) << "杭州 covers 滨江";
}

INSTANTIATE_TEST_SUITE_P(Backends, Jurisdiction, ::testing::Values("sqlite", "postgres"));

TEST_P(Jurisdiction, HiddenDangersAndEvidenceFilesFollowTheMatrix) {
  // One hidden danger with a photo for each world enterprise, made by the national administrator.
  auto admin = w_->as("nation_admin");
  std::map<std::string, std::pair<std::string, std::string>> made;  // key → (hidden danger id, file id)
  for (const auto& [key, code] : w_->uscc) {
    auto photo = admin.request("POST", "/api/v1/files?enterprise_uscc=" + code + "&name=p.jpg",
                               "\xFF\xD8\xFF\xE0" + key + std::to_string(next_serial()), {{"Content-Type", "image/jpeg"}});
    ASSERT_EQ(photo.status, 201u) << photo.body;
    auto h = admin.post("/api/v1/hidden-dangers", json::object{{"enterprise_uscc", code}, {"description", "矩阵测试隐患 " + key},
                                                               {"grade", "major"}, {"major_reason", "测试"}, {"found_by", "inspection"},
                                                               {"found_at", format_iso(now_ms() - 60'000)},
                                                               {"files", json::array{photo.json().at("id")}}});
    ASSERT_EQ(h.status, 201u) << h.body;
    made[key] = {std::string(h.json().at("id").as_string()), std::string(photo.json().at("id").as_string())};
  }
  // The province's list narrowed to 杭州 (its subtree as jurisdiction draws it).
  std::set<std::string> hangzhou;
  for (const auto& x : w_->as("zj_admin").get("/api/v1/hidden-dangers?grade=major&page_size=100&region_code=330100").items())
    hangzhou.insert(std::string(x.at("id").as_string()));
  EXPECT_TRUE(hangzhou.count(made["E_XIHU"].first) && hangzhou.count(made["E_BINJIANG"].first));
  EXPECT_FALSE(hangzhou.count(made["E_HAISHU"].first));
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/hidden-dangers?region_code=339999").error_field(), "region_code");
  for (const auto& [user, visible] : w_->sees) {
    SCOPED_TRACE(user);
    auto c = w_->as(user);
    std::set<std::string> listed;
    for (int page = 1;; ++page) {
      auto r = c.get("/api/v1/hidden-dangers?grade=major&page_size=100&page=" + std::to_string(page));
      ASSERT_EQ(r.status, 200u) << r.body;
      for (const auto& x : r.items()) listed.insert(std::string(x.at("id").as_string()));
      if (r.items().size() < 100) break;
    }
    for (const auto& [key, ids] : made) {
      const bool in = visible.count(key) > 0;
      EXPECT_EQ(listed.count(ids.first) > 0, in) << "list " << key;
      EXPECT_EQ(c.get("/api/v1/hidden-dangers/" + ids.first).status, in ? 200u : 404u) << key;
      EXPECT_EQ(c.get("/api/v1/hidden-dangers?enterprise_uscc=" + w_->uscc[key]).json().at("total").as_int64() > 0, in) << key;
      EXPECT_EQ(c.get("/api/v1/hidden-dangers/stats?enterprise_uscc=" + w_->uscc[key]).status, in ? 200u : 404u) << "stats " << key;
      EXPECT_EQ(c.get("/api/v1/hidden-dangers/report.xlsx?enterprise_uscc=" + w_->uscc[key]).status, in ? 200u : 404u) << "report " << key;
      EXPECT_EQ(c.get("/api/v1/files/" + ids.second).status, in ? 200u : 404u) << "file " << key;
      auto content = c.get("/api/v1/files/" + ids.second + "/content");
      EXPECT_EQ(content.status, in ? 200u : 404u) << "file content " << key;
      if (!in) {
        EXPECT_EQ(content.body.find(ids.second), std::string::npos) << "an error must not echo what it hides";
      }
    }
  }
}
