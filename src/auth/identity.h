#pragma once
// Organizations, users, sessions and login: the identity of everyone who uses anjian.
//
// Thread-safe. Sessions are cached in memory (a request must not cost a database round trip to
// authenticate); the cache re-reads a session from the database after `recheck_after` so that a
// revocation by another process takes effect within that time.
#include <boost/json/fwd.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/principal.h"
#include "auth/audit_sink.h"
#include "base/result.h"
#include "base/time.h"
#include "codes/regions.h"
#include "db/database.h"

namespace anjian::auth {

struct SecurityOptions {
  Millis session_idle_ms = 30 * 60 * 1000;          // 等保: idle sessions end
  Millis session_absolute_ms = 12 * 3600 * 1000;    // a working day, then log in again
  int max_failures = 5;                             // failed logins from one address before it is locked out of the account
  int account_lock_factor = 10;                     // × max_failures from any addresses: the account itself is locked
  Millis lock_ms = 15 * 60 * 1000;                  // how long the lock holds
  Millis recheck_after_ms = 30 * 1000;              // cached sessions re-read after this (streams re-check theirs too)
  Millis touch_every_ms = 60 * 1000;                // last_seen_at persisted at most this often
  bool admins_need_second_factor = true;            // the three platform administrators must enrol TOTP (等保 8.1.4.1 d)
  int stale_account_days = 90;                      // accounts without a login this long are disabled (0: never)
  std::string issuer = "安监";                        // the name an authenticator app shows beside the account
};

struct Org {
  std::string id, name, kind, level, region_code, regulator_kind, uscc;
  Millis created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct User {
  std::string id, username, display_name, org_id;
  std::vector<std::string> roles;
  bool disabled = false, must_change_password = false;
  Millis created_at = 0, updated_at = 0;
  std::int64_t version = 1;
  std::string org_name;  // filled on reads
  Millis locked_until = 0;  // filled by list_users: locked out by login failures until then (0: not)
  Millis last_login_at = 0;  // filled by list_users (0: never)
  bool second_factor = false;  // filled by list_users: TOTP in force
};

struct SessionInfo {
  std::string id;  // the first 16 hex characters of the token hash: enough to name it, useless to use it
  std::string user_id, source;
  Millis created_at = 0, last_seen_at = 0, expires_at = 0;
};

struct LoginResult {
  std::string token;
  Millis expires_at = 0;
  Principal principal;
  // When the account has a second factor and no code came with the password: no session yet, but
  // this one-time challenge (5 minutes, 5 tries) that complete_login takes with the code.
  std::string challenge;
};

// A second factor being enrolled: the secret as an authenticator app takes it (typed or scanned).
struct TotpEnrolment {
  std::string secret;  // Base32
  std::string otpauth_uri;
  std::string qr_svg;
};

struct NewUser {
  std::string username, password, display_name, org_id;
  std::vector<std::string> roles;
  bool must_change_password = false;
};

class Identity {
 public:
  Identity(db::Database& db, const codes::RegionTable& regions, AuditSink& audit, SecurityOptions options = {});

  // Errors: invalid_field, unauthenticated (wrong name or password, same message either way),
  // locked (429) after max_failures failures for that name from the same address (`source`) within
  // the lock time — an address cannot lock a user out for everyone — or after
  // max_failures × account_lock_factor from any addresses (a distributed guess).
  // With a second factor: `code` (a TOTP code or a recovery code) in the same call, or an answer
  // with `challenge` set and no session. A wrong code counts towards the lockout as a wrong password
  // does (error invalid_code). Errors as above.
  Result<LoginResult> login(std::string_view username, std::string_view password, std::string_view source,
                            std::string_view code = {});
  // The second step: the challenge from login and the code. Errors: unauthenticated (unknown,
  // expired or spent challenge), invalid_code, locked.
  Result<LoginResult> complete_login(std::string_view challenge, std::string_view code, std::string_view source);

  // Two factors (TOTP, RFC 6238). Enrolment is begun (a new secret, not yet in force) and confirmed
  // with a code from the app, which puts it in force and returns ten recovery codes, shown once and
  // kept only as digests. Errors: conflict (one is in force: the 安全管理员 resets it first).
  Result<TotpEnrolment> begin_totp_enrolment(const Principal& who, std::string_view source);
  Result<std::vector<std::string>> confirm_totp_enrolment(const Principal& who, std::string_view code, std::string_view source);
  // Whether the user's second factor is in force, and how many recovery codes remain.
  struct SecondFactorState {
    bool enabled = false;
    Millis enabled_at = 0;
    int recovery_codes_left = 0;
  };
  Result<SecondFactorState> second_factor_state(std::string_view user_id);
  // Withdraws a user's second factor (a lost phone): the 安全管理员's (security_manage), for a user
  // in scope; the user enrols again at the next login when the role requires it.
  Status reset_second_factor(const Principal& who, std::string_view user_id, std::string_view source);

  // Disables the accounts (not the platform's administrators) that have not logged in for
  // stale_account_days (counted from their creation when they never did). Returns how many.
  Result<size_t> disable_stale_accounts(Millis now);
  // Errors: unauthenticated (unknown, revoked, idle or expired token).
  Result<std::shared_ptr<const Principal>> authenticate(std::string_view token);
  // Whether a session accepted earlier still stands — not revoked (logout, revocation, a disabled
  // user, a password reset), expired or idle past its limit — read from the database, without
  // counting as activity. The stream asks every 30 s and on every message a client sends.
  Result<bool> session_stands(std::string_view token);
  // Sessions held in the cache (for tests and metrics).
  size_t cached_sessions();
  // An enterprise moved to another region: its organization moves with it, in the caller's
  // transaction, so that the county it left can no longer manage its users (and its users' cached
  // sessions are read anew). REQUIRES: tx in a transaction.
  Status move_enterprise_org_in(db::Connection& tx, const std::string& uscc, const std::string& region_code);
  Status logout(const Principal& who, std::string_view source);
  Status change_password(const Principal& who, std::string_view old_password, std::string_view new_password,
                         std::string_view source);

