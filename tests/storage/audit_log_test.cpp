// The audit log's hash chain finds any record changed or removed behind the program's back.
#include <gtest/gtest.h>

#include "auth/scope.h"
#include "db/migrations.h"
#include "modules/audit/audit_log.h"
#include "support/backends.h"

using namespace anjian;

class AuditLogTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    ANJIAN_REQUIRE_BACKEND(*tdb_);
    db_ = test::open_migrated(*tdb_);
    log_ = std::make_unique<audit::AuditLog>(*db_);
    for (int i = 1; i <= 5; ++i) {
      AuditEvent e;
      e.username = "u" + std::to_string(i);
      e.region_code = i % 2 ? "330106" : "320102";
      e.action = "enterprise.update";
      e.outcome = "success";
      e.detail = R"({"n":)" + std::to_string(i) + "}";
      ASSERT_TRUE(log_->record(e).ok());
    }
  }
  void tamper(const std::string& sql) {
    auto w = db_->write();
    ASSERT_TRUE((*w)->exec(sql).ok());
  }
  std::unique_ptr<test::TestDatabase> tdb_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<audit::AuditLog> log_;
};

TEST_P(AuditLogTest, IntactChainVerifies) {
  auto r = log_->verify();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok) << r->problem;
  EXPECT_EQ(r->records, 5);
}

TEST_P(AuditLogTest, ChangedRecordIsFound) {
  tamper("UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 3");
  auto r = log_->verify();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->first_bad_seq, 3);
}

TEST_P(AuditLogTest, RemovedRecordIsFound) {
  tamper("DELETE FROM audit_log WHERE seq = 2");
  auto r = log_->verify();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->first_bad_seq, 2);
}

TEST_P(AuditLogTest, RemovedTailIsFound) {
  tamper("DELETE FROM audit_log WHERE seq = 5");
  auto r = log_->verify();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
}

TEST_P(AuditLogTest, RecomputedRecordStillBreaksTheChain) {
  // A forger who rewrites a record and its own hash still breaks the link to the next record.
  auto rd = db_->read();
  auto row = (*rd)->query_one("SELECT prev_hash FROM audit_log WHERE seq = 3");
  ASSERT_TRUE(row.ok());
  AuditEvent forged;
  forged.username = "forger";
  forged.action = "enterprise.update";
  forged.outcome = "success";
  forged.detail = "{}";
  const std::string h = audit::AuditLog::chain_hash(row->str(0), 3, forged);
  tamper("UPDATE audit_log SET username = 'forger', region_code = NULL, detail = '{}', at = 0, hash = '" + h + "' WHERE seq = 3");
  auto r = log_->verify();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->first_bad_seq, 4);
}

TEST_P(AuditLogTest, ListIsScoped) {
  codes::RegionTable regions;
  regions.add({"330000", "浙江", codes::RegionLevel::province, "", false, false});
  auto page = log_->list(auth::Scope::region(regions, "330000"), {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  for (const auto& a : page->items) EXPECT_EQ(a.event.region_code, "330106");
  auto all = log_->list(auth::Scope::all(), {});
  EXPECT_EQ(all->total, 5);
  auto none = log_->list(auth::Scope::none(), {});
  EXPECT_EQ(none->total, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, ::testing::Values("sqlite", "postgres"));
