// The storage layer on both backends: the same SQL, the same results, the same error codes.
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/migrations.h"
#include "support/backends.h"

using namespace anjian;
using anjian::test::TestDatabase;

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    ANJIAN_REQUIRE_BACKEND(*tdb_);
    auto db = db::open_database(tdb_->url());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto lease = db_->write();
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE((*lease)->exec_script("CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, s TEXT)").ok());
  }
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<db::Database> db_;
};

TEST_P(DatabaseTest, BindsAndReadsEveryType) {
  auto w = db_->write();
  ASSERT_TRUE((*w)->exec("INSERT INTO t (k, n, x, s) VALUES (?, ?, ?, ?)",
                         {std::string("a"), std::int64_t{9007199254740993}, 1.5, std::string("杭州'; DROP TABLE t; --")}).ok());
  ASSERT_TRUE((*w)->exec("INSERT INTO t (k, n, x, s) VALUES (?, ?, ?, ?)", {std::string("b"), nullptr, nullptr, nullptr}).ok());
  auto rows = (*w)->query("SELECT k, n, x, s FROM t ORDER BY k");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].i64(1), 9007199254740993);
  EXPECT_DOUBLE_EQ((*rows)[0].f64(2), 1.5);
  EXPECT_EQ((*rows)[0].str(3), "杭州'; DROP TABLE t; --");
  EXPECT_TRUE((*rows)[1].null(1));
  EXPECT_FALSE((*rows)[1].opt_str(3).has_value());
  // A '?' inside a string literal is text, not a placeholder.
  auto q = (*w)->query_one("SELECT '?' || ?", {std::string("x")});
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->str(0), "?x");
}

TEST_P(DatabaseTest, DuplicateKeyIsConflict) {
  auto w = db_->write();
  ASSERT_TRUE((*w)->exec("INSERT INTO t (k) VALUES (?)", {std::string("dup")}).ok());
  auto again = (*w)->exec("INSERT INTO t (k) VALUES (?)", {std::string("dup")});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "conflict");
  auto bad = (*w)->exec("INSERT INTO no_such_table (k) VALUES (1)");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "storage_error");
}

TEST_P(DatabaseTest, TransactionRollsBackOnError) {
  auto r = db::with_transaction(*db_, [](db::Connection& c) -> Result<int> {
    ANJIAN_TRY(c.exec("INSERT INTO t (k) VALUES ('in-tx')"));
    return Error{"invalid_field", "stop", ""};
  });
  ASSERT_FALSE(r.ok());
  auto rd = db_->read();
  auto n = (*rd)->query_one("SELECT COUNT(*) FROM t WHERE k = 'in-tx'");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->i64(0), 0);
  // And commits when the function succeeds.
  auto ok = db::with_transaction(*db_, [](db::Connection& c) -> Result<int> {
    ANJIAN_TRY(c.exec("INSERT INTO t (k) VALUES ('committed')"));
    return 1;
  });
  ASSERT_TRUE(ok.ok());
  n = (*rd)->query_one("SELECT COUNT(*) FROM t WHERE k = 'committed'");
  EXPECT_EQ(n->i64(0), 1);
}

TEST_P(DatabaseTest, MigrationsRunOnceAndAreRecorded) {
  auto first = db::migrate(*db_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, static_cast<int>(db::all_migrations().size()));
  auto second = db::migrate(*db_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0);
  auto rd = db_->read();
  auto n = (*rd)->query_one("SELECT COUNT(*) FROM regions WHERE level = 'province'");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->i64(0), 31);
}

TEST_P(DatabaseTest, FailedMigrationLeavesNothingBehind) {
  std::vector<db::Migration> bad = {{1, "ok then broken", "CREATE TABLE half (a INT); SELECT no_such_column FROM half;",
                                     "CREATE TABLE half (a INT); SELECT no_such_column FROM half;", nullptr}};
  auto r = db::migrate(*db_, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("迁移 1"), std::string::npos);
  auto rd = db_->read();
  auto n = (*rd)->query("SELECT COUNT(*) FROM half");
  EXPECT_FALSE(n.ok()) << "the table of a failed migration must not exist";
}

TEST(DatabaseUrl, RefusesUnknownSchemes) {
  auto r = db::open_database("mysql://x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_config");
  auto pg = db::open_database("postgres://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.error().code, "storage_error");
}

TEST_P(DatabaseTest, AppendWritesManyRowsExactly) {
  // The bulk path (COPY on PostgreSQL) must carry what a statement would: text with the characters
  // COPY escapes, NULL, doubles to the last bit, and a failure that leaves nothing behind.
  auto w = db_->write();
  ASSERT_TRUE(db::begin(**w).ok());
  const std::vector<std::string> keys = {"plain", "tab\there", "line\nbreak", "back\\slash\\N", "曹妃甸\r"};
  static constexpr std::string_view kColumns[] = {"k", "n", "x", "s"};
  auto s = (*w)->append("t", kColumns, 2000, [&](size_t i, db::CellWriter& cell) {
    const std::string& k = keys[i % keys.size()];
    static thread_local std::string key;
    key = k + std::to_string(i);
    cell.text(key);
    if (i % 7 == 0) cell.null(); else cell.integer(static_cast<std::int64_t>(i) - 1000);
    cell.real(0.1 * static_cast<double>(i) + 1e-12);
    cell.text(k);
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE(db::commit(**w).ok());
  auto rows = (*w)->query("SELECT k, n, x, s FROM t ORDER BY n NULLS FIRST, k");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2000u);
  auto one = (*w)->query_one("SELECT n, x, s FROM t WHERE k = ?", {keys[3] + "3"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->i64(0), -997);
  EXPECT_EQ(one->f64(1), 0.1 * 3 + 1e-12);
  EXPECT_EQ(one->str(2), keys[3]);
  EXPECT_TRUE((*w)->query_one("SELECT n FROM t WHERE k = ?", {std::string("plain0")})->null(0));
  // A duplicate key fails the append; rolled back, nothing of it stays.
  ASSERT_TRUE(db::begin(**w).ok());
  auto dup = (*w)->append("t", kColumns, 2, [&](size_t i, db::CellWriter& cell) {
    cell.text(i ? "plain0" : "new");
    cell.null();
    cell.null();
    cell.null();
  });
  EXPECT_FALSE(dup.ok());
  db::rollback(**w);
  EXPECT_EQ((*w)->query_one("SELECT COUNT(*) FROM t")->i64(0), 2000);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::Values("sqlite", "postgres"));
