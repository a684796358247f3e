// Migration 11 moves the readings of the old one-row-per-reading log into the packed log, on both
// backends: nothing acknowledged before the upgrade is lost.
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/log_format.h"
#include "db/migrations.h"
#include "support/backends.h"

using namespace anjian;
using anjian::test::TestDatabase;

class ReadingsMigration : public ::testing::TestWithParam<std::string> {};

TEST_P(ReadingsMigration, OldLogRowsMoveIntoThePackedLog) {
  TestDatabase tdb(GetParam());
  ANJIAN_REQUIRE_BACKEND(tdb);
  auto db = db::open_database(tdb.url());
  ASSERT_TRUE(db.ok());
  const auto& all = db::all_migrations();
  std::vector<db::Migration> before;
  for (const auto& m : all)
    if (m.version <= 10) before.push_back(m);
  ASSERT_TRUE(db::migrate(**db, before).ok());
  {
    auto w = (*db)->write();
    for (int i = 0; i < 250; ++i)
      ASSERT_TRUE((*w)->exec("INSERT INTO readings_log (point_id, ts, value, quality) VALUES (?, ?, ?, ?)",
                             {std::string(i % 2 ? "A" : "B"), std::int64_t{1000 + i}, 0.5 * i, std::int64_t{i % 3}}).ok());
  }
  auto ran = db::migrate(**db);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  auto r = (*db)->read();
  auto rows = (*r)->query("SELECT data FROM readings_batches");
  ASSERT_TRUE(rows.ok());
  size_t n = 0;
  double sum = 0;
  for (const auto& row : *rows) {
    auto batch = db::decode_log_batch(row.str(0));
    ASSERT_TRUE(batch.ok());
    for (const auto& e : batch->entries) {
      ++n;
      sum += e.sample.value;
    }
  }
  EXPECT_EQ(n, 250u);
  EXPECT_DOUBLE_EQ(sum, 0.5 * 249 * 250 / 2);
  EXPECT_FALSE((*r)->query("SELECT 1 FROM readings_log").ok()) << "the old log is gone";
}

INSTANTIATE_TEST_SUITE_P(Backends, ReadingsMigration, ::testing::Values("sqlite", "postgres"));
