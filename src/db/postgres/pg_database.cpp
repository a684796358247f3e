// PostgreSQL driver on libpq: a pool of connections with prepared statements per connection.
#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <unordered_map>

#include "db/database.h"
#include "db/open_internal.h"

namespace anjian::db {
namespace {

// Rewrites `?` placeholders to $1, $2 … outside quoted strings and identifiers.
std::string to_dollar_params(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

Error pg_error(PGresult* res, PGconn* conn) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  if (state && std::string_view(state) == "23505") return Error::conflict("记录已存在：" + msg);
  if (state && (std::string_view(state) == "40001" || std::string_view(state) == "40P01"))
    return Error{"unavailable", "数据库繁忙：" + msg, ""};
  return Error{"storage_error", msg, ""};
}

// bytea in text format: "\\x" and two hex digits a byte (the default bytea_output since 9.0).
std::string unescape_bytea(const char* v) {
  std::string out;
  if (v[0] != '\\' || v[1] != 'x') return out;
  auto hex = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (const char* p = v + 2; p[0] && p[1]; p += 2) out += static_cast<char>(hex(p[0]) << 4 | hex(p[1]));
  return out;
}

struct ResultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultCloser>;

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* c) : c_(c) {}
  ~PgConnection() override { PQfinish(c_); }
  Dialect dialect() const override { return Dialect::postgres; }
  bool in_transaction() const override {
    auto st = PQtransactionStatus(c_);
    return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
  }

  Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
    auto res = run(sql, params);
    if (!res.ok()) return res.take_error();
    return to_rows(res->get());
  }

  Result<std::int64_t> exec(std::string_view sql, const std::vector<Value>& params) override {
    auto res = run(sql, params);
    if (!res.ok()) return res.take_error();
    const char* n = PQcmdTuples(res->get());
    return static_cast<std::int64_t>(n && *n ? std::stoll(n) : 0);
  }

  Status exec_script(std::string_view sql) override {
    std::string text(sql);
    PgResult res(PQexec(c_, text.c_str()));
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_error(res.get(), c_);
    return {};
  }

  Status append(std::string_view table, std::span<const std::string_view> columns, size_t rows,
                const std::function<void(size_t, CellWriter&)>& row) override {
    std::string sql = "COPY " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + std::string(columns[i]);
    sql += ") FROM STDIN";
    PgResult start(PQexec(c_, sql.c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) return pg_error(start.get(), c_);
    // COPY's text format: tab between cells, newline after a row, \N for NULL, backslash escapes.
    struct Writer final : CellWriter {
      std::string buf;
      bool first = true;
      void sep() { if (!first) buf += '\t'; first = false; }
      void text(std::string_view v) override {
        sep();
        for (char c : v) {
          switch (c) {
            case '\\': buf += "\\\\"; break;
            case '\t': buf += "\\t"; break;
            case '\n': buf += "\\n"; break;
            case '\r': buf += "\\r"; break;
            default: buf += c;
          }
        }
      }
      void integer(std::int64_t v) override { sep(); buf += std::to_string(v); }
      void real(double v) override {
        sep();
        char tmp[32];
        auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
        buf.append(tmp, end);
      }
      void null() override { sep(); buf += "\\N"; }
      // bytea in COPY's text format: \\x and hex digits (the backslash itself escaped).
      void blob(std::string_view v) override {
        static const char kHex[] = "0123456789abcdef";
        sep();
        buf += "\\\\x";
        for (unsigned char c : v) {
          buf += kHex[c >> 4];
          buf += kHex[c & 15];
        }
      }
    } w;
    bool sent = true;
    for (size_t r = 0; r < rows && sent; ++r) {
      w.first = true;
      row(r, w);
      w.buf += '\n';
      if (w.buf.size() >= (1 << 16)) {
        sent = PQputCopyData(c_, w.buf.data(), static_cast<int>(w.buf.size())) == 1;
        w.buf.clear();
      }
    }
    if (sent && !w.buf.empty()) sent = PQputCopyData(c_, w.buf.data(), static_cast<int>(w.buf.size())) == 1;
    if (PQputCopyEnd(c_, sent ? nullptr : "anjian: sending failed") != 1) return pg_error(nullptr, c_);
    Status status;
    while (PGresult* r = PQgetResult(c_)) {
      PgResult res(r);
      if (PQresultStatus(r) != PGRES_COMMAND_OK && status.ok()) status = pg_error(r, c_);
    }
    return status;
  }

 private:
  Result<PgResult> run(std::string_view sql, const std::vector<Value>& params) {
    // A broken connection (server restart) is reset once, and the statement cache with it.
    if (PQstatus(c_) != CONNECTION_OK) {
      PQreset(c_);
      prepared_.clear();
      if (PQstatus(c_) != CONNECTION_OK) return Error{"unavailable", "数据库连接中断", ""};
    }
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size() + 1);
      std::string text = to_dollar_params(sql);
      PgResult res(PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr));
      if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return pg_error(res.get(), c_);
      it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) continue;
      if (auto p = std::get_if<Blob>(&v)) {
        // Bytes go in binary format: no escaping, NUL bytes included.
        values[i] = p->bytes.data();
        lengths[i] = static_cast<int>(p->bytes.size());
        formats[i] = 1;
        continue;
      }
      if (auto p = std::get_if<std::int64_t>(&v)) texts[i] = std::to_string(*p);
      else if (auto p = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *p);
        texts[i] = buf;
      } else texts[i] = std::get<std::string>(v);
      values[i] = texts[i].c_str();
    }
    PgResult res(PQexecPrepared(c_, it->second.c_str(), static_cast<int>(params.size()), values.data(),
                                lengths.data(), formats.data(), 0));
    auto st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return pg_error(res.get(), c_);
    return res;
  }

  static Rows to_rows(PGresult* res) {
    Rows rows;
    const int n = PQntuples(res), m = PQnfields(res);
    rows.reserve(static_cast<size_t>(n));
    std::vector<Oid> types(static_cast<size_t>(m));
    for (int c = 0; c < m; ++c) types[static_cast<size_t>(c)] = PQftype(res, c);
    for (int r = 0; r < n; ++r) {
      std::vector<Value> cols;
      cols.reserve(static_cast<size_t>(m));
      for (int c = 0; c < m; ++c) {
        if (PQgetisnull(res, r, c)) { cols.emplace_back(nullptr); continue; }
        const char* v = PQgetvalue(res, r, c);
        switch (types[static_cast<size_t>(c)]) {
          case 20: case 21: case 23: cols.emplace_back(static_cast<std::int64_t>(std::stoll(v))); break;  // int8/2/4
          case 16: cols.emplace_back(static_cast<std::int64_t>(v[0] == 't')); break;                      // bool
          case 700: case 701: case 1700: cols.emplace_back(std::stod(v)); break;                          // float/numeric
          case 17: cols.emplace_back(Blob{unescape_bytea(v)}); break;                                    // bytea
          default: cols.emplace_back(std::string(v, static_cast<size_t>(PQgetlength(res, r, c))));
        }
      }
      rows.emplace_back(std::move(cols));
    }
    return rows;
  }

  PGconn* c_;
  std::unordered_map<std::string, std::string> prepared_;
};

