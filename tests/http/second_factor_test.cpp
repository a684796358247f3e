// Two factors for the platform's administrators (等保 8.1.4.1 d; issue 18 §4): TOTP enrolled with a
// code from the app, asked after the password, one use per code, recovery codes, failures that lock
// as wrong passwords do, and a reset that only the 安全管理员 may make. On a server that requires
// it, as `anjian serve` does.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/app.h"
#include "base/totp.h"
#include "support/backends.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {

class SecondFactor : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres" && !postgres_available()) {
      if (postgres_required()) FAIL() << "PostgreSQL required";
      GTEST_SKIP() << "no PostgreSQL";
    }
    db_ = std::make_unique<TestDatabase>(GetParam());
    app::Config config;
    config.db_url = db_->url();
    config.listen = "127.0.0.1:0";
    config.access_log = false;
    config.threads = 2;
    data_dir_ = (std::filesystem::temp_directory_path() / ("anjian-2fa-" + std::to_string(next_serial()))).string();
    config.data_dir = data_dir_;
    ASSERT_TRUE(config.security.admins_need_second_factor) << "a deployment requires it unless told otherwise";
    auto a = app::App::open(config);
    ASSERT_TRUE(a.ok()) << a.error().message;
    app_ = std::move(a).value();
    ASSERT_TRUE(app_->identity().bootstrap_admins(std::string(kPassword), false).ok());
    auto p = app_->start_http();
    ASSERT_TRUE(p.ok());
    port_ = *p;
  }
  void TearDown() override {
    if (app_) app_->stop_http();
    app_.reset();
    db_.reset();
    std::error_code ec;
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
  }
  HttpResult login(HttpClient& c, const std::string& user, const std::string& code = "") {
    json::object body{{"username", user}, {"password", kPassword}};
    if (!code.empty()) body["code"] = code;
    return c.post("/api/v1/auth/login", body);
  }
  // Logs in (no factor yet), enrols, confirms: returns the key and the recovery codes; `c` keeps the session.
  std::pair<std::string, std::vector<std::string>> enrol(HttpClient& c, const std::string& user) {
    auto in = login(c, user);
    EXPECT_EQ(in.status, 200u) << in.body;
    c.set_token(std::string(in.json().at("token").as_string()));
    auto e = c.request("POST", "/api/v1/auth/second-factor/enrol");
    EXPECT_EQ(e.status, 200u) << e.body;
    auto key = totp::base32_decode(std::string(e.json().at("secret").as_string()));
    EXPECT_TRUE(key.has_value());
    auto done = c.post("/api/v1/auth/second-factor/confirm", json::object{{"code", totp::at(*key, now_ms() / 1000)}});
    EXPECT_EQ(done.status, 200u) << done.body;
    std::vector<std::string> codes;
    const auto answer = done.json();  // kept: a range-for over a temporary's member dangles
    for (const auto& v : answer.at("recovery_codes").as_array()) codes.emplace_back(v.as_string());
    return {*key, codes};
  }
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<app::App> app_;
  std::string data_dir_;
  unsigned short port_ = 0;
};

