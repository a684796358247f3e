#include "modules/audit/audit_log.h"
#include "modules/audit/head.h"

#include <algorithm>

#include "modules/audit/labels.h"

#include "base/crypto.h"

namespace anjian::audit {
using db::Value;

namespace {
constexpr const char* kColumns =
    "seq, at, user_id, username, org_id, region_code, uscc, source, action, target, outcome, detail, prev_hash, hash";

AuditRecord record_from(const db::Row& r) {
  AuditRecord a;
  a.seq = r.i64(0);
  a.event = AuditEvent{r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7), r.str(8), r.str(9), r.str(10), r.str(11)};
  a.prev_hash = r.str(12);
  a.hash = r.str(13);
  return a;
}
Value nullable(const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); }
}  // namespace

std::string AuditLog::chain_hash(const std::string& prev_hash, std::int64_t seq, const AuditEvent& e) {
  // Length-prefixed fields: no two different records serialise to the same text.
  std::string text;
  auto add = [&](std::string_view f) {
    text += std::to_string(f.size());
    text += ':';
    text += f;
    text += '|';
  };
  add(prev_hash);
  add(std::to_string(seq));
  add(std::to_string(e.at));
  for (const std::string* f : {&e.user_id, &e.username, &e.org_id, &e.region_code, &e.uscc, &e.source, &e.action,
                               &e.target, &e.outcome, &e.detail})
    add(*f);
  return sm3_hex(text);
}

Status AuditLog::append(db::Connection& c, AuditEvent& e) {
  if (e.at == 0) e.at = now_ms();
  if (e.detail.empty()) e.detail = "{}";
  // The head row serialises appends: PostgreSQL locks it; SQLite has one writer anyway.
  auto head = c.query_one(c.dialect() == db::Dialect::postgres ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                                                                : "SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.ok()) return head.take_error();
  const std::int64_t seq = head->i64(0) + 1;
  const std::string prev = head->str(1);
  const std::string hash = chain_hash(prev, seq, e);
  ANJIAN_TRY(c.exec(std::string("INSERT INTO audit_log (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {seq, e.at, nullable(e.user_id), nullable(e.username), nullable(e.org_id), nullable(e.region_code),
                     nullable(e.uscc), nullable(e.source), e.action, nullable(e.target), e.outcome, e.detail, prev, hash}));
  ANJIAN_TRY(c.exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {seq, hash}));
  return {};
}

Status AuditLog::record(AuditEvent event) {
  auto r = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(append(c, event));
    return true;
  });
  if (!r.ok()) return r.take_error();
  return {};
}

Status AuditLog::record_in(db::Connection& tx, AuditEvent event) {
  if (tx.in_transaction()) return append(tx, event);
  ANJIAN_TRY(db::begin(tx));
  Status s = append(tx, event);
  if (!s.ok()) {
    db::rollback(tx);
    return s;
  }
  return db::commit(tx);
}

Result<AuditPage> AuditLog::list(const auth::Scope& scope, const AuditQuery& q) {
  std::vector<Value> params;
  std::string where = "(" + scope.sql("region_code", "uscc", params) + ")";
  if (q.from) { where += " AND at >= ?"; params.emplace_back(*q.from); }
  if (q.to) { where += " AND at < ?"; params.emplace_back(*q.to); }
  if (!q.action.empty()) {
    // By code or by Chinese name, whole or in part: 报警 finds every alarm action.
    auto actions = actions_matching(q.action);
    if (std::find(actions.begin(), actions.end(), q.action) == actions.end()) actions.push_back(q.action);
    where += " AND action IN (" + db::placeholders(actions.size()) + ")";
    for (auto& a : actions) params.emplace_back(std::move(a));
  }
  if (!q.username.empty()) { where += " AND username = ?"; params.emplace_back(q.username); }
  if (!q.outcome.empty()) { where += " AND outcome = ?"; params.emplace_back(q.outcome); }
  if (!q.uscc.empty()) { where += " AND uscc = ?"; params.emplace_back(q.uscc); }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  AuditPage page;
  auto count = (*r)->query_one("SELECT COUNT(*) FROM audit_log WHERE " + where, params);
  if (!count.ok()) return count.take_error();
  page.total = count->i64(0);
  params.emplace_back(q.page_size);
  params.emplace_back((q.page - 1) * q.page_size);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM audit_log WHERE " + where +
                              " ORDER BY seq DESC LIMIT ? OFFSET ?",
                          params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) page.items.push_back(record_from(row));
  return page;
}

