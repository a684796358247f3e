// Searches and exports are limited per user and per address (issue 18 §6): 429 with Retry-After
// once a user has spent its burst; another user goes on; the limit refills with time; a list
// without a search term is not counted. Against `anjian serve` with small limits of its own.
#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>
#include <fstream>

#include "http/rate_limit.h"
#include "support/process.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

TEST(RateLimit, ExportsAndSearchesBeyondTheLimitAre429WithRetryAfter) {
  const std::string dir = (std::filesystem::temp_directory_path() / ("anjian-limits-" + std::to_string(next_serial()))).string();
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/anjian.toml") << "[http]\nexport_per_minute = 3\nsearch_per_minute = 5\n";
  Child server({ANJIAN_BINARY, "serve", "--listen", "127.0.0.1:0"},
               {{"ANJIAN_ADMIN_PASSWORD", kPassword}, {"ANJIAN_DATA", dir}, {"ANJIAN_ACCESS_LOG", "0"},
                {"ANJIAN_ADMINS_NEED_SECOND_FACTOR", "0"}, {"ANJIAN_CONFIG", dir + "/anjian.toml"}});
  const std::string line = server.wait_for_line("anjian listening");
  ASSERT_FALSE(line.empty());
  const auto port = static_cast<unsigned short>(std::stoi(line.substr(line.rfind(':') + 1)));
  HttpClient op(port);
  login_admin(op);  // leaves the national 单位管理员 `operator`
  for (int i = 0; i < 3; ++i) EXPECT_EQ(op.get("/api/v1/enterprises/export.csv").status, 200u) << i;
  auto over = op.get("/api/v1/enterprises/export.csv");
  EXPECT_EQ(over.status, 429u);
  EXPECT_EQ(over.error_code(), "rate_limited");
  const int wait = std::stoi(over.header("retry-after"));
  EXPECT_GE(wait, 1);
  EXPECT_LE(wait, 20) << "one export every 20 s at 3 a minute";
  // Searching has its own allowance; lists without a term are not counted.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(op.get("/api/v1/enterprises?page=1").status, 200u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(op.get("/api/v1/enterprises?q=" + std::to_string(i)).status, 200u) << i;
  EXPECT_EQ(op.get("/api/v1/enterprises?q=x").status, 429u);
  // Another user from the same address still has its own (the address allows four users' worth).
  HttpClient sys(port);
  auto login = sys.post("/api/v1/auth/login", json::object{{"username", "admin"}, {"password", kChangedPassword}});
  ASSERT_EQ(login.status, 200u) << login.body;
  const std::string org(json::parse(login.body).at("user").at("org").at("id").as_string());
  sys.set_token(std::string(login.json().at("token").as_string()));
  ASSERT_EQ(sys.post("/api/v1/users", json::object{{"username", "second_op"}, {"password", kPassword}, {"display_name", "另一位管理员"},
                                                   {"org_id", org}, {"roles", json::array{"admin"}}, {"must_change_password", false}})
                .status,
            201u);
  HttpClient other(port);
  other.set_token(std::string(other.post("/api/v1/auth/login", json::object{{"username", "second_op"}, {"password", kPassword}})
                                  .json().at("token").as_string()));
  EXPECT_EQ(other.get("/api/v1/enterprises/export.csv").status, 200u);
  server.signal(SIGTERM);
  server.wait();
  std::filesystem::remove_all(dir);
}

TEST(RateLimit, BucketsRefillWithTimeAndAnAddressHoldsFourUsers) {
  http::RateLimiter limiter({60, 6});  // search: one a second; export: one every 10 s
  using K = http::RateLimiter::Kind;
  const Millis t = 1'000'000;
  for (int i = 0; i < 6; ++i) EXPECT_EQ(limiter.take(K::export_, "u1", "10.0.0.1", t), 0) << i;
  EXPECT_EQ(limiter.take(K::export_, "u1", "10.0.0.1", t), 10);
  EXPECT_EQ(limiter.take(K::export_, "u1", "10.0.0.1", t + 5'000), 5);
  EXPECT_EQ(limiter.take(K::export_, "u1", "10.0.0.1", t + 10'000), 0) << "one token back after 10 s";
  // The same address: four users' worth (24 a minute), whoever they are: of its 24, u1 took 7 and
  // 10 s gave back 4, so five more users get 21 between them.
  int allowed = 0;
  for (int u = 2; u <= 6; ++u)
    for (int i = 0; i < 6; ++i) allowed += limiter.take(K::export_, "u" + std::to_string(u), "10.0.0.1", t + 10'000) == 0;
  EXPECT_EQ(allowed, 21);
  // Another address is not affected; kinds are separate; 0 means no limit.
  EXPECT_EQ(limiter.take(K::export_, "u9", "10.0.0.2", t + 10'000), 0);
  EXPECT_EQ(limiter.take(K::search, "u1", "10.0.0.1", t + 10'000), 0);
  http::RateLimiter none({0, 0});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(none.take(K::export_, "u", "a", t), 0);
}
