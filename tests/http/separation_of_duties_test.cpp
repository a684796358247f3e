// 三权分立 (DOMAIN §10, GB/T 22239 8.1.4.2): the 系统管理员, the 安全管理员 and the 审计管理员 each
// do their part and nothing else; none reads business data; no account holds two of them.
#include <gtest/gtest.h>

#include <fstream>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {

// Every GET route without a parameter in the interface's description, read from docs/openapi.yaml
// so that a route added later is covered without anyone remembering to list it here.
std::vector<std::string> documented_get_routes() {
  std::ifstream in(std::string(ANJIAN_SOURCE_DIR) + "/docs/openapi.yaml");
  std::vector<std::string> out;
  std::string line, path;
  while (std::getline(in, line)) {
    if (line.size() > 3 && line.starts_with("  /") && line.back() == ':') path = line.substr(2, line.size() - 3);
    else if (line == "    get:" && !path.empty() && path.find('{') == std::string::npos) out.push_back(path);
  }
  return out;
}

}  // namespace

class SeparationOfDuties : public ApiTest {};

TEST_P(SeparationOfDuties, NoneOfTheThreeReadsBusinessData) {
  // What each may read besides: who it is, its inbox, the reference data everyone shares, and its own part.
  const std::set<std::string> everyone = {"/healthz", "/metrics", "/api/v1/stream", "/api/v1/auth/me", "/api/v1/notifications",
                                          "/api/v1/regions", "/api/v1/public/inspection-results", "/api/v1/open",
                                          "/api/v1/auth/second-factor"};
  const std::map<std::string, std::set<std::string>> own = {
      // The node's registration and its links to others are the system's configuration (their lag, errors).
      {"admin", {"/api/v1/orgs", "/api/v1/users", "/api/v1/exchange/links", "/api/v1/exchange/node"}},
      {"secadmin", {"/api/v1/users"}},
      {"auditadmin", {"/api/v1/audit"}},
  };
  const auto routes = documented_get_routes();
  ASSERT_GT(routes.size(), 40u) << "the interface's description was not read";
  for (const auto& [user, allowed] : own) {
    auto c = w_->as(user);
    for (const auto& route : routes) {
      if (everyone.count(route)) continue;
      auto r = c.get(route);
      if (allowed.count(route)) {
        EXPECT_TRUE(r.status == 200u || r.error_code() == "not_initialised") << user << " " << route << " " << r.body;
      } else {
        EXPECT_EQ(r.status, 403u) << user << " " << route << " " << r.body.substr(0, 200);
      }
    }
  }
}

TEST_P(SeparationOfDuties, EachDoesItsOwnPartOnly) {
  const std::string insp = user_id("xihu_insp");
  auto sys = w_->as("admin"), sec = w_->as("secadmin"), aud = w_->as("auditadmin"), unit = w_->as("nation_admin");
  // The audit log: the 审计管理员 alone (a unit's administrator neither).
  EXPECT_EQ(aud.get("/api/v1/audit").status, 200u);
  for (auto* c : {&sys, &sec, &unit}) EXPECT_EQ(c->get("/api/v1/audit").status, 403u);
  // Passwords, lockouts and sessions: the 安全管理员 alone.
  for (auto* c : {&sys, &aud, &unit}) {
    EXPECT_EQ(c->post("/api/v1/users/" + insp + "/password", json::object{{"password", "Reset#2026a"}}).status, 403u);
    EXPECT_EQ(c->request("POST", "/api/v1/users/" + insp + "/unlock").status, 403u);
    EXPECT_EQ(c->get("/api/v1/users/" + insp + "/sessions").status, 403u);
  }
  EXPECT_EQ(sec.request("POST", "/api/v1/users/" + insp + "/unlock").status, 204u);
  EXPECT_EQ(sec.get("/api/v1/users/" + insp + "/sessions").status, 200u);
  // Accounts' existence: the 系统管理员 (and units' administrators for their own staff), not the 安全管理员.
  json::object body{{"username", "sod_" + std::to_string(next_serial())}, {"password", kPassword}, {"display_name", "分权测试"},
                    {"org_id", w_->org_id["xihu"]}, {"roles", json::array{"inspector"}}, {"must_change_password", false}};
  EXPECT_EQ(sec.post("/api/v1/users", body).status, 403u);
  EXPECT_EQ(aud.post("/api/v1/users", body).status, 403u);
  EXPECT_EQ(sys.post("/api/v1/users", body).status, 201u);
  // The running system's figures through the proxy: the 系统管理员.
  EXPECT_EQ(sys.request("GET", "/metrics", "", {{"X-Forwarded-For", "203.0.113.7"}}).status, 200u);
  for (auto* c : {&sec, &aud, &unit}) EXPECT_EQ(c->request("GET", "/metrics", "", {{"X-Forwarded-For", "203.0.113.7"}}).status, 403u);
}

