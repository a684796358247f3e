#include "support/world.h"

#include <filesystem>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "app/demo.h"

namespace anjian::test {
namespace json = boost::json;

std::string uscc_for(const std::string& county, unsigned long long n) { return app::make_uscc(county, n); }

unsigned long long next_serial() {
  static std::atomic<unsigned long long> n{static_cast<unsigned long long>(now_ms()) * 1000};
  return ++n;
}

World::World(const std::string& backend) : db(backend) {
  if (!db.available()) return;
  app::Config config;
  config.db_url = db.url();
  config.listen = "127.0.0.1:0";
  config.access_log = false;
  config.threads = 4;
  config.security.recheck_after_ms = 1000;  // streams re-check their sessions every second here
  // The platform administrators log in with a password alone here; second_factor_test.cpp has its
  // own server that requires the second factor, as a deployment does.
  config.security.admins_need_second_factor = false;
  // Every test's client comes from 127.0.0.1: the limits of searches and exports would count the
  // whole suite as one office (rate_limit_test.cpp has a server with its own).
  config.rate_limits = {0, 0};
  // The world's own folder for what the server keeps beside its database (evidence files).
  data_dir = (std::filesystem::temp_directory_path() / ("anjian-world-" + std::to_string(next_serial()))).string();
  std::filesystem::create_directories(data_dir);
  config.data_dir = data_dir;
  app::init_logging(true);
  auto a = app::App::open(config);
  if (!a.ok()) throw std::runtime_error("App::open: " + a.error().message);
  app = std::move(a).value();
  auto pw = app->identity().bootstrap_admins(std::string(kPassword), false);
  if (!pw.ok()) throw std::runtime_error("bootstrap: " + pw.error().message);
  auto p = app->start_http();
  if (!p.ok()) throw std::runtime_error("start_http: " + p.error().message);
  port = *p;

  // The platform's 系统管理员 makes the regulators and the accounts; a national 单位管理员 does the
  // business every test leans on (the 系统管理员 reads no business data: 三权分立).
  HttpClient sys = as("admin");
  const std::string system_org(sys.get("/api/v1/auth/me").json().at("org").at("id").as_string());
  if (auto r = sys.post("/api/v1/users", json::object{{"username", "nation_admin"}, {"password", kPassword}, {"display_name", "全国单位管理员"},
                                                      {"org_id", system_org}, {"roles", json::array{"admin"}}, {"must_change_password", false}});
      r.status != 201)
    throw std::runtime_error("create user nation_admin: " + r.body);
  HttpClient admin = as("nation_admin");
  struct OrgSpec { const char* key; const char* name; const char* level; const char* region; };
  const OrgSpec orgs[] = {
      {"zj", "浙江省应急管理厅", "province", "330000"}, {"hz", "杭州市应急管理局", "city", "330100"},
      {"xihu", "西湖区应急管理局", "county", "330106"}, {"binjiang", "滨江区应急管理局", "county", "330108"},
      {"nb", "宁波市应急管理局", "city", "330200"},     {"js", "江苏省应急管理厅", "province", "320000"},
      {"dg", "东莞市应急管理局", "city", "441900"},
  };
  for (const auto& o : orgs) {
    auto r = admin.post("/api/v1/orgs", json::object{{"name", o.name}, {"kind", "regulator"}, {"level", o.level},
                                                     {"region_code", o.region}, {"regulator_kind", "safety"}});
    if (r.status != 201) throw std::runtime_error("create org " + std::string(o.key) + ": " + r.body);
    org_id[o.key] = std::string(r.json().at("id").as_string());
  }
  struct EntSpec { const char* key; const char* county; const char* name; const char* address; };
  const EntSpec ents[] = {
      {"E_XIHU", "330106", "杭州西湖某某化工有限公司", "杭州市西湖区文三路1号"},
      {"E_BINJIANG", "330108", "杭州滨江新材料化工有限公司", "杭州市滨江区江南大道2号"},
      {"E_HAISHU", "330203", "宁波海曙精细化工有限公司", "宁波市海曙区中山西路3号"},
      {"E_NANJING", "320102", "南京玄武化工储运有限公司", "南京市玄武区北京东路4号"},
      {"E_DG", "441900", "东莞某某化工五金有限公司", "东莞市南城街道5号"},
  };
  for (const auto& e : ents) {
    uscc[e.key] = uscc_for(e.county, next_serial());
    auto r = admin.post("/api/v1/enterprises",
                        json::object{{"uscc", uscc[e.key]}, {"name", e.name}, {"region_code", e.county},
                                     {"address", e.address}, {"industry", "hazchem_production"}, {"lon", 120.1}, {"lat", 30.2},
                                     {"safety_manager", {{"name", "王强"}, {"phone", "13800001234"}}}});
    if (r.status != 201) throw std::runtime_error("create enterprise " + std::string(e.key) + ": " + r.body);
  }
  auto ent_org = admin.post("/api/v1/orgs", json::object{{"name", "杭州西湖某某化工有限公司"}, {"kind", "enterprise"}, {"uscc", uscc["E_XIHU"]}});
  if (ent_org.status != 201) throw std::runtime_error("create enterprise org: " + ent_org.body);
  org_id["ent"] = std::string(ent_org.json().at("id").as_string());

  struct UserSpec { const char* name; const char* org; const char* role; };
  const UserSpec users[] = {
      {"zj_admin", "zj", "admin"}, {"zj_leader", "zj", "leader"}, {"hz_admin", "hz", "admin"},
      {"hz_insp", "hz", "inspector"}, {"xihu_admin", "xihu", "admin"}, {"xihu_insp", "xihu", "inspector"},
      {"xihu_duty", "xihu", "duty_officer"}, {"binjiang_insp", "binjiang", "inspector"}, {"nb_insp", "nb", "inspector"},
      {"js_insp", "js", "inspector"}, {"dg_insp", "dg", "inspector"}, {"ent_mgr", "ent", "enterprise_manager"},
  };
  for (const auto& u : users) {
    auto r = admin.post("/api/v1/users", json::object{{"username", u.name}, {"password", kPassword}, {"display_name", u.name},
                                                      {"org_id", org_id[u.org]}, {"roles", json::array{u.role}},
                                                      {"must_change_password", false}});
    if (r.status != 201) throw std::runtime_error("create user " + std::string(u.name) + ": " + r.body);
  }
  // Auditors of a province and of a county: made by an administrator of accounts with a business
  // role, then made 审计管理员 by the 安全管理员 (only it grants the platform's roles).
  for (const auto& [name, org] : {std::pair{"zj_auditor", "zj"}, std::pair{"xihu_auditor", "xihu"}}) {
    auto r = admin.post("/api/v1/users", json::object{{"username", name}, {"password", kPassword}, {"display_name", name},
                                                      {"org_id", org_id[org]}, {"roles", json::array{"leader"}}, {"must_change_password", false}});
    if (r.status != 201) throw std::runtime_error("create user " + std::string(name) + ": " + r.body);
    HttpClient sec = as("secadmin");
    const std::string id(r.json().at("id").as_string());
    auto got = sec.get("/api/v1/users/" + id);
    auto made = sec.patch("/api/v1/users/" + id, json::object{{"roles", json::array{"audit_admin"}}}, got.header("etag"));
    if (made.status != 200) throw std::runtime_error("make " + std::string(name) + " an auditor: " + made.body);
  }
  const std::set<std::string> all = {"E_XIHU", "E_BINJIANG", "E_HAISHU", "E_NANJING", "E_DG"};
  sees = {{"nation_admin", all},
          {"zj_admin", {"E_XIHU", "E_BINJIANG", "E_HAISHU"}}, {"zj_leader", {"E_XIHU", "E_BINJIANG", "E_HAISHU"}},
          {"hz_admin", {"E_XIHU", "E_BINJIANG"}}, {"hz_insp", {"E_XIHU", "E_BINJIANG"}},
          {"xihu_admin", {"E_XIHU"}}, {"xihu_insp", {"E_XIHU"}}, {"xihu_duty", {"E_XIHU"}},
          {"binjiang_insp", {"E_BINJIANG"}}, {"nb_insp", {"E_HAISHU"}}, {"js_insp", {"E_NANJING"}},
          {"dg_insp", {"E_DG"}}, {"ent_mgr", {"E_XIHU"}}};
}

World::~World() {
  if (app) app->stop_http();
  app.reset();
  std::error_code ec;
  if (!data_dir.empty()) std::filesystem::remove_all(data_dir, ec);
}

std::string World::login(const std::string& username) {
  HttpClient c(port);
  auto r = c.post("/api/v1/auth/login", json::object{{"username", username}, {"password", kPassword}});
  if (r.status != 200) throw std::runtime_error("login " + username + ": " + r.body);
  return std::string(r.json().at("token").as_string());
}

HttpClient World::as(const std::string& username) {
  std::string token;
  {
    std::lock_guard lock(tokens_mu_);
    auto it = tokens_.find(username);
    if (it != tokens_.end()) token = it->second;
  }
  if (token.empty()) {
    token = login(username);
    std::lock_guard lock(tokens_mu_);
    tokens_[username] = token;
  }
  HttpClient c(port);
  c.set_token(token);
  return c;
}

namespace {
std::mutex worlds_mu;
std::map<std::string, std::unique_ptr<World>>& worlds() {
  static std::map<std::string, std::unique_ptr<World>> w;
  return w;
}
// Drops the worlds (and their PostgreSQL schemas) when the test program ends.
class WorldsCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard lock(worlds_mu);
    worlds().clear();
  }
};
const auto* cleanup = ::testing::AddGlobalTestEnvironment(new WorldsCleanup);
}  // namespace

