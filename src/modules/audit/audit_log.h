#pragma once
// The audit log (等保 level 3; 网络安全法 第21条): append-only for the program, hash-chained with
// SM3 so that a record changed or removed behind the program's back is found by verify().
#include <functional>
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
  std::int64_t records = 0;  // records checked (archived and live)
  std::int64_t archived = 0;  // of them, in archive files
  bool ok = true;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;             // "hash mismatch", "gap before", "head mismatch"
};

// Where the online log begins: records up to `seq` were moved to archive files (archive.h), the
// last of them with `hash`, which the first online record names as its previous one.
struct ArchiveBoundary {
  std::int64_t seq = 0;
  std::string hash = std::string(64, '0');
};

class AuditLog final : public AuditSink {
 public:
  explicit AuditLog(db::Database& db) : db_(db) {}
  Status record(AuditEvent event) override;
  Status record_in(db::Connection& tx, AuditEvent event) override;

  // Records in the scope: regulators see events of their region subtree; national sees all.
  Result<AuditPage> list(const auth::Scope& scope, const AuditQuery& q);
  // Walks the online chain from the archive boundary to the head. `each` sees every record (the
  // archive check reads the log's own notes of archiving).
  Result<VerifyReport> verify(const std::function<void(const AuditRecord&)>& each = {});

  Result<ArchiveBoundary> boundary();
  // The newest record's seq (0 for an empty log).
  Result<std::int64_t> last_seq();
  // Up to `limit` records after `after_seq`, older than `before`, in order.
  Result<std::vector<AuditRecord>> oldest(std::int64_t after_seq, Millis before, std::int64_t limit);
  // Removes the records up to `last` (written to an archive file that is safely on disk) and moves
  // the boundary there, recording `note` in the same transaction. conflict when the boundary moved
  // meanwhile (two archivers).
  Status drop_archived(const ArchiveBoundary& from, const AuditRecord& last, AuditEvent note);

  // The digest that links a record to the previous one.
  static std::string chain_hash(const std::string& prev_hash, std::int64_t seq, const AuditEvent& e);

 private:
  Status append(db::Connection& c, AuditEvent& e);
  db::Database& db_;
};

}  // namespace anjian::audit
