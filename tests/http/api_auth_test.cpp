// Login, sessions, lockout, passwords and permissions over real HTTP, on both backends.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class AuthApi : public ApiTest {
 protected:
  // A fresh user in 西湖 for tests that change users.
  std::string make_user(const std::string& role = "inspector") {
    std::string name = "u" + std::to_string(next_serial() % 100000000);
    auto admin = w_->as("nation_admin");
    auto r = admin.post("/api/v1/users", json::object{{"username", name}, {"password", kPassword}, {"display_name", "测试"},
                                                      {"org_id", w_->org_id["xihu"]}, {"roles", json::array{role.c_str()}},
                                                      {"must_change_password", false}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return name;
  }
};

TEST_P(AuthApi, LoginReturnsTokenAndUser) {
  auto c = w_->anonymous();
  auto r = c.post("/api/v1/auth/login", json::object{{"username", "xihu_insp"}, {"password", kPassword}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("token").as_string().size(), 43u);  // 256 bits, base64url
  EXPECT_EQ(j.at("user").at("org").at("region_code").as_string(), "330106");
  EXPECT_FALSE(j.at("expires_at").as_string().empty());
  c.set_token(std::string(j.at("token").as_string()));
  auto me = c.get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200u);
  EXPECT_EQ(me.json().at("username").as_string(), "xihu_insp");
}

TEST_P(AuthApi, WrongPasswordAndUnknownUserLookAlike) {
  auto c = w_->anonymous();
  auto wrong = c.post("/api/v1/auth/login", json::object{{"username", "xihu_duty"}, {"password", "Wrong#pass1"}});
  auto unknown = c.post("/api/v1/auth/login", json::object{{"username", "nobody_here_x"}, {"password", "Wrong#pass1"}});
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.error_code(), "unauthenticated");
}

TEST_P(AuthApi, FiveFailuresLockWhetherOrNotTheUserExists) {
  const std::string real = make_user();
  const std::string ghost = "ghost" + std::to_string(next_serial() % 1000000);
  auto c = w_->anonymous();
  for (const auto& name : {real, ghost}) {
    HttpResult last;
    for (int i = 0; i < 5; ++i) last = c.post("/api/v1/auth/login", json::object{{"username", name}, {"password", "Wrong#pass1"}});
    EXPECT_EQ(last.status, 429u) << name;
    EXPECT_EQ(last.error_code(), "locked");
    // Even the right password is refused while locked.
    auto right = c.post("/api/v1/auth/login", json::object{{"username", name}, {"password", kPassword}});
    EXPECT_EQ(right.status, 429u);
    EXPECT_EQ(right.error_code(), "locked");
  }
  // The two lockouts are indistinguishable.
  auto a = c.post("/api/v1/auth/login", json::object{{"username", real}, {"password", "x"}});
  auto b = c.post("/api/v1/auth/login", json::object{{"username", ghost}, {"password", "x"}});
  EXPECT_EQ(a.error_code(), b.error_code());
  // The security administrator unlocks the real one.
  auto admin = w_->as("secadmin");
  const std::string id = user_id(real);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(admin.request("POST", "/api/v1/users/" + id + "/unlock").status, 204u);
  EXPECT_EQ(c.post("/api/v1/auth/login", json::object{{"username", real}, {"password", kPassword}}).status, 200u);
}

TEST_P(AuthApi, LogoutRevokesTheSession) {
  const std::string name = make_user();
  HttpClient c(w_->port);
  c.set_token(w_->login(name));
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 200u);
  EXPECT_EQ(c.request("POST", "/api/v1/auth/logout").status, 204u);
  auto after = c.get("/api/v1/auth/me");
  EXPECT_EQ(after.status, 401u);
  EXPECT_EQ(after.error_code(), "unauthenticated");
}

TEST_P(AuthApi, MissingOrForgedTokenIs401) {
  auto c = w_->anonymous();
  EXPECT_EQ(c.get("/api/v1/enterprises").status, 401u);
  c.set_token("forged-token");
  EXPECT_EQ(c.get("/api/v1/enterprises").status, 401u);
  c.set_token(std::string(300, 'a'));
  EXPECT_EQ(c.get("/api/v1/enterprises").status, 401u);
  auto r = c.request("GET", "/api/v1/enterprises", "", {{"Authorization", "Basic YWRtaW46YWRtaW4="}});
  EXPECT_EQ(r.status, 401u);
}

TEST_P(AuthApi, PasswordPolicyAndChange) {
  const std::string name = make_user();
  HttpClient c(w_->port);
  c.set_token(w_->login(name));
  auto weak = c.post("/api/v1/auth/password", json::object{{"old_password", kPassword}, {"new_password", "abcdefgh"}});
  EXPECT_EQ(weak.status, 400u);
  EXPECT_EQ(weak.error_code(), "weak_password");
  auto wrong_old = c.post("/api/v1/auth/password", json::object{{"old_password", "Nope#12345"}, {"new_password", "Better#2027"}});
  EXPECT_EQ(wrong_old.status, 400u);
  EXPECT_EQ(wrong_old.error_field(), "old_password");
  auto ok = c.post("/api/v1/auth/password", json::object{{"old_password", kPassword}, {"new_password", "Better#2027"}});
  EXPECT_EQ(ok.status, 204u) << ok.body;
  auto anon = w_->anonymous();
  EXPECT_EQ(anon.post("/api/v1/auth/login", json::object{{"username", name}, {"password", "Better#2027"}}).status, 200u);
}

