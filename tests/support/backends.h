#pragma once
// Storage backends for tests: every storage-backed test runs on SQLite and on PostgreSQL.
// PostgreSQL comes from ANJIAN_TEST_PG_URL (scripts/run-tests starts a private cluster); each
// database made here is a fresh schema on it, dropped when the test is done.
#include <memory>
#include <string>

namespace anjian::test {

// A fresh, empty database of the given backend ("sqlite" or "postgres"); removed on destruction.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  bool available() const { return !url_.empty(); }
  const std::string& backend() const { return backend_; }

 private:
  std::string backend_, url_, dir_, schema_;
};

// Whether PostgreSQL tests can run; when ANJIAN_REQUIRE_PG=1 and they cannot, that is a failure.
bool postgres_available();
bool postgres_required();

// A fresh temporary directory, removed by the caller.
std::string temp_dir();

}  // namespace anjian::test

namespace anjian::db { class Database; }

namespace anjian::test {
// Opens a fresh database of the parameter's backend and runs every migration.
// REQUIRES: the subclass is a TestWithParam<std::string>; check db_ for null after SetUp.
std::unique_ptr<db::Database> open_migrated(TestDatabase& tdb);
}  // namespace anjian::test

// Skips (or fails, when PostgreSQL is required) a test whose backend is unavailable.
#define ANJIAN_REQUIRE_BACKEND(db)                                                              \
  do {                                                                                          \
    if (!(db).available()) {                                                                    \
      if (anjian::test::postgres_required()) FAIL() << "PostgreSQL required but not available"; \
      GTEST_SKIP() << "no PostgreSQL (set ANJIAN_TEST_PG_URL)";                                 \
    }                                                                                           \
  } while (0)