  // Organizations. Regulator orgs must lie in the caller's scope; enterprise orgs need the
  // enterprise's region (looked up by the caller, who has checked its scope).
  Result<Org> create_org(const Principal& who, Org org, std::string_view source);
  Result<Org> get_org(const Scope& scope, std::string_view id);
  Result<std::vector<Org>> list_orgs(const Scope& scope);
  // The region of the regulator nearest to `region_code` on `c`: its own when the platform has a
  // regulator org there, else the closest above (a county without one: its city's). Empty if none.
  Result<std::string> nearest_regulator(db::Connection& c, const std::string& region_code);
  // The work-safety regulators (安全监管, 应急管理) of these regions ('' is the national level), by
  // region; a region without one is absent. The oldest org of a region stands for it.
  Result<std::map<std::string, Org>> regulators_at(db::Connection& c, const std::vector<std::string>& region_codes);

  // Users of orgs within the caller's scope.
  Result<User> create_user(const Principal& who, NewUser u, std::string_view source);
  Result<User> get_user(const Scope& scope, std::string_view id);
  Result<std::vector<User>> list_users(const Scope& scope);
  // Edits display_name / roles / disabled (what is set). Errors: precondition_failed on a stale version.
  Result<User> update_user(const Principal& who, std::string_view id, std::int64_t expected_version,
                           std::optional<std::string> display_name, std::optional<std::vector<std::string>> roles,
                           std::optional<bool> disabled, std::string_view source);
  Status reset_password(const Principal& who, std::string_view id, std::string_view new_password,
                        std::string_view source);
  Status unlock(const Principal& who, std::string_view id, std::string_view source);
  Result<std::vector<SessionInfo>> list_sessions(const Scope& scope, std::string_view user_id);
  Status revoke_session(const Principal& who, std::string_view user_id, std::string_view session_id,
                        std::string_view source);

  // The platform's three administrators (三权分立): admin (系统管理员), secadmin (安全管理员) and
  // auditadmin (审计管理员), each with a password of its own. On an empty database all three are
  // made; on one from before the separation, the old all-powerful `admin` becomes the 系统管理员
  // and the two others are made. `password` (ANJIAN_ADMIN_PASSWORD; the demo's, the tests') is
  // given to those made, else each gets its own random one. Returns the accounts made, with the
  // password only when it was made up here (a given one is never printed back).
  // must_change: each must change it at its first login (production); the demo and tests start without.
  struct Bootstrapped {
    std::string username, role, password;  // password empty when it was given
  };
  Result<std::vector<Bootstrapped>> bootstrap_admins(std::optional<std::string> password, bool must_change = true);

  // The scope of a user of an org (used by login and by tests).
  Result<Scope> scope_of_org(const Org& org);

 private:
  struct CachedSession {
    std::shared_ptr<const Principal> principal;
    Millis last_seen = 0, persisted_seen = 0, expires_at = 0, loaded_at = 0;
  };
  Result<Principal> load_principal(db::Connection& c, std::string_view user_id);
  Status check_not_locked(const std::string& username, std::string_view source, Millis now);
  Error failed_attempt(const std::string& username, std::string_view source, Millis now, std::string_view reason, Error wrong);
  Result<LoginResult> open_session(const std::string& user_id, const std::string& username, std::string_view source, Millis now);
  Result<bool> second_factor_enabled(const std::string& user_id);
  Result<LoginResult> open_challenge(const std::string& user_id, const std::string& username, std::string_view source, Millis now);
  // Whether `code` is the user's current TOTP code (not used before) or an unused recovery code;
  // spends it when it is.
  Result<bool> check_second_factor(const std::string& user_id, std::string_view code, Millis now, std::string_view source);
  Status register_failure(std::string_view username, std::string_view source, Millis now);
  // Whether `source` is locked out of `username`'s account; REQUIRES: mu_ held.
  bool address_locked_locked(const std::string& key, Millis now) const;
  struct AddressFailures {
    int failures = 0;
    Millis first_at = 0, locked_until = 0;
  };
  std::unordered_map<std::string, AddressFailures> address_failures_;  // "source\nusername" →
  void forget_sessions_of(std::string_view user_id);
  // Drops cached sessions that are expired or idle past their limit (the cache held every session
  // ever seen). REQUIRES: mu_ held. Runs on a cache insert, at most once a minute (or half the idle limit).
  void prune_sessions_locked(Millis now);
  Millis pruned_at_ = 0;
  // Runs `fn` on `c` in a transaction: a write and its audit record commit together.
  Status atomically(db::Connection& c, const std::function<Status(db::Connection&)>& fn);
  // Writes an audit record; on `tx` (the caller's write connection) when given.
  Status audit(db::Connection* tx, const Principal* who, std::string action, std::string target,
               std::string outcome, std::string_view source, std::string detail = "{}");
  Status check_user_in_scope(const Scope& scope, std::string_view user_id);
  Status check_platform_change(const Principal& who, const std::vector<std::string>& before,
                               const std::vector<std::string>& after);
  Status check_roles_for_org(const std::vector<std::string>& roles, const Org& org);

  db::Database& db_;
  const codes::RegionTable& regions_;
  AuditSink& audit_;
  SecurityOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, CachedSession> sessions_;
};

}  // namespace anjian::auth