TEST_P(AuthApi, ResetPasswordForcesAChange) {
  const std::string name = make_user();
  auto admin = w_->as("secadmin");
  const std::string id = user_id(name);
  // A unit's administrator manages its users but not their passwords (三权分立: that is the security administrator's).
  EXPECT_EQ(w_->as("nation_admin").post("/api/v1/users/" + id + "/password", json::object{{"password", "Reset#2026a"}}).status, 403u);
  ASSERT_EQ(admin.post("/api/v1/users/" + id + "/password", json::object{{"password", "Reset#2026a"}}).status, 204u);
  auto c = w_->anonymous();
  auto login = c.post("/api/v1/auth/login", json::object{{"username", name}, {"password", "Reset#2026a"}});
  ASSERT_EQ(login.status, 200u);
  EXPECT_TRUE(login.json().at("user").at("must_change_password").as_bool());
  c.set_token(std::string(login.json().at("token").as_string()));
  auto blocked = c.get("/api/v1/enterprises");
  EXPECT_EQ(blocked.status, 403u);
  EXPECT_EQ(blocked.error_code(), "password_change_required");
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 200u);
  EXPECT_EQ(c.post("/api/v1/auth/password", json::object{{"old_password", "Reset#2026a"}, {"new_password", "Mine#2026ab"}}).status, 204u);
  EXPECT_EQ(c.get("/api/v1/enterprises").status, 200u);
}

TEST_P(AuthApi, AdminListsAndRevokesSessions) {
  const std::string name = make_user();
  HttpClient c(w_->port);
  c.set_token(w_->login(name));
  auto admin = w_->as("secadmin");
  const std::string id = user_id(name);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(w_->as("xihu_admin").get("/api/v1/users/" + id + "/sessions").status, 403u);
  auto sessions = admin.get("/api/v1/users/" + id + "/sessions");
  ASSERT_EQ(sessions.status, 200u);
  auto items = sessions.json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  std::string sid(items[0].at("id").as_string());
  EXPECT_EQ(admin.request("DELETE", "/api/v1/users/" + id + "/sessions/" + sid).status, 204u);
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 401u);
  // A county admin cannot see another county's users' sessions.
  auto other = w_->as("nb_insp");
  EXPECT_EQ(other.get("/api/v1/users/" + id + "/sessions").status, 403u);
}

TEST_P(AuthApi, RolesLimitActionsAndDenialsAreAudited) {
  auto duty = w_->as("xihu_duty");
  auto r = duty.post("/api/v1/enterprises", json::object{{"uscc", uscc_for("330106", next_serial())}});
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.error_code(), "forbidden");
  EXPECT_EQ(duty.get("/api/v1/users").status, 403u);
  EXPECT_EQ(duty.get("/api/v1/audit").status, 403u);
  auto log = w_->as("auditadmin").get("/api/v1/audit?action=permission.denied&username=xihu_duty");
  ASSERT_EQ(log.status, 200u);
  EXPECT_GE(log.json().at("total").as_int64(), 3);
}

TEST_P(AuthApi, UserAdministrationStaysInTheSubtree) {
  auto xihu_admin = w_->as("xihu_admin");
  // May not create users in another county's org, nor give enterprise roles to regulators.
  auto other = xihu_admin.post("/api/v1/users", json::object{{"username", "intruder1"}, {"password", kPassword}, {"display_name", "x"},
                                                             {"org_id", w_->org_id["binjiang"]}, {"roles", json::array{"inspector"}}});
  EXPECT_EQ(other.status, 404u);
  EXPECT_EQ(other.error_field(), "org_id");
  auto bad_role = xihu_admin.post("/api/v1/users", json::object{{"username", "wrongrole1"}, {"password", kPassword}, {"display_name", "x"},
                                                                {"org_id", w_->org_id["xihu"]}, {"roles", json::array{"enterprise_manager"}}});
  EXPECT_EQ(bad_role.status, 400u);
  EXPECT_EQ(bad_role.error_field(), "roles");
  auto dup = xihu_admin.post("/api/v1/users", json::object{{"username", "xihu_insp"}, {"password", kPassword}, {"display_name", "x"},
                                                           {"org_id", w_->org_id["xihu"]}, {"roles", json::array{"inspector"}}});
  EXPECT_EQ(dup.status, 409u);
  // Lists hold only the subtree's users.
  for (const auto& u : xihu_admin.get("/api/v1/users").items())
    EXPECT_TRUE(u.at("username").as_string().starts_with("xihu_") || u.at("username").as_string().starts_with("u") ||
                u.at("username").as_string() == "ent_mgr")
        << u.at("username").as_string();
  // Orgs: a county admin cannot make a city regulator, nor one elsewhere.
  auto org = xihu_admin.post("/api/v1/orgs", json::object{{"name", "x"}, {"kind", "regulator"}, {"level", "county"},
                                                          {"region_code", "330108"}, {"regulator_kind", "safety"}});
  EXPECT_EQ(org.status, 403u);
}

