// Identity against storage on both backends: a write and its audit record commit together (an
// audit that cannot be written leaves no change behind), and the session cache lets go of
// sessions that have ended.
#include <gtest/gtest.h>

#include <thread>

#include "auth/identity.h"
#include "db/database.h"
#include "db/migrations.h"
#include "modules/audit/audit_log.h"
#include "modules/region/routes.h"
#include "support/backends.h"

using namespace anjian;

namespace {
// An audit log that cannot be written (a full disk, a broken connection).
class FailingAudit : public AuditSink {
 public:
  Status record(AuditEvent) override { return Error{"storage_error", "审计日志无法写入", ""}; }
  Status record_in(db::Connection&, AuditEvent) override { return Error{"storage_error", "审计日志无法写入", ""}; }
};

std::int64_t count(db::Database& db, const std::string& sql, const std::string& value) {
  auto r = db.read();
  auto row = (*r)->query_one(sql, {value});
  return row.ok() ? row->i64(0) : -1;
}
}  // namespace

class IdentityStorage : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    ANJIAN_REQUIRE_BACKEND(*tdb_);
    db_ = test::open_migrated(*tdb_);
    auto regions = region::load(*db_);
    ASSERT_TRUE(regions.ok());
    regions_ = std::move(regions).value();
  }
  std::unique_ptr<test::TestDatabase> tdb_;
  std::unique_ptr<db::Database> db_;
  codes::RegionTable regions_;
};

TEST_P(IdentityStorage, AWriteWhoseAuditRecordFailsLeavesNoChange) {
  FailingAudit audit;
  auth::Identity identity(*db_, regions_, audit);
  const auth::Principal system = auth::system_principal("test");
  auth::Org org;
  org.name = "审计失败测试局";
  org.kind = "regulator";
  org.level = "county";
  org.region_code = "330106";
  org.regulator_kind = "safety";
  EXPECT_FALSE(identity.create_org(system, org, "test").ok());
  EXPECT_EQ(count(*db_, "SELECT COUNT(*) FROM orgs WHERE name = ?", org.name), 0) << "the org outlived its failed audit record";

  // A user needs an org: one written directly.
  {
    auto w = db_->write();
    ASSERT_TRUE((*w)->exec("INSERT INTO orgs (id, name, kind, level, region_code, regulator_kind, created_at, updated_at, version) "
                           "VALUES ('o1', '直写机构', 'regulator', 'county', '330106', 'safety', 0, 0, 1)")
                    .ok());
  }
  auth::NewUser u{"audit_fail_user", "Test#2026pw", "审计失败", "o1", {"inspector"}, false};
  EXPECT_FALSE(identity.create_user(system, u, "test").ok());
  EXPECT_EQ(count(*db_, "SELECT COUNT(*) FROM users WHERE username = ?", u.username), 0) << "the user outlived its failed audit record";
}

TEST_P(IdentityStorage, TheSessionCacheLetsGoOfEndedSessions) {
  audit::AuditLog audit(*db_);
  auth::SecurityOptions options;
  options.session_idle_ms = 200;  // idle sessions end after 0.2 s here
  auth::Identity identity(*db_, regions_, audit, options);
  ASSERT_TRUE(identity.bootstrap_admins(std::string("Test#2026pw"), false).ok());
  ASSERT_TRUE(identity.login("admin", "Test#2026pw", "test").ok());
  EXPECT_EQ(identity.cached_sessions(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the first session is now idle past its limit
  ASSERT_TRUE(identity.login("admin", "Test#2026pw", "test").ok());
  EXPECT_EQ(identity.cached_sessions(), 1u) << "the ended session is still held";
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityStorage, ::testing::Values("sqlite", "postgres"));
