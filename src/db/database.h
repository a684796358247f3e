#pragma once
// Storage behind one interface: SQLite (embedded, the default) and PostgreSQL.
//
// SQL is written once with `?` placeholders; the PostgreSQL driver rewrites them to $n. Where the
// dialects differ (ids, full-text search, upsert details) callers ask dialect(). Values bind,
// never concatenate: no SQL text is built from user data.
//
// Thread safety: Database is safe to share; a Connection is used by one thread at a time, which
// the pool guarantees by lending it to one holder.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace anjian::db {

// Bytes that are not text (compressed chunks): BLOB on SQLite, BYTEA on PostgreSQL.
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

// Helpers to bind optionals as NULL.
inline Value opt(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value opt(const std::optional<double>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(nullptr); }
// "?, ?, ?" for an IN list of n values (n ≥ 1).
inline std::string placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  bool null(size_t i) const { return std::holds_alternative<std::nullptr_t>(cols_.at(i)); }
  std::int64_t i64(size_t i) const;  // NULL → 0
  double f64(size_t i) const;        // NULL → 0
  std::string str(size_t i) const;   // NULL → ""; a blob's bytes
  std::optional<std::string> opt_str(size_t i) const;
  std::optional<double> opt_f64(size_t i) const;
  std::optional<std::int64_t> opt_i64(size_t i) const;
  size_t size() const { return cols_.size(); }

 private:
  std::vector<Value> cols_;
};

using Rows = std::vector<Row>;
enum class Dialect { sqlite, postgres };

// Receives the cells of one row of a bulk append, in column order.
class CellWriter {
 public:
  virtual ~CellWriter() = default;
  virtual void text(std::string_view v) = 0;  // must stay valid until append() returns
  virtual void integer(std::int64_t v) = 0;
  virtual void real(double v) = 0;
  virtual void blob(std::string_view bytes) = 0;  // must stay valid until append() returns
  virtual void null() = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement and returns its rows. Errors: conflict (unique key), storage_error.
  virtual Result<Rows> query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs one statement; returns the number of rows it changed.
  virtual Result<std::int64_t> exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual Status exec_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
  // Whether a BEGIN is open on this connection.
  virtual bool in_transaction() const = 0;
  // Appends `rows` rows to `table` by the backend's fastest path — SQLite: one prepared INSERT
  // stepped per row; PostgreSQL: COPY — for bulk writes (compaction's chunks), where a statement
  // per row would cost more than the row. `row(i, cells)` writes row i. Table and column names are the caller's
  // constants, never user data.
  virtual Status append(std::string_view table, std::span<const std::string_view> columns, size_t rows,
                        const std::function<void(size_t, CellWriter&)>& row) = 0;

  // Convenience: the first row, or not_found.
  Result<Row> query_one(std::string_view sql, const std::vector<Value>& params = {});
};

class Pool;

// A connection lent by a pool; returned when this goes out of scope.
class Lease {
 public:
  Lease(Pool* pool, Connection* conn) : pool_(pool), conn_(conn) {}
  Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(o.conn_) { o.conn_ = nullptr; }
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection* operator->() const { return conn_; }
  Connection& operator*() const { return *conn_; }

 private:
  Pool* pool_;
  Connection* conn_;
};

// A fixed set of connections made lazily by a factory; acquire() waits for a free one.
class Pool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Connection>>()>;
  Pool(size_t size, Factory factory) : size_(size), factory_(std::move(factory)) {}
  Result<Lease> acquire();
  void release(Connection* c);
  size_t size() const { return size_; }
  size_t in_use() const;

 private:
  size_t size_;
  Factory factory_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> free_;
  size_t in_use_ = 0;
  size_t creating_ = 0;
};

struct PoolStats {
  size_t readers = 0, readers_in_use = 0, writers = 0, writers_in_use = 0;
};

// StorageOptions: each with its default and why.
struct StorageOptions {
  // Readers in the pool. SQLite in WAL lets readers run beside the one writer.
  size_t read_connections = 8;
  // PostgreSQL: write connections (SQLite always has exactly one writer: it allows only one).
  size_t write_connections = 4;
  // SQLite: how long a statement waits on a lock before failing.
  int busy_timeout_ms = 5000;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A connection for reading.
  virtual Result<Lease> read() = 0;
  // A connection for writing; with SQLite, the single writer (holders wait their turn).
  virtual Result<Lease> write() = 0;
  virtual PoolStats stats() const = 0;
  // A short name for logs: "sqlite:/path" or "postgres://host:port/db" (never the password).
  virtual std::string describe() const = 0;
};

// Opens by URL: "sqlite:PATH" (file created if absent) or "postgres://…"/"postgresql://…".
Result<std::unique_ptr<Database>> open_database(std::string_view url, const StorageOptions& options = {});

// Runs fn inside BEGIN … COMMIT on a write connection; rolls back when fn returns an error or throws.
template <typename F>
auto with_transaction(Database& db, F&& fn) -> decltype(fn(std::declval<Connection&>()));

// Implementation of with_transaction, kept in the header for templates.
Status begin(Connection& c);
Status commit(Connection& c);
void rollback(Connection& c);

template <typename F>
auto with_transaction(Database& db, F&& fn) -> decltype(fn(std::declval<Connection&>())) {
  auto lease = db.write();
  if (!lease.ok()) return lease.take_error();
  Connection& c = **lease;
  if (auto s = begin(c); !s.ok()) return s.take_error();
  try {
    auto result = fn(c);
    if (!result.ok()) {
      rollback(c);
      return result;
    }
    if (auto s = commit(c); !s.ok()) return s.take_error();
    return result;
  } catch (...) {
    rollback(c);
    throw;
  }
}

}  // namespace anjian::db
