#pragma once
// What an audit record says, and the interface every service writes it through. The audit module
// implements AuditSink; services receive it from app, so that no module depends on another's code.
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "db/database.h"

namespace anjian {

struct AuditEvent {
  Millis at = 0;
  std::string user_id, username, org_id;
  std::string region_code;  // jurisdiction the record belongs to, for scoped reading
  std::string uscc;         // the enterprise concerned, if any
  std::string source;       // client address
  std::string action;       // "login", "enterprise.update", "permission.denied", …
  std::string target;       // what was acted on: "enterprise:9133…", "user:…"
  std::string outcome;      // "success" | "failure" | "denied"
  std::string detail;       // JSON text: reasons, before/after digests
};

namespace auth { struct Principal; }

// An audit record of what `who` did (successfully, unless outcome says otherwise), stamped now.
// `region_code` and `uscc` are those of the record acted on: they decide who may read the entry.
AuditEvent audit_event(const auth::Principal& who, std::string action, std::string target, std::string region_code,
                       std::string uscc, std::string_view source, std::string detail = "{}",
                       std::string outcome = "success");

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Appends the record durably in its own transaction.
  virtual Status record(AuditEvent event) = 0;
  // Appends the record on `tx`, the connection of the caller's write, so that the write and its
  // audit record commit together (or neither does). Starts a transaction if tx has none.
  virtual Status record_in(db::Connection& tx, AuditEvent event) = 0;
};

}  // namespace anjian