void ApiTest::SetUp() {
  if (GetParam() == "postgres" && !postgres_available()) {
    if (postgres_required()) FAIL() << "PostgreSQL required";
    GTEST_SKIP() << "no PostgreSQL (set ANJIAN_TEST_PG_URL)";
  }
  w_ = &world(GetParam());
}

std::string ApiTest::user_id(const std::string& username) {
  for (const auto& u : w_->as("admin").get("/api/v1/users").items())
    if (u.at("username").as_string() == username) return std::string(u.at("id").as_string());
  return "";
}

World& world(const std::string& backend) {
  std::lock_guard lock(worlds_mu);
  auto& w = worlds()[backend];
  if (!w) w = std::make_unique<World>(backend);
  return *w;
}

void login_admin(HttpClient& c, const std::string& password) {
  bool in = false;
  for (const std::string& pw : {password, std::string(kChangedPassword)}) {
    auto r = c.post("/api/v1/auth/login", boost::json::object{{"username", "admin"}, {"password", pw}});
    if (r.status != 200) continue;
    c.set_token(std::string(r.json().at("token").as_string()));
    if (r.json().at("user").at("must_change_password").as_bool()) {
      auto changed = c.post("/api/v1/auth/password", boost::json::object{{"old_password", pw}, {"new_password", kChangedPassword}});
      ASSERT_EQ(changed.status / 100, 2u) << changed.body;
    }
    in = true;
    break;
  }
  if (!in) FAIL() << "the administrator could not log in";
  // The 系统管理员 reads no business data (三权分立): it makes a national 单位管理员 once, who does.
  const std::string org(c.get("/api/v1/auth/me").json().at("org").at("id").as_string());
  auto made = c.post("/api/v1/users", boost::json::object{{"username", "operator"}, {"password", kPassword}, {"display_name", "全国单位管理员"},
                                                          {"org_id", org}, {"roles", boost::json::array{"admin"}}, {"must_change_password", false}});
  ASSERT_TRUE(made.status == 201 || made.status == 409) << made.body;
  auto r = c.post("/api/v1/auth/login", boost::json::object{{"username", "operator"}, {"password", kPassword}});
  ASSERT_EQ(r.status, 200u) << r.body;
  c.set_token(std::string(r.json().at("token").as_string()));
}

}  // namespace anjian::test
