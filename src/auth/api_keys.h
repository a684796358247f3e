#pragma once
// API keys of enterprises: how machines (sensor gateways, enterprise systems) authenticate with
// `Authorization: ApiKey KEY`. One enterprise per key; the key is shown once and stored hashed.
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"

namespace anjian::auth {

struct ApiKey {
  std::string id, enterprise_uscc, name, prefix;  // prefix: the first characters, to recognise a key
  std::string created_by;
  Millis created_at = 0;
  std::optional<Millis> revoked_at, last_used_at;
};

// A machine's secret: `ajk_` and 256 random bits (the prefix lets secret scanners and people
// recognise a leaked key); only its hash is stored, its first characters shown to recognise it.
// Every kind of key (an enterprise's, a department's grant) is made and checked this one way.
struct ApiSecret {
  std::string key, prefix, hash;
};
ApiSecret new_api_secret();
// The stored hash of a presented key; nullopt when it cannot be a key (wrong form, oversized).
std::optional<std::string> api_secret_hash(std::string_view presented);

struct NewApiKey {
  ApiKey record;
  std::string key;  // the secret, returned this once
};

// Who a machine is: its enterprise, and the key it used.
struct MachineIdentity {
  std::string key_id, enterprise_uscc, region_code;
};

class ApiKeys {
 public:
  ApiKeys(db::Database& db, AuditSink& audit) : db_(db), audit_(audit) {}

  // REQUIRES: the caller checked that the enterprise (uscc, region_code) is in who's scope.
  Result<NewApiKey> create(const Principal& who, const std::string& uscc, const std::string& region_code,
                           const std::string& name, std::string_view source);
  Result<std::vector<ApiKey>> list(const std::string& uscc);
  // Revokes the key and makes a new one with the same name. Errors: not_found.
  Result<NewApiKey> rotate(const Principal& who, const std::string& uscc, const std::string& region_code,
                           const std::string& id, std::string_view source);
  Status revoke(const Principal& who, const std::string& uscc, const std::string& region_code, const std::string& id,
                std::string_view source);
  // Errors: unauthenticated (unknown or revoked key).
  Result<MachineIdentity> authenticate(std::string_view key);

 private:
  Result<NewApiKey> insert(db::Connection& c, const Principal& who, const std::string& uscc, const std::string& name);
  AuditEvent event(const Principal& who, const char* action, const std::string& uscc, const std::string& region,
                   const std::string& id, std::string_view source) const;
  db::Database& db_;
  AuditSink& audit_;
};

}  // namespace anjian::auth