TEST_P(SeparationOfDuties, PlatformRolesAreHeldAloneAndGrantedOnlyByTheSecurityAdministrator) {
  auto sys = w_->as("admin"), sec = w_->as("secadmin");
  const std::string org = std::string(sys.get("/api/v1/auth/me").json().at("org").at("id").as_string());
  auto make = [&](HttpClient& c, json::array roles) {
    return c.post("/api/v1/users", json::object{{"username", "sod_" + std::to_string(next_serial())}, {"password", kPassword},
                                                {"display_name", "分权测试"}, {"org_id", org}, {"roles", std::move(roles)},
                                                {"must_change_password", false}});
  };
  // The 系统管理员 cannot make another administrator of the platform (it would be its own auditor).
  for (const char* role : {"sys_admin", "sec_admin", "audit_admin"}) EXPECT_EQ(make(sys, json::array{role}).status, 403u) << role;
  // Nobody holds two of the three, nor one of them with a business role.
  auto two = make(sec, json::array{"sec_admin", "audit_admin"});
  EXPECT_EQ(two.status, 400u) << two.body;
  EXPECT_EQ(make(sec, json::array{"audit_admin", "leader"}).status, 400u);
  // The 安全管理员 makes a second 审计管理员 (an office has more than one); that one reads the log.
  auto second = make(sec, json::array{"audit_admin"});
  ASSERT_EQ(second.status, 201u) << second.body;
  const std::string id(second.json().at("id").as_string());
  const std::string name(second.json().at("username").as_string());
  HttpClient c(w_->port);
  c.set_token(w_->login(name));
  EXPECT_EQ(c.get("/api/v1/audit").status, 200u);
  // Changing what a platform account holds, or disabling it, is the 安全管理员's too.
  auto u = sys.get("/api/v1/users/" + id);
  ASSERT_EQ(u.status, 200u);
  const std::string etag = u.header("etag");
  EXPECT_EQ(sys.request("PATCH", "/api/v1/users/" + id, R"({"disabled":true})", {{"If-Match", etag}}).status, 403u);
  EXPECT_EQ(sec.request("PATCH", "/api/v1/users/" + id, R"({"disabled":true})", {{"If-Match", etag}}).status, 200u);
  EXPECT_EQ(c.get("/api/v1/audit").status, 401u) << "a disabled account's session ends";
  // A unit's administrator cannot grant itself or anyone the audit role.
  auto unit = w_->as("nation_admin");
  EXPECT_EQ(unit.post("/api/v1/users", json::object{{"username", "sod_" + std::to_string(next_serial())}, {"password", kPassword},
                                                    {"display_name", "分权测试"}, {"org_id", w_->org_id["xihu"]},
                                                    {"roles", json::array{"audit_admin"}}, {"must_change_password", false}})
                .status,
            403u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SeparationOfDuties, ::testing::Values("sqlite", "postgres"));

TEST_P(SeparationOfDuties, AccountsUnusedForLongAreDisabledButNotThePlatformAdministrators) {
  auto sys = w_->as("admin");
  const std::string name = "stale_" + std::to_string(next_serial() % 100000000);
  auto made = sys.post("/api/v1/users", json::object{{"username", name}, {"password", kPassword}, {"display_name", "久未登录"},
                                                     {"org_id", w_->org_id["xihu"]}, {"roles", json::array{"inspector"}},
                                                     {"must_change_password", false}});
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string id(made.json().at("id").as_string());
  HttpClient c(w_->port);
  c.set_token(w_->login(name));
  const Millis now = now_ms();
  const Millis long_ago = now - 91LL * 24 * 3600 * 1000;
  {
    auto w = w_->app->db().write();
    ASSERT_TRUE((*w)->exec("UPDATE users SET last_login_at = ? WHERE id = ?", {long_ago, id}).ok());
  }
  // 89 days is not yet stale (the default is 90); 91 is.
  auto n = w_->app->identity().disable_stale_accounts(now - 2LL * 24 * 3600 * 1000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(sys.get("/api/v1/users/" + id).json().at("disabled").as_bool(), false);
  {
    auto w = w_->app->db().write();
    // The 审计管理员 has not logged in for as long: still not disabled (the platform keeps its administrators).
    ASSERT_TRUE((*w)->exec("UPDATE users SET last_login_at = ? WHERE username = 'auditadmin'", {long_ago}).ok());
  }
  n = w_->app->identity().disable_stale_accounts(now);
  ASSERT_TRUE(n.ok());
  EXPECT_GE(*n, 1u);
  EXPECT_TRUE(sys.get("/api/v1/users/" + id).json().at("disabled").as_bool());
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 401u) << "its sessions end with it";
  EXPECT_EQ(w_->anonymous().post("/api/v1/auth/login", json::object{{"username", name}, {"password", kPassword}}).status, 401u);
  EXPECT_EQ(w_->as("auditadmin").get("/api/v1/audit?action=user.disable_stale").json().at("total").as_int64() >= 1, true);
  HttpClient aud(w_->port);
  aud.set_token(w_->login("auditadmin"));
  EXPECT_EQ(aud.get("/api/v1/auth/me").status, 200u);
}

TEST_P(SeparationOfDuties, APasswordMadeOfTheAccountsNameIsRefused) {
  HttpClient c(w_->port);
  c.set_token(w_->login("secadmin"));
  auto r = c.post("/api/v1/auth/password", json::object{{"old_password", kPassword}, {"new_password", "Secadmin#2026"}});
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error_code(), "weak_password");
  EXPECT_EQ(w_->as("admin").post("/api/v1/users", json::object{{"username", "zhangsan9"}, {"password", "Zhangsan9#x"}, {"display_name", "张三"},
                                                                 {"org_id", w_->org_id["xihu"]}, {"roles", json::array{"inspector"}}})
                .error_code(),
            "weak_password");
}