Result<std::unique_ptr<Connection>> connect(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    Error e{"storage_error", std::string("无法连接 PostgreSQL：") + PQerrorMessage(c), ""};
    PQfinish(c);
    return e;
  }
  auto conn = std::make_unique<PgConnection>(c);
  // Commits wait for the WAL flush: a 2xx means the data is on disk (ARCHITECTURE.md, Storage).
  if (auto s = conn->exec_script("SET synchronous_commit = on; SET client_min_messages = warning; SET TIME ZONE 'UTC'"); !s.ok())
    return s.take_error();
  return std::unique_ptr<Connection>(std::move(conn));
}

// "postgres://user:secret@host:5432/db?x" → "postgres://user@host:5432/db" for logs.
std::string without_password(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  std::string out = url;
  if (scheme != std::string::npos && at != std::string::npos) {
    auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out = url.substr(0, colon) + url.substr(at);
  }
  return out.substr(0, out.find('?'));
}

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const StorageOptions& options)
      : url_(std::move(url)),
        writers_(options.write_connections, [this] { return connect(url_); }),
        readers_(options.read_connections, [this] { return connect(url_); }) {}
  Dialect dialect() const override { return Dialect::postgres; }
  Result<Lease> read() override { return readers_.acquire(); }
  Result<Lease> write() override { return writers_.acquire(); }
  PoolStats stats() const override {
    return {readers_.size(), readers_.in_use(), writers_.size(), writers_.in_use()};
  }
  std::string describe() const override { return without_password(url_); }

 private:
  std::string url_;
  Pool writers_;
  Pool readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const std::string& url, const StorageOptions& options) {
  auto db = std::make_unique<PgDatabase>(url, options);
  auto lease = db->read();  // fail early with a clear message when the server is not there
  if (!lease.ok()) return lease.take_error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace anjian::db
