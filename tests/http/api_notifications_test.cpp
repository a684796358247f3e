// Notifications over HTTP: an enterprise rising to 红 lands in its county regulator's inbox (kept in
// the level change's transaction), only there; each user marks it read for themselves; bad and
// hostile input — on both backends.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class NotificationsApi : public ApiTest {
 protected:
  // A fresh enterprise of `county` (西湖区 by default) made red by a 二级 hazard source; returns its code.
  std::string red_enterprise(const std::string& county = "330106") {
    const std::string uscc = uscc_for(county, next_serial());
    auto e = w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "通知测试化工有限公司"},
                                                                         {"region_code", county}, {"industry", "hazchem_use"}});
    EXPECT_EQ(e.status, 201u) << e.body;
    auto& risk = w_->app->enterprise_risk();
    EXPECT_TRUE(risk.recompute_marked(now_ms()).ok());  // its first level: 低 (no notification)
    auto hs = w_->as("zj_admin").post("/api/v1/hazard-sources", json::object{{"enterprise_uscc", uscc}, {"code", "HS-N"}, {"name", "液氯库"},
                                                                             {"kind", "warehouse"}, {"grade", 2}});
    EXPECT_EQ(hs.status, 201u) << hs.body;
    EXPECT_TRUE(risk.recompute_marked(now_ms()).ok());
    return uscc;
  }
  // The notification about `uscc` in `user`'s inbox, or null.
  json::value find(const std::string& user, const std::string& uscc, const std::string& query = "") {
    auto r = w_->as(user).get("/api/v1/notifications?page_size=100" + query);
    EXPECT_EQ(r.status, 200u) << r.body;
    for (const auto& n : r.items())
      if (n.at("enterprise_uscc").is_string() && n.at("enterprise_uscc").as_string() == uscc) return n;
    return nullptr;
  }
};

TEST_P(NotificationsApi, RisingToRedNotifiesTheCountyAndOnlyIt) {
  const std::string uscc = red_enterprise();
  auto n = find("xihu_insp", uscc, "&unread=true");
  ASSERT_TRUE(n.is_object()) << "the county's inspector has it";
  EXPECT_EQ(n.at("kind").as_string(), "risk.rose_to_red");
  EXPECT_EQ(n.at("link").as_string(), "/enterprises/" + uscc + "?tab=risk");
  EXPECT_FALSE(n.at("read").as_bool());
  EXPECT_NE(n.at("title").as_string().find("重大风险（红）"), std::string::npos) << n;
  EXPECT_NE(n.at("body").as_string().find("由低风险升至重大风险"), std::string::npos) << n;
  EXPECT_NE(n.at("body").as_string().find("有一级或二级重大危险源"), std::string::npos) << n;
  EXPECT_TRUE(find("xihu_admin", uscc).is_object()) << "every user of the county's org";
  // Addressed to the county: not the province's or a neighbour's inbox, not the enterprise's.
  EXPECT_TRUE(find("zj_admin", uscc).is_null());
  EXPECT_TRUE(find("hz_insp", uscc).is_null());
  EXPECT_TRUE(find("binjiang_insp", uscc).is_null());
  auto ent = w_->as("ent_mgr").get("/api/v1/notifications");
  ASSERT_EQ(ent.status, 200u);
  EXPECT_EQ(ent.json().at("total").as_int64(), 0);

  // Read is per user: the inspector's mark leaves the administrator's unread.
  const std::string id(n.at("id").as_string());
  auto before = w_->as("xihu_insp").get("/api/v1/notifications").json().at("unread").as_int64();
  auto read = w_->as("xihu_insp").post("/api/v1/notifications/" + id + "/read", json::object{});
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/notifications/" + id + "/read", json::object{}).status, 200u);  // again: no change
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/notifications").json().at("unread").as_int64(), before - 1);
  EXPECT_TRUE(find("xihu_insp", uscc, "&unread=true").is_null());
  EXPECT_TRUE(find("xihu_insp", uscc).at("read").as_bool());
  EXPECT_FALSE(find("xihu_admin", uscc).at("read").as_bool());

  // Someone else's notification does not exist for a user, whatever its id.
  for (const std::string user : {"binjiang_insp", "zj_admin", "ent_mgr"}) {
    auto other = w_->as(user).post("/api/v1/notifications/" + id + "/read", json::object{});
    EXPECT_EQ(other.status, 404u) << user;
    EXPECT_EQ(other.error_code(), "not_found");
  }
  EXPECT_FALSE(find("xihu_admin", uscc).at("read").as_bool()) << "a refused mark changed nothing";

  // All read at once.
  auto all = w_->as("xihu_admin").post("/api/v1/notifications/read-all", json::object{});
  ASSERT_EQ(all.status, 200u) << all.body;
  EXPECT_GE(all.json().at("marked").as_int64(), 1);
  EXPECT_EQ(w_->as("xihu_admin").get("/api/v1/notifications").json().at("unread").as_int64(), 0);
}

