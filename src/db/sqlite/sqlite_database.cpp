// SQLite driver: one writer connection and a pool of readers on a WAL database.
#include <sqlite3.h>

#include <unordered_map>

#include "db/database.h"
#include "db/open_internal.h"

namespace anjian::db {
namespace {

Error sqlite_error(sqlite3* h, int rc) {
  const int ext = h ? sqlite3_extended_errcode(h) : rc;
  std::string msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error::conflict("记录已存在：" + msg);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Error{"unavailable", "数据库繁忙：" + msg, ""};
  return Error{"storage_error", msg, ""};
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* h) : h_(h) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(h_);
  }
  Dialect dialect() const override { return Dialect::sqlite; }
  bool in_transaction() const override { return sqlite3_get_autocommit(h_) == 0; }

  Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    auto st = run(sql, params, &rows);
    if (!st.ok()) return st.take_error();
    return rows;
  }

  Result<std::int64_t> exec(std::string_view sql, const std::vector<Value>& params) override {
    auto st = run(sql, params, nullptr);
    if (!st.ok()) return st.take_error();
    return static_cast<std::int64_t>(sqlite3_changes64(h_));
  }

  Status exec_script(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    if (sqlite3_exec(h_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      Error e{"storage_error", err ? err : "sqlite error", ""};
      sqlite3_free(err);
      return e;
    }
    return {};
  }

  Status append(std::string_view table, std::span<const std::string_view> columns, size_t rows,
                const std::function<void(size_t, CellWriter&)>& row) override {
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + std::string(columns[i]);
    sql += ") VALUES (";
    for (size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
    auto prepared = prepare(sql);
    if (!prepared.ok()) return prepared.take_error();
    struct Binder final : CellWriter {
      sqlite3_stmt* s;
      int i = 0;
      explicit Binder(sqlite3_stmt* st) : s(st) {}
      void text(std::string_view v) override { sqlite3_bind_text(s, ++i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); }
      void integer(std::int64_t v) override { sqlite3_bind_int64(s, ++i, v); }
      void real(double v) override { sqlite3_bind_double(s, ++i, v); }
      void blob(std::string_view v) override { sqlite3_bind_blob(s, ++i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); }
      void null() override { sqlite3_bind_null(s, ++i); }
    } bind(*prepared);
    for (size_t r = 0; r < rows; ++r) {
      bind.i = 0;
      row(r, bind);
      int rc = sqlite3_step(bind.s);
      sqlite3_reset(bind.s);
      if (rc != SQLITE_DONE) {
        sqlite3_clear_bindings(bind.s);
        return sqlite_error(h_, rc);
      }
    }
    sqlite3_clear_bindings(bind.s);
    return {};
  }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(h_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(h_, rc);
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  Status run(std::string_view sql, const std::vector<Value>& params, Rows* out) {
    auto prepared = prepare(sql);
    if (!prepared.ok()) return prepared.take_error();
    sqlite3_stmt* stmt = *prepared;
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() { sqlite3_reset(s); sqlite3_clear_bindings(s); }
    } reset{stmt};
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i + 1);
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) sqlite3_bind_null(stmt, idx);
      else if (auto p = std::get_if<std::int64_t>(&v)) sqlite3_bind_int64(stmt, idx, *p);
      else if (auto p = std::get_if<double>(&v)) sqlite3_bind_double(stmt, idx, *p);
      else if (auto p = std::get_if<Blob>(&v)) sqlite3_bind_blob(stmt, idx, p->bytes.data(), static_cast<int>(p->bytes.size()), SQLITE_TRANSIENT);
      else {
        const auto& s = std::get<std::string>(v);
        sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return sqlite_error(h_, rc);
      if (!out) continue;
      const int n = sqlite3_column_count(stmt);
      std::vector<Value> cols;
      cols.reserve(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: cols.emplace_back(nullptr); break;
          case SQLITE_INTEGER: cols.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c))); break;
          case SQLITE_FLOAT: cols.emplace_back(sqlite3_column_double(stmt, c)); break;
          case SQLITE_BLOB: {
            const auto* b = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            cols.emplace_back(Blob{std::string(b ? b : "", static_cast<size_t>(sqlite3_column_bytes(stmt, c)))});
            break;
          }
          default: {
            const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            cols.emplace_back(std::string(t, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
          }
        }
      }
      out->emplace_back(std::move(cols));
    }
  }

  sqlite3* h_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Result<std::unique_ptr<Connection>> open_connection(const std::string& path, bool writer,
                                                    const StorageOptions& options) {
  sqlite3* h = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &h, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e{"storage_error", "无法打开 SQLite 数据库 " + path + "：" + (h ? sqlite3_errmsg(h) : sqlite3_errstr(rc)), ""};
    sqlite3_close_v2(h);
    return e;
  }
  auto conn = std::make_unique<SqliteConnection>(h);
  sqlite3_busy_timeout(h, options.busy_timeout_ms);
  // WAL lets readers run beside the writer; synchronous=FULL syncs the WAL at every commit, so a
  // 2xx is only sent for data that survives a power cut (ARCHITECTURE.md, Storage).
  std::string pragmas =
      "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;"
      "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;";
  if (writer) pragmas = "PRAGMA journal_mode=WAL; " + pragmas;
  if (auto s = conn->exec_script(pragmas); !s.ok()) return s.take_error();
  return std::unique_ptr<Connection>(std::move(conn));
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const StorageOptions& options)
      : path_(std::move(path)),
        writer_(1, [this, options] { return open_connection(path_, true, options); }),
        readers_(options.read_connections, [this, options] { return open_connection(path_, false, options); }) {}

  Dialect dialect() const override { return Dialect::sqlite; }
  Result<Lease> read() override { return readers_.acquire(); }
  Result<Lease> write() override { return writer_.acquire(); }
  PoolStats stats() const override {
    return {readers_.size(), readers_.in_use(), writer_.size(), writer_.in_use()};
  }
  std::string describe() const override { return "sqlite:" + path_; }

 private:
  std::string path_;
  Pool writer_;
  Pool readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, const StorageOptions& options) {
  auto db = std::make_unique<SqliteDatabase>(path, options);
  // Open the writer now so that WAL mode is set before any reader connects, and errors show early.
  auto lease = db->write();
  if (!lease.ok()) return lease.take_error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace anjian::db