TEST_P(AuthApi, DisabledUserCannotLogInAndLosesSessions) {
  const std::string name = make_user();
  HttpClient c(w_->port);
  c.set_token(w_->login(name));
  auto admin = w_->as("nation_admin");
  const std::string id = user_id(name);
  const std::int64_t version = admin.get("/api/v1/users/" + id).json().at("version").as_int64();
  auto stale = admin.patch("/api/v1/users/" + id, json::object{{"disabled", true}}, "\"" + std::to_string(version + 5) + "\"");
  EXPECT_EQ(stale.status, 412u);
  auto r = admin.patch("/api/v1/users/" + id, json::object{{"disabled", true}}, "\"" + std::to_string(version) + "\"");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 401u);
  auto anon = w_->anonymous();
  EXPECT_EQ(anon.post("/api/v1/auth/login", json::object{{"username", name}, {"password", kPassword}}).status, 401u);
}

TEST_P(AuthApi, ATokenInTheUrlIsTakenOnlyByTheStream) {
  const std::string token = w_->login("xihu_insp");
  HttpClient anonymous(w_->port);
  // In a URL a token lands in access logs and browser histories: only /api/v1/stream accepts it there.
  auto r = anonymous.get("/api/v1/enterprises?token=" + token);
  EXPECT_EQ(r.status, 401u) << r.body;
  HttpClient c(w_->port);
  c.set_token(token);
  EXPECT_EQ(c.get("/api/v1/enterprises").status, 200u);
}

TEST_P(AuthApi, WrongOldPasswordsCountLikeLoginFailures) {
  auto admin = w_->as("nation_admin");
  const std::string name = "oldpw_" + std::to_string(next_serial());
  ASSERT_EQ(admin.post("/api/v1/users", json::object{{"username", name}, {"display_name", "猜密码"}, {"org_id", w_->org_id["xihu"]},
                                                     {"roles", json::array{"inspector"}}, {"password", kPassword},
                                                     {"must_change_password", false}}).status, 201u);
  HttpClient c(w_->port);
  c.set_token(w_->login(name));
  json::object guess{{"old_password", "Wrong#guess1"}, {"new_password", "Another#2026pw"}};
  for (int i = 1; i < 5; ++i) EXPECT_EQ(c.post("/api/v1/auth/password", guess).error_code(), "invalid_password") << i;
  // The fifth locks the account and ends the session that was guessing.
  EXPECT_EQ(c.post("/api/v1/auth/password", guess).error_code(), "locked");
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 401u);
  auto login = HttpClient(w_->port).post("/api/v1/auth/login", json::object{{"username", name}, {"password", kPassword}});
  EXPECT_EQ(login.error_code(), "locked") << "the right password waits for the lock to pass";
}

TEST_P(AuthApi, AnAddressCannotLockAUserOutForEveryone) {
  // Anyone could lock any account for 15 minutes with 5 requests. Now 5 failures lock out the
  // address they came from; the account itself locks only after 50 from anywhere (a distributed guess).
  const std::string name = make_user();
  auto& identity = w_->app->identity();
  for (int i = 0; i < 5; ++i) (void)identity.login(name, "Wrong#guess1", "198.51.100.7");
  auto from_attacker = identity.login(name, kPassword, "198.51.100.7");
  ASSERT_FALSE(from_attacker.ok());
  EXPECT_EQ(from_attacker.error().code, "locked");
  auto from_owner = identity.login(name, kPassword, "192.0.2.10");
  EXPECT_TRUE(from_owner.ok()) << (from_owner.ok() ? "" : from_owner.error().message);
  // The administrator sees the lock on the users page, and 解锁 lifts it.
  bool shown = false;
  for (const auto& u : w_->as("nation_admin").get("/api/v1/users").items())
    shown = shown || (u.at("username").as_string() == name && u.at("locked_until").is_string());
  EXPECT_TRUE(shown);
  EXPECT_EQ(w_->as("secadmin").request("POST", "/api/v1/users/" + user_id(name) + "/unlock").status, 204u);
  EXPECT_TRUE(identity.login(name, kPassword, "198.51.100.7").ok());
  // Fifty failures from fifty addresses lock the account for everyone.
  for (int i = 0; i < 50; ++i) (void)identity.login(name, "Wrong#guess1", "203.0.113." + std::to_string(i));
  auto after = identity.login(name, kPassword, "192.0.2.10");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, "locked");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthApi, ::testing::Values("sqlite", "postgres"));