Result<ArchiveBoundary> AuditLog::boundary() {
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto row, lease->query_one("SELECT archived_seq, archived_hash FROM audit_head WHERE id = 1"));
  return ArchiveBoundary{row.i64(0), row.str(1)};
}

Result<std::int64_t> AuditLog::last_seq() {
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto row, lease->query_one("SELECT seq FROM audit_head WHERE id = 1"));
  return row.i64(0);
}

Result<VerifyReport> AuditLog::verify(const std::function<void(const AuditRecord&)>& each) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  VerifyReport report;
  ANJIAN_ASSIGN(auto start, (*r)->query_one("SELECT archived_seq, archived_hash FROM audit_head WHERE id = 1"));
  std::string prev = start.str(1);
  std::int64_t expected_seq = start.i64(0) + 1, after = 0;
  for (;;) {
    // Read in batches: the log may hold millions of records. A record left below the boundary
    // is read too, and is a gap's sign like any other.
    auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000", {after});
    if (!rows.ok()) return rows.take_error();
    if (rows->empty()) break;
    for (const auto& row : *rows) {
      AuditRecord a = record_from(row);
      ++report.records;
      after = a.seq;
      if (each) each(a);
      if (!report.ok) continue;
      if (a.seq != expected_seq) {
        report = {report.records, 0, false, expected_seq, "记录缺失：序号 " + std::to_string(expected_seq) + " 不存在"};
      } else if (a.prev_hash != prev || chain_hash(prev, a.seq, a.event) != a.hash) {
        report = {report.records, 0, false, a.seq, "记录被篡改：序号 " + std::to_string(a.seq) + " 的摘要不符"};
      }
      prev = a.hash;
      ++expected_seq;
    }
  }
  auto head = (*r)->query_one("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.ok()) return head.take_error();
  if (report.ok && (head->i64(0) != expected_seq - 1 || head->str(1) != prev))
    report = {report.records, 0, false, expected_seq, "日志末尾记录被删除：头部指向序号 " + std::to_string(head->i64(0))};
  return report;
}

Result<std::vector<AuditRecord>> AuditLog::oldest(std::int64_t after_seq, Millis before, std::int64_t limit) {
  ANJIAN_ASSIGN(auto lease, db_.read());
  // In seq order, stopping at the first record not old enough: the archive is a prefix of the chain.
  ANJIAN_ASSIGN(auto rows, lease->query(std::string("SELECT ") + kColumns + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", {after_seq, limit}));
  std::vector<AuditRecord> out;
  for (const auto& row : rows) {
    AuditRecord a = record_from(row);
    if (a.event.at >= before) break;
    out.push_back(std::move(a));
  }
  return out;
}

Status AuditLog::drop_archived(const ArchiveBoundary& from, const AuditRecord& last, AuditEvent note) {
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_ASSIGN(auto head, c.query_one("SELECT archived_seq FROM audit_head WHERE id = 1"));
    if (head.i64(0) != from.seq) return Error::conflict("审计日志的归档边界已被另一进程移动");
    ANJIAN_TRY(c.exec("DELETE FROM audit_log WHERE seq <= ?", {last.seq}));
    ANJIAN_TRY(c.exec("UPDATE audit_head SET archived_seq = ?, archived_hash = ? WHERE id = 1", {last.seq, last.hash}));
    ANJIAN_TRY(append(c, note));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return {};
}

Result<std::pair<std::int64_t, std::string>> audit_head(db::Database& db) {
  ANJIAN_ASSIGN(auto lease, db.read());
  ANJIAN_ASSIGN(auto row, lease->query_one("SELECT seq, hash FROM audit_head WHERE id = 1"));
  return std::make_pair(row.i64(0), row.str(1));
}

Result<std::pair<std::int64_t, std::string>> audit_anchor_at(db::Database& db, std::int64_t seq) {
  ANJIAN_ASSIGN(auto lease, db.read());
  ANJIAN_ASSIGN(auto rows, lease->query("SELECT hash FROM audit_log WHERE seq = ?", {seq}));
  if (!rows.empty()) return std::make_pair(seq, rows[0].str(0));
  // Archived since (a link silent for longer than the online window): the boundary is the nearest
  // point the online chain starts from. Its hash "today" would otherwise read as "" — a rewrite.
  ANJIAN_ASSIGN(auto head, lease->query_one("SELECT archived_seq, archived_hash FROM audit_head WHERE id = 1"));
  if (head.i64(0) >= seq) return std::make_pair(head.i64(0), head.str(1));
  return std::make_pair(seq, std::string());
}

}  // namespace anjian::audit
