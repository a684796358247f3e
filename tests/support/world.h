#pragma once
// A running anjian (real server on a free loopback port) with a small jurisdiction world:
// regulators at every level, users of every role, and one enterprise in each of five places.
//
//   330000 浙江 ── 330100 杭州 ── 330106 西湖 (E_XIHU), 330108 滨江 (E_BINJIANG)
//              └─ 330200 宁波 ── 330203 海曙 (E_HAISHU)
//   320000 江苏 ── 320102 玄武 (E_NANJING)
//   440000 广东 ── 441900 东莞, a city without counties (E_DG)
#include <map>
#include <mutex>
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "app/app.h"
#include "support/backends.h"
#include "support/http_client.h"

namespace anjian::test {

inline const char* kPassword = "Test#2026pw";

struct World {
  explicit World(const std::string& backend);
  ~World();
  bool available() const { return db.available(); }

  // A client logged in as `username` (kPassword).
  HttpClient as(const std::string& username);
  HttpClient anonymous() { return HttpClient(port); }
  // Logs in and returns the token. Fails the test when login fails.
  std::string login(const std::string& username);

  TestDatabase db;
  std::unique_ptr<app::App> app;
  unsigned short port = 0;
  std::string data_dir;                        // the server's folder (evidence files), removed with the world
  std::map<std::string, std::string> uscc;     // E_XIHU → code
  std::map<std::string, std::string> org_id;   // zj, hz, xihu, …
  // Who sees which enterprise (by E_ name): the expected jurisdiction matrix.
  std::map<std::string, std::set<std::string>> sees;

 private:
  // This world's sessions by user. Not kept by port: a world made after another one closed may get
  // its port again from the system, and the closed world's tokens mean nothing there.
  std::mutex tokens_mu_;
  std::map<std::string, std::string> tokens_;
};

// One world per backend, made on first use and kept for the test program (worlds are costly:
// password hashing is slow on purpose). Tests that change shared records use their own ones.
World& world(const std::string& backend);

// Base of the API tests: one test per backend, on that backend's shared world.
class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  // The id of a user, looked up by an administrator who sees everyone.
  std::string user_id(const std::string& username);
  World* w_ = nullptr;
};

// Logs `c` in as the administrator that a fresh `anjian serve` made from ANJIAN_ADMIN_PASSWORD =
// `password`: at its first login it must change the password (to kChangedPassword), as the server
// asks; later logins use the changed one. Fails the test when neither works.
inline const char* kChangedPassword = "Changed#2026pw";
void login_admin(HttpClient& c, const std::string& password = kPassword);

// A valid USCC in `county` derived from n.
std::string uscc_for(const std::string& county, unsigned long long n);
// A counter for unique test data.
unsigned long long next_serial();

}  // namespace anjian::test