TEST_P(SecondFactor, AnAdministratorMustEnrolBeforeDoingAnything) {
  HttpClient c(port_);
  auto in = login(c, "secadmin");
  ASSERT_EQ(in.status, 200u) << in.body;
  EXPECT_TRUE(in.json().at("user").at("must_enrol_second_factor").as_bool());
  c.set_token(std::string(in.json().at("token").as_string()));
  auto blocked = c.get("/api/v1/users");
  EXPECT_EQ(blocked.status, 403u);
  EXPECT_EQ(blocked.error_code(), "second_factor_required");
  EXPECT_EQ(c.get("/api/v1/auth/me").status, 200u);
  // Enrolment: a secret, the URI an app takes, the QR code of it drawn here.
  auto e = c.request("POST", "/api/v1/auth/second-factor/enrol");
  ASSERT_EQ(e.status, 200u) << e.body;
  const std::string secret(e.json().at("secret").as_string());
  EXPECT_EQ(secret.size(), 32u) << "160 bits in Base32";
  EXPECT_TRUE(e.json().at("otpauth_uri").as_string().starts_with("otpauth://totp/"));
  EXPECT_TRUE(e.json().at("qr_svg").as_string().starts_with("<svg"));
  // The secret is sealed in the database, not kept in clear.
  auto r = app_->db().read();
  auto stored = (*r)->query_one("SELECT secret FROM user_second_factors");
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->str(0).starts_with("sm4:")) << stored->str(0);
  const std::string key = *totp::base32_decode(secret);
  // A wrong code does not confirm; the right one does and gives ten recovery codes, once.
  auto wrong = c.post("/api/v1/auth/second-factor/confirm", json::object{{"code", "000000"}});
  if (totp::at(key, now_ms() / 1000) != "000000") {
    EXPECT_EQ(wrong.status, 400u);
    EXPECT_EQ(wrong.error_field(), "code");
  }
  auto ok = c.post("/api/v1/auth/second-factor/confirm", json::object{{"code", totp::at(key, now_ms() / 1000)}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.json().at("recovery_codes").as_array().size(), 10u);
  EXPECT_EQ(c.get("/api/v1/users").status, 200u) << "the same session goes on";
  EXPECT_EQ(c.request("POST", "/api/v1/auth/second-factor/enrol").error_code(), "conflict") << "no second enrolment over the first";
  auto state = c.get("/api/v1/auth/second-factor");
  EXPECT_TRUE(state.json().at("enabled").as_bool());
  EXPECT_EQ(state.json().at("recovery_codes_left").as_int64(), 10);
}

TEST_P(SecondFactor, LoginAsksForTheCodeAfterThePasswordAndACodeIsGoodOnce) {
  HttpClient c(port_);
  auto [key, recovery] = enrol(c, "auditadmin");
  HttpClient anon(port_);
  auto first = login(anon, "auditadmin");
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_TRUE(first.json().at("second_factor_required").as_bool());
  EXPECT_FALSE(first.json().as_object().contains("token")) << "no session before the code";
  const std::string challenge(first.json().at("challenge").as_string());
  // The next step's code (the phone a little ahead): the one used to confirm is spent.
  const std::string code = totp::at(key, now_ms() / 1000 + 30);
  auto done = anon.post("/api/v1/auth/login/second-factor", json::object{{"challenge", challenge}, {"code", code}});
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_FALSE(done.json().at("token").as_string().empty());
  EXPECT_EQ(anon.post("/api/v1/auth/login/second-factor", json::object{{"challenge", challenge}, {"code", code}}).status, 401u)
      << "a challenge opens one session";
  // The same code again, in one step with the password: refused (RFC 6238 §5.2).
  auto replay = login(anon, "auditadmin", code);
  EXPECT_EQ(replay.error_code(), "invalid_code");
  // A recovery code, typed loosely, works once.
  std::string typed = recovery[0];
  typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto by_recovery = login(anon, "auditadmin", typed);
  ASSERT_EQ(by_recovery.status, 200u) << by_recovery.body;
  EXPECT_EQ(login(anon, "auditadmin", recovery[0]).error_code(), "invalid_code");
  anon.set_token(std::string(by_recovery.json().at("token").as_string()));
  EXPECT_EQ(anon.get("/api/v1/auth/second-factor").json().at("recovery_codes_left").as_int64(), 9);
  // Hostile second steps: forged or oversized challenges, codes of the wrong shape.
  HttpClient h(port_);
  EXPECT_EQ(h.post("/api/v1/auth/login/second-factor", json::object{{"challenge", "forged"}, {"code", "123456"}}).status, 401u);
  EXPECT_EQ(h.post("/api/v1/auth/login/second-factor", json::object{{"challenge", std::string(500, 'a')}, {"code", "1"}}).status, 400u);
  EXPECT_EQ(h.post("/api/v1/auth/login/second-factor", json::object{{"challenge", challenge}}).status, 400u);
  EXPECT_EQ(h.post("/api/v1/auth/login", json::object{{"username", "auditadmin"}, {"password", kPassword}, {"code", std::string(100, '1')}}).status,
            400u);
}

