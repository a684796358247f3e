#pragma once
// The audit log (等保 level 3; 网络安全法 第21条): append-only for the program, hash-chained with
// SM3 so that a record changed or removed behind the program's back is found by verify().
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/scope.h"
#include "db/database.h"

namespace anjian::audit {

struct AuditRecord {
  std::int64_t seq = 0;
  AuditEvent event;
  std::string prev_hash, hash;
};

struct AuditQuery {
  std::optional<Millis> from, to;
  std::string action, username, outcome, uscc;
  std::int64_t page = 1, page_size = 50;
};

struct AuditPage {
  std::vector<AuditRecord> items;
  std::int64_t total = 0;
};

struct VerifyReport {
  std::int64_t records = 0;
  bool ok = true;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;             // "hash mismatch", "gap before", "head mismatch"
};

class AuditLog final : public AuditSink {
 public:
  explicit AuditLog(db::Database& db) : db_(db) {}
  Status record(AuditEvent event) override;
  Status record_in(db::Connection& tx, AuditEvent event) override;

  // Records in the scope: regulators see events of their region subtree; national sees all.
  Result<AuditPage> list(const auth::Scope& scope, const AuditQuery& q);
  // Walks the whole chain.
  Result<VerifyReport> verify();

  // The digest that links a record to the previous one.
  static std::string chain_hash(const std::string& prev_hash, std::int64_t seq, const AuditEvent& e);

 private:
  Status append(db::Connection& c, AuditEvent& e);
  db::Database& db_;
};

}  // namespace anjian::audit