TEST_P(NotificationsApi, ACountyWithoutARegulatorOnThePlatformIsCoveredByItsCity) {
  // 海曙区 has no regulator org here: 宁波市's gets the notification, and nobody else.
  const std::string uscc = red_enterprise("330203");
  EXPECT_TRUE(find("nb_insp", uscc).is_object());
  EXPECT_TRUE(find("zj_admin", uscc).is_null());
  EXPECT_TRUE(find("xihu_insp", uscc).is_null());
}

TEST_P(NotificationsApi, AMemberDepartmentIsNoRegulatorForNotices) {
  // 海曙区 gets a member department (安委会成员单位): it has no jurisdiction, so the notice still
  // goes to 宁波市's regulator, and the department's inbox shows nothing.
  auto admin = w_->as("nation_admin");
  auto org = admin.post("/api/v1/orgs", json::object{{"name", "海曙区住房和城乡建设局"}, {"kind", "regulator"}, {"level", "county"},
                                                     {"region_code", "330203"}, {"regulator_kind", "member_department"}});
  ASSERT_EQ(org.status, 201u) << org.body;
  const std::string username = "member_" + std::to_string(next_serial());
  auto user = admin.post("/api/v1/users", json::object{{"username", username}, {"display_name", "成员单位"}, {"org_id", org.json().at("id")},
                                                       {"roles", json::array{"inspector"}}, {"password", kPassword},
                                                       {"must_change_password", false}});
  ASSERT_EQ(user.status, 201u) << user.body;
  const std::string uscc = red_enterprise("330203");
  EXPECT_TRUE(find("nb_insp", uscc).is_object()) << "the city's regulator, the nearest with jurisdiction";
  auto inbox = w_->as(username).get("/api/v1/notifications?page_size=100");
  ASSERT_EQ(inbox.status, 200u) << inbox.body;
  EXPECT_TRUE(inbox.items().empty()) << inbox.body;
  EXPECT_EQ(inbox.json().at("unread").as_int64(), 0);
}

TEST_P(NotificationsApi, AnEnterpriseThatStaysRedIsNotNotifiedAgain) {
  const std::string uscc = red_enterprise();
  auto& risk = w_->app->enterprise_risk();
  ASSERT_TRUE(risk.recompute({uscc}, now_ms(), "test").ok());
  ASSERT_TRUE(risk.recompute_all(now_ms(), "test").ok());
  int count = 0;
  for (const auto& n : w_->as("xihu_insp").get("/api/v1/notifications?page_size=100").items())
    count += n.at("enterprise_uscc").is_string() && n.at("enterprise_uscc").as_string() == uscc;
  EXPECT_EQ(count, 1);
}

TEST_P(NotificationsApi, BadAndHostileInputIsRefusedClearly) {
  auto c = w_->as("xihu_insp");
  EXPECT_EQ(c.get("/api/v1/notifications?unread=maybe").error_code(), "invalid_field");
  EXPECT_EQ(c.get("/api/v1/notifications?page_size=abc").status, 400u);
  EXPECT_EQ(c.get("/api/v1/notifications?page=0").status, 400u);
  EXPECT_EQ(c.get("/api/v1/notifications?page_size=100000").status, 400u);
  for (const std::string& id : std::vector<std::string>{"x' OR '1'='1", std::string(5000, 'a'), "%00", "..%2F..%2Fetc"})
    EXPECT_EQ(c.post("/api/v1/notifications/" + url_encode(id) + "/read", json::object{}).status, 404u) << id.substr(0, 20);
  HttpClient anonymous(w_->port);
  EXPECT_EQ(anonymous.get("/api/v1/notifications").status, 401u);
  EXPECT_EQ(anonymous.post("/api/v1/notifications/read-all", json::object{}).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsApi, ::testing::Values("sqlite", "postgres"));
