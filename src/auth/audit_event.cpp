#include "auth/audit_sink.h"
#include "auth/principal.h"

namespace anjian {

AuditEvent audit_event(const auth::Principal& who, std::string action, std::string target, std::string region_code,
                       std::string uscc, std::string_view source, std::string detail, std::string outcome) {
  AuditEvent e;
  e.at = now_ms();
  e.user_id = who.user_id;
  e.username = who.username;
  e.org_id = who.org_id;
  e.region_code = std::move(region_code);
  e.uscc = std::move(uscc);
  e.source = std::string(source);
  e.action = std::move(action);
  e.target = std::move(target);
  e.outcome = std::move(outcome);
  e.detail = std::move(detail);
  return e;
}

}  // namespace anjian