TEST_P(SecondFactor, WrongCodesLockTheAccountAsWrongPasswordsDo) {
  HttpClient c(port_);
  auto [key, recovery] = enrol(c, "auditadmin");
  HttpClient anon(port_);
  const std::string good = totp::at(key, now_ms() / 1000 + 30);
  const std::string bad = good == "111111" ? "222222" : "111111";
  auto challenge = std::string(login(anon, "auditadmin").json().at("challenge").as_string());
  int locked_at = 0;
  for (int i = 1; i <= 6 && !locked_at; ++i) {
    auto r = anon.post("/api/v1/auth/login/second-factor", json::object{{"challenge", challenge}, {"code", bad}});
    if (r.error_code() == "locked") {
      locked_at = i;
    } else {
      EXPECT_EQ(r.error_code(), "invalid_code");
    }
  }
  EXPECT_EQ(locked_at, 5) << "five failures from one address, as for passwords";
  auto right = login(anon, "auditadmin", good);
  EXPECT_EQ(right.error_code(), "locked") << "even the right password and code while locked";
  // The 安全管理员 (with its own factor) lifts the lock.
  HttpClient sec(port_);
  enrol(sec, "secadmin");
  std::string id;
  for (const auto& u : sec.get("/api/v1/users").items())
    if (u.at("username").as_string() == "auditadmin") id = std::string(u.at("id").as_string());
  ASSERT_EQ(sec.request("POST", "/api/v1/users/" + id + "/unlock").status, 204u);
  EXPECT_EQ(login(anon, "auditadmin", good).status, 200u);
}

TEST_P(SecondFactor, OnlyTheSecurityAdministratorResetsAFactor) {
  HttpClient sys(port_), sec(port_), aud(port_);
  enrol(sys, "admin");
  enrol(sec, "secadmin");
  enrol(aud, "auditadmin");
  std::string id;
  for (const auto& u : sec.get("/api/v1/users").items()) {
    if (u.at("username").as_string() == "auditadmin") id = std::string(u.at("id").as_string());
    EXPECT_TRUE(u.at("second_factor").is_bool());
  }
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(sys.request("POST", "/api/v1/users/" + id + "/second-factor/reset").status, 403u);
  EXPECT_EQ(aud.request("POST", "/api/v1/users/" + id + "/second-factor/reset").status, 403u);
  ASSERT_EQ(sec.request("POST", "/api/v1/users/" + id + "/second-factor/reset").status, 204u);
  // The auditor's lost phone: at the next login, a password and a new enrolment.
  HttpClient again(port_);
  auto in = login(again, "auditadmin");
  ASSERT_EQ(in.status, 200u);
  EXPECT_TRUE(in.json().at("user").at("must_enrol_second_factor").as_bool());
}

TEST_P(SecondFactor, OtherUsersMayEnrolAndThenNeedTheCode) {
  // A unit's administrator made by the 系统管理员 (who enrolled first).
  HttpClient sys(port_);
  enrol(sys, "admin");
  const std::string org(sys.get("/api/v1/auth/me").json().at("org").at("id").as_string());
  ASSERT_EQ(sys.post("/api/v1/users", json::object{{"username", "unit_admin"}, {"password", kPassword}, {"display_name", "单位管理员"},
                                                   {"org_id", org}, {"roles", json::array{"admin"}}, {"must_change_password", false}})
                .status,
            201u);
  HttpClient u(port_);
  auto in = login(u, "unit_admin");
  ASSERT_EQ(in.status, 200u);
  EXPECT_FALSE(in.json().at("user").at("must_enrol_second_factor").as_bool()) << "optional for business users";
  HttpClient v(port_);
  auto [key, codes] = enrol(v, "unit_admin");
  EXPECT_TRUE(login(v, "unit_admin").json().at("second_factor_required").as_bool());
}

INSTANTIATE_TEST_SUITE_P(Backends, SecondFactor, ::testing::Values("sqlite", "postgres"));

}  // namespace
