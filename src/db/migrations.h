#pragma once
// Numbered schema migrations, one list with a text per backend; each runs in its own transaction
// and is recorded in schema_migrations. Safe to run from several processes at once (PostgreSQL
// takes an advisory lock; SQLite has one writer).
#include <functional>
#include <string>
#include <vector>

#include "db/database.h"

namespace anjian::db {

struct Migration {
  int version;
  std::string name;
  std::string sqlite_sql;
  std::string postgres_sql;
  // Optional data step run after the SQL, in the same transaction.
  std::function<Status(Connection&)> data_step;
};

// All migrations of anjian, in order (defined in schema.cpp).
const std::vector<Migration>& all_migrations();

// Applies the migrations not yet recorded. Returns how many ran.
Result<int> migrate(Database& db, const std::vector<Migration>& migrations = all_migrations());

}  // namespace anjian::db
