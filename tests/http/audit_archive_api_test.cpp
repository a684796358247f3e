// The audit log's page says where the older records went: once records leave the database for the
// archive files (等保 §6, the online window), GET /api/v1/audit names the last archived seq, so an
// auditor does not read a log that seems to start in the middle.
#include <gtest/gtest.h>

#include "base/time.h"
#include "modules/audit/archive.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;

class AuditArchiveApi : public ::testing::TestWithParam<std::string> {};

TEST_P(AuditArchiveApi, TheLogSaysHowFarItWasArchived) {
  World w(GetParam());  // its own: archiving would take the shared world's records away
  ANJIAN_REQUIRE_BACKEND(w.db);
  auto before = w.as("auditadmin").get("/api/v1/audit");
  ASSERT_EQ(before.status, 200u) << before.body;
  EXPECT_EQ(before.json().at("archived_through").as_int64(), 0) << "nothing archived yet";

  audit::ArchiveSettings settings;
  settings.dir = w.data_dir + "/audit-archive";
  settings.key_file = w.data_dir + "/keys/audit-archive.pem";
  auto run = audit::archive_old_records(w.app->audit(), settings, now_ms() + 200 * 24 * 3600 * 1000LL);
  ASSERT_TRUE(run.ok()) << run.error().message;
  ASSERT_GT(run->records, 0);
  auto boundary = w.app->audit().boundary();
  ASSERT_TRUE(boundary.ok());

  for (const char* who : {"auditadmin", "xihu_auditor"}) {
    auto after = w.as(who).get("/api/v1/audit");
    ASSERT_EQ(after.status, 200u) << after.body;
    EXPECT_EQ(after.json().at("archived_through").as_int64(), boundary->seq) << who;
    for (const auto& item : after.items()) EXPECT_GT(item.at("seq").as_int64(), boundary->seq) << "only the online part is listed";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditArchiveApi, ::testing::Values("sqlite", "postgres"));
