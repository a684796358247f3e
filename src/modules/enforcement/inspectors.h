#pragma once
// 执法检查人员名录库: the users with the inspector role in a regulator's scope, each with the
// 执法证号 and status the registry keeps (active / on leave / transferred) and the conflicts they
// declared (回避: an enterprise with the reason, or a former employer by USCC). A draw takes only
// active inspectors and adds their declared conflicts to its recusals.
#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/identity.h"
#include "auth/principal.h"
#include "db/database.h"

namespace anjian::enforcement {

struct Conflict {
  std::string id, enterprise_uscc, kind, reason;  // kind: enterprise | former_employer
  Millis created_at = 0;
};

struct Inspector {
  std::string user_id, username, display_name, org_id, org_name;
  std::string badge_number;       // 执法证号 ('' when not registered yet)
  std::string status = "active";  // active | on_leave | transferred
  std::vector<Conflict> conflicts;
  std::int64_t version = 0;       // 0: not in the registry yet
};

class InspectorRegistry {
 public:
  InspectorRegistry(db::Database& db, auth::Identity& identity, AuditSink& audit) : db_(db), identity_(identity), audit_(audit) {}

  // Every inspector-role user of the scope, with what the registry keeps of them.
  Result<std::vector<Inspector>> list(const auth::Principal& who);
  // Errors: not_found (no such inspector in the scope).
  Result<Inspector> get(const auth::Principal& who, const std::string& user_id);
  // The users `ids` as inspectors who may be sent now: active users with the inspector role in
  // the scope, not on leave or transferred, with their declared conflicts. Errors: invalid_field
  // (field "inspectors") naming the first who may not.
  Result<std::vector<Inspector>> on_duty(const auth::Principal& who, const std::vector<std::string>& ids);
  // {badge_number, status}: registers or updates. Errors: not_found, invalid_field, unknown_field,
  // forbidden (not a regulator).
  Result<Inspector> put(const auth::Principal& who, const std::string& user_id, const boost::json::object& fields, std::string_view source);
  // {enterprise_uscc, reason, kind?}. Errors: as put.
  Result<Inspector> declare_conflict(const auth::Principal& who, const std::string& user_id, const boost::json::object& fields,
                                     std::string_view source);

 private:
  Result<Inspector> load(const auth::User& u);
  bool is_inspector(const auth::User& u);
  db::Database& db_;
  auth::Identity& identity_;
  AuditSink& audit_;
};

boost::json::object to_json(const Inspector& i);

}  // namespace anjian::enforcement
