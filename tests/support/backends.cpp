#include "support/backends.h"

#include "db/database.h"
#include "db/migrations.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

namespace anjian::test {
namespace {
std::string pg_admin_url() {
  const char* v = std::getenv("ANJIAN_TEST_PG_URL");
  return v ? v : "";
}
void pg_exec(const std::string& sql) {
  PGconn* c = PQconnectdb(pg_admin_url().c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string err = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot reach test PostgreSQL: " + err);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);  // DROP … CASCADE notices are noise here
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string err = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(err);
}
std::string random_suffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return std::to_string(rng() % 1000000000000ULL);
}
}  // namespace

bool postgres_available() { return !pg_admin_url().empty(); }
bool postgres_required() {
  const char* v = std::getenv("ANJIAN_REQUIRE_PG");
  return v && std::string(v) == "1";
}

std::string temp_dir() {
  auto dir = std::filesystem::temp_directory_path() / ("anjian-test-" + random_suffix());
  std::filesystem::create_directories(dir);
  return dir.string();
}

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  if (backend == "sqlite") {
    dir_ = temp_dir();
    url_ = "sqlite:" + dir_ + "/test.db";
    return;
  }
  if (!postgres_available()) return;
  schema_ = "t" + random_suffix();
  pg_exec("CREATE SCHEMA " + schema_);
  std::string base = pg_admin_url();
  url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
}

TestDatabase::~TestDatabase() {
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  if (!schema_.empty()) {
    try {
      pg_exec("DROP SCHEMA " + schema_ + " CASCADE");
    } catch (...) {
    }
  }
}

std::unique_ptr<db::Database> open_migrated(TestDatabase& tdb) {
  auto db = db::open_database(tdb.url());
  if (!db.ok()) throw std::runtime_error("open " + tdb.url() + ": " + db.error().message);
  auto m = db::migrate(**db);
  if (!m.ok()) throw std::runtime_error("migrate: " + m.error().message);
  return std::move(db).value();
}

}  // namespace anjian::test
