// Settings precedence: flag > environment > TOML file > default (API.md, Command line).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/config.h"
#include "support/backends.h"

using namespace anjian;

namespace {
struct EnvGuard {
  explicit EnvGuard(const char* name) : name_(name) {}
  ~EnvGuard() { unsetenv(name_); }
  const char* name_;
};
}  // namespace

TEST(Config, Defaults) {
  auto c = app::load_config({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->data_dir, "./var");
  EXPECT_EQ(c->db_url, "sqlite:./var/anjian.db");
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->security.max_failures, 5);
  EXPECT_EQ(c->metrics_open_to, (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST(Config, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  const std::string dir = test::temp_dir();
  {
    std::ofstream f(dir + "/anjian.toml");
    f << "data = \"/from/file\"\nlisten = \"127.0.0.1:1111\"\ndb = \"sqlite:/from/file.db\"\n"
         "[security]\nmax_login_failures = 7\n[metrics]\nopen_to = [\"10.0.0.5\"]\n";
  }
  app::Flags flags;
  flags.config_file = dir + "/anjian.toml";
  auto file_only = app::load_config(flags);
  ASSERT_TRUE(file_only.ok());
  EXPECT_EQ(file_only->listen, "127.0.0.1:1111");
  EXPECT_EQ(file_only->security.max_failures, 7);
  EXPECT_EQ(file_only->metrics_open_to, std::vector<std::string>{"10.0.0.5"});

  EnvGuard g1("ANJIAN_LISTEN"), g2("ANJIAN_DB");
  setenv("ANJIAN_LISTEN", "127.0.0.1:2222", 1);
  setenv("ANJIAN_DB", "sqlite:/from/env.db", 1);
  auto env = app::load_config(flags);
  EXPECT_EQ(env->listen, "127.0.0.1:2222");
  EXPECT_EQ(env->db_url, "sqlite:/from/env.db");
  EXPECT_EQ(env->data_dir, "/from/file");

  flags.listen = "127.0.0.1:3333";
  auto flag = app::load_config(flags);
  EXPECT_EQ(flag->listen, "127.0.0.1:3333");
  EXPECT_EQ(flag->db_url, "sqlite:/from/env.db");
  std::filesystem::remove_all(dir);
}

TEST(Config, BadValuesAreUsageErrors) {
  const std::string dir = test::temp_dir();
  std::ofstream(dir + "/bad.toml") << "listen = [1, 2\n";
  app::Flags flags;
  flags.config_file = dir + "/bad.toml";
  auto bad = app::load_config(flags);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "invalid_config");
  app::Flags port;
  port.listen = "127.0.0.1:99999";
  EXPECT_EQ(app::load_config(port).error().code, "invalid_config");
  port.listen = "no-port";
  EXPECT_EQ(app::load_config(port).error().code, "invalid_config");
  app::Flags missing;
  missing.config_file = dir + "/absent.toml";
  EXPECT_FALSE(app::load_config(missing).ok());
  std::filesystem::remove_all(dir);
}

// [enforcement]: the province's 较大数额罚款 (a 听证 is offered from it), the 复查 days, the 双随机 share.
TEST(Config, EnforcementSettingsAndTheirBounds) {
  const std::string dir = test::temp_dir();
  std::ofstream(dir + "/e.toml") << "[enforcement]\nrecheck_days = 7\ndouble_random_share = 80\nhearing_fine_unit_yuan = 50000\n"
                                    "hearing_fine_person_yuan = 5000\n";
  app::Flags flags;
  flags.config_file = dir + "/e.toml";
  auto c = app::load_config(flags);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->enforcement.recheck_days, 7);
  EXPECT_EQ(c->enforcement.double_random_share, 80);
  EXPECT_EQ(c->enforcement.hearing_fine_unit_yuan, 50'000);
  EXPECT_EQ(c->enforcement.hearing_fine_person_yuan, 5'000);
  EXPECT_EQ(app::load_config({})->enforcement.hearing_fine_unit_yuan, 100'000) << "the default";
  for (const char* bad : {"hearing_fine_unit_yuan = 0", "hearing_fine_person_yuan = -5", "recheck_days = 61", "double_random_share = 101"}) {
    std::ofstream(dir + "/bad.toml") << "[enforcement]\n" << bad << "\n";
    flags.config_file = dir + "/bad.toml";
    auto refused = app::load_config(flags);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, "invalid_config");
    EXPECT_NE(refused.error().message.find("[enforcement]"), std::string::npos) << refused.error().message;
  }
  std::filesystem::remove_all(dir);
}

// [audit] online_days: 等保 keeps audit records 180 days at least; fewer is refused, not lowered.
TEST(Config, AuditRecordsStayOnlineAtLeast180Days) {
  const std::string dir = test::temp_dir();
  app::Flags flags;
  flags.config_file = dir + "/anjian.toml";
  for (const auto& [days, ok] : std::vector<std::pair<int, bool>>{{179, false}, {180, true}, {365, true}, {0, false}, {36501, false}}) {
    std::ofstream(flags.config_file) << "[audit]\nonline_days = " << days << "\narchive_dir = \"/srv/audit\"\n";
    auto c = app::load_config(flags);
    EXPECT_EQ(c.ok(), ok) << days;
    if (ok) {
      EXPECT_EQ(c->audit_archive.online_days, days);
      EXPECT_EQ(c->audit_archive.dir, "/srv/audit");
    } else {
      EXPECT_EQ(c.error().code, "invalid_config");
    }
  }
  EXPECT_EQ(app::load_config({})->audit_archive.online_days, 180);
  std::filesystem::remove_all(dir);
}
