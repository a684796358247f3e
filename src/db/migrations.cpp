#include "db/migrations.h"

#include "base/time.h"

namespace anjian::db {

Result<int> migrate(Database& db, const std::vector<Migration>& migrations) {
  {
    auto lease = db.write();
    if (!lease.ok()) return lease.take_error();
    auto s = (*lease)->exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at BIGINT NOT NULL)");
    if (!s.ok()) return s.take_error();
  }
  int applied = 0;
  for (const Migration& m : migrations) {
    auto ran = with_transaction(db, [&](Connection& c) -> Result<bool> {
      if (c.dialect() == Dialect::postgres) {
        // Serialises concurrent start-ups of several processes on one database.
        auto lock = c.query("SELECT pg_advisory_xact_lock(724357)");
        if (!lock.ok()) return lock.take_error();
      }
      auto done = c.query("SELECT 1 FROM schema_migrations WHERE version = ?", {std::int64_t{m.version}});
      if (!done.ok()) return done.take_error();
      if (!done->empty()) return false;
      const std::string& sql = c.dialect() == Dialect::sqlite ? m.sqlite_sql : m.postgres_sql;
      if (!sql.empty()) ANJIAN_TRY(c.exec_script(sql));
      if (m.data_step) ANJIAN_TRY(m.data_step(c));
      ANJIAN_TRY(c.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        {std::int64_t{m.version}, m.name, now_ms()}));
      return true;
    });
    if (!ran.ok()) {
      Error e = ran.take_error();
      e.message = "迁移 " + std::to_string(m.version) + " (" + m.name + ") 失败：" + e.message;
      return e;
    }
    applied += *ran ? 1 : 0;
  }
  return applied;
}

}  // namespace anjian::db
