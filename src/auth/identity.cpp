#include "auth/identity.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "auth/password.h"
#include "base/crypto.h"
#include "base/text.h"

namespace anjian::auth {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.org_id, u.roles, u.disabled, u.must_change_password, "
    "u.created_at, u.updated_at, u.version, o.name";
constexpr const char* kOrgColumns =
    "id, name, kind, level, region_code, regulator_kind, uscc, created_at, updated_at, version";

std::vector<std::string> split_roles(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}
std::string join_roles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out;
}

User user_from(const db::Row& r) {
  User u;
  u.id = r.str(0);
  u.username = r.str(1);
  u.display_name = r.str(2);
  u.org_id = r.str(3);
  u.roles = split_roles(r.str(4));
  u.disabled = r.i64(5) != 0;
  u.must_change_password = r.i64(6) != 0;
  u.created_at = r.i64(7);
  u.updated_at = r.i64(8);
  u.version = r.i64(9);
  u.org_name = r.str(10);
  return u;
}

Org org_from(const db::Row& r) {
  return Org{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.i64(7), r.i64(8), r.i64(9)};
}

Error unauthenticated(std::string msg = "用户名或密码错误") { return Error{"unauthenticated", std::move(msg), ""}; }

// Orgs visible in a scope: regulators by their region, enterprise orgs by their enterprise.
std::string org_scope_sql(const Scope& scope, std::vector<Value>& params, const char* alias = "") {
  std::string a(alias);
  return "(" + scope.sql(a + "region_code", a + "uscc", params) + ")";
}
}  // namespace

Identity::Identity(db::Database& db, const codes::RegionTable& regions, AuditSink& audit, SecurityOptions options)
    : db_(db), regions_(regions), audit_(audit), options_(options) {}

Status Identity::audit(db::Connection* tx, const Principal* who, std::string action, std::string target,
                       std::string outcome, std::string_view source, std::string detail) {
  // Before a login there is no principal: the record names only the attempt.
  static const Principal nobody;
  const Principal& p = who ? *who : nobody;
  AuditEvent e = audit_event(p, std::move(action), std::move(target), p.region_code, p.uscc, source, std::move(detail),
                             std::move(outcome));
  return tx ? audit_.record_in(*tx, std::move(e)) : audit_.record(std::move(e));
}

// A write and its audit record commit together (等保: no change without its record, no record of a
// change that did not happen).
Status Identity::atomically(db::Connection& c, const std::function<Status(db::Connection&)>& fn) {
  ANJIAN_TRY(db::begin(c));
  if (auto s = fn(c); !s.ok()) {
    db::rollback(c);
    return s;
  }
  return db::commit(c);
}

Result<Scope> Identity::scope_of_org(const Org& org) {
  if (org.kind == "enterprise") return Scope::enterprise(org.uscc, org.region_code);
  // 安委会成员单位 see what the resource catalog grants them, which is nothing until it does.
  if (org.regulator_kind == "member_department") return Scope::none();
  if (org.level == "national") return Scope::all();
  if (!regions_.find(org.region_code)) return Error::internal("机构的行政区划不存在：" + org.region_code);
  return Scope::region(regions_, org.region_code);
}

Result<Principal> Identity::load_principal(db::Connection& c, std::string_view user_id) {
  auto row = c.query_one(std::string("SELECT ") + kUserColumns +
                             ", o.kind, o.level, o.region_code, o.regulator_kind, o.uscc, o.created_at, o.updated_at, o.version"
                             " FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?",
                         {std::string(user_id)});
  if (!row.ok()) return row.take_error();
  User u = user_from(*row);
  if (u.disabled) return unauthenticated("账户已停用");
  Org org{u.org_id, u.org_name, row->str(11), row->str(12), row->str(13), row->str(14), row->str(15),
          row->i64(16), row->i64(17), row->i64(18)};
  auto scope = scope_of_org(org);
  if (!scope.ok()) return scope.take_error();
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.org_id = org.id;
  p.org_name = org.name;
  p.org_kind = org.kind;
  p.org_level = org.level;
  p.regulator_kind = org.regulator_kind;
  p.region_code = org.region_code;
  p.uscc = org.uscc;
  p.roles = u.roles;
  p.scope = std::move(scope).value();
  p.must_change_password = u.must_change_password;
  if (options_.admins_need_second_factor && std::any_of(p.roles.begin(), p.roles.end(), [](const auto& r) { return is_platform_role(r); })) {
    auto enabled = c.query("SELECT 1 FROM user_second_factors WHERE user_id = ? AND enabled_at IS NOT NULL", {p.user_id});
    if (!enabled.ok()) return enabled.take_error();
    p.must_enrol_second_factor = enabled->empty();
  }
  return p;
}

bool Identity::address_locked_locked(const std::string& key, Millis now) const {
  auto it = address_failures_.find(key);
  return it != address_failures_.end() && it->second.locked_until > now;
}

Status Identity::register_failure(std::string_view username, std::string_view source, Millis now) {
  {
    std::lock_guard lock(mu_);
    // Old entries go (an attacker's many addresses must not grow the map without end).
    if (address_failures_.size() > 100'000)
      for (auto it = address_failures_.begin(); it != address_failures_.end();)
        it = now - it->second.first_at > options_.lock_ms && it->second.locked_until <= now ? address_failures_.erase(it) : std::next(it);
    AddressFailures& f = address_failures_[std::string(source) + "\n" + std::string(username)];
    if (now - f.first_at > options_.lock_ms || (f.locked_until != 0 && f.locked_until <= now)) f = AddressFailures{0, now, 0};
    if (++f.failures >= options_.max_failures) f.locked_until = now + options_.lock_ms;
  }
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  std::string name(username);
  auto row = (*w)->query("SELECT failures, locked_until FROM login_failures WHERE username = ?", {name});
  if (!row.ok()) return row.take_error();
  std::int64_t failures = 1;
  if (!row->empty()) {
    const std::int64_t locked_until = (*row)[0].i64(1);
    // A lock that has run out starts a new count.
    failures = (locked_until != 0 && locked_until <= now) ? 1 : (*row)[0].i64(0) + 1;
  }
  const Millis locked_until = failures >= options_.max_failures * options_.account_lock_factor ? now + options_.lock_ms : 0;
  auto up = (*w)->exec(
      "INSERT INTO login_failures (username, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, "
      "locked_until = excluded.locked_until",
      {name, failures, now, locked_until});
  if (!up.ok()) return up.take_error();
  return {};
}

// Whether `source` may try `username`'s account now: not while either lock holds.
Status Identity::check_not_locked(const std::string& username, std::string_view source, Millis now) {
  const std::string address_key = std::string(source) + "\n" + username;
  Millis until = 0;
  {
    std::lock_guard lock(mu_);
    if (address_locked_locked(address_key, now)) until = address_failures_[address_key].locked_until;
  }
  if (!until) {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    auto lock = (*r)->query("SELECT locked_until FROM login_failures WHERE username = ?", {username});
    if (!lock.ok()) return lock.take_error();
    if (!lock->empty() && (*lock)[0].i64(0) > now) until = (*lock)[0].i64(0);
  }
  if (!until) return {};
  ANJIAN_TRY(audit(nullptr, nullptr, "login.locked", "user:" + username, "denied", source));
  const auto minutes = (until - now + 59999) / 60000;
  return Error{"locked", "登录失败次数过多，账户已锁定，请 " + std::to_string(minutes) + " 分钟后再试", ""};
}

// Counts a failed password or code, audits it, and answers `wrong` — or locked when this failure
// was the one too many.
Error Identity::failed_attempt(const std::string& username, std::string_view source, Millis now, std::string_view reason, Error wrong) {
  if (auto s = register_failure(username, source, now); !s.ok()) return s.error();
  if (auto s = audit(nullptr, nullptr, "login", "user:" + username, "failure", source,
                     json_text(json::object{{"reason", std::string(reason)}}));
      !s.ok())
    return s.error();
  bool locked_now = false;
  {
    std::lock_guard lock(mu_);
    locked_now = address_locked_locked(std::string(source) + "\n" + username, now + 1);
  }
  auto r = db_.read();
  if (r.ok() && !locked_now) {
    auto lock = (*r)->query("SELECT locked_until FROM login_failures WHERE username = ?", {username});
    locked_now = lock.ok() && !lock->empty() && (*lock)[0].i64(0) > now;
  }
  if (locked_now) {
    if (auto s = audit(nullptr, nullptr, "lockout", "user:" + username, "success", source); !s.ok()) return s.error();
    return Error{"locked", "登录失败次数过多，账户已锁定 " + std::to_string(options_.lock_ms / 60000) + " 分钟", ""};
  }
  return wrong;
}

Result<LoginResult> Identity::login(std::string_view username_in, std::string_view password, std::string_view source,
                                    std::string_view code) {
  std::string username(trim(username_in));
  if (username.empty() || username.size() > 64 || !is_valid_utf8(username))
    return Error::invalid_field("username", "用户名不能为空，且不超过 64 个字节");
  if (password.empty() || password.size() > 256) return Error::invalid_field("password", "密码不能为空");
  if (code.size() > 64) return Error::invalid_field("code", "动态口令格式不正确");
  const Millis now = now_ms();
  ANJIAN_TRY(check_not_locked(username, source, now));

  std::optional<std::string> user_id, hash;
  {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    auto row = (*r)->query("SELECT id, password_hash FROM users WHERE username = ?", {username});
    if (!row.ok()) return row.take_error();
    if (!row->empty()) {
      user_id = (*row)[0].str(0);
      hash = (*row)[0].str(1);
    }
  }
  const bool ok = hash ? verify_password(*hash, password) : (burn_verification_time(), false);
  if (!ok) return failed_attempt(username, source, now, "bad_credentials", unauthenticated());

  // The second factor, when the account has one: in the same request (code), or in a second one
  // with the challenge this answer carries (the console asks for the code after the password).
  auto factor = second_factor_enabled(*user_id);
  if (!factor.ok()) return factor.take_error();
  if (*factor) {
    if (code.empty()) return open_challenge(*user_id, username, source, now);
    auto right = check_second_factor(*user_id, code, now, source);
    if (!right.ok()) return right.take_error();
    if (!*right) return failed_attempt(username, source, now, "bad_second_factor", Error{"invalid_code", "动态口令错误或已使用", "code"});
  }
  return open_session(*user_id, username, source, now);
}

Result<LoginResult> Identity::open_session(const std::string& user_id, const std::string& username, std::string_view source, Millis now) {
  const std::string target = "user:" + username;
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  auto principal = load_principal(**w, user_id);
  if (!principal.ok()) {
    ANJIAN_TRY(audit(&**w, nullptr, "login", target, "failure", source, R"({"reason":"disabled"})"));
    return principal.take_error();
  }
  std::string token = random_token(32);
  std::string token_hash = sha256_hex(token);
  const Millis expires = now + options_.session_absolute_ms;
  principal->session_hash = token_hash;
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("DELETE FROM login_failures WHERE username = ?", {username}));
    ANJIAN_TRY(c.exec("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, source) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      {token_hash, user_id, now, now, expires, std::string(source)}));
    ANJIAN_TRY(c.exec("UPDATE users SET last_login_at = ? WHERE id = ?", {now, user_id}));
    return audit(&c, &*principal, "login", "user:" + principal->user_id, "success", source);
  }));
  {
    std::lock_guard lock(mu_);
    prune_sessions_locked(now);
    sessions_[token_hash] = CachedSession{std::make_shared<Principal>(*principal), now, now, expires, now};
  }
  LoginResult out;
  out.token = std::move(token);
  out.expires_at = expires;
  out.principal = std::move(principal).value();
  return out;
}

Result<std::shared_ptr<const Principal>> Identity::authenticate(std::string_view token) {
  if (token.empty() || token.size() > 128) return unauthenticated("未登录或会话已过期");
  const std::string token_hash = sha256_hex(token);
  const Millis now = now_ms();
  bool persist = false;
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(token_hash);
    if (it != sessions_.end() && now - it->second.loaded_at < options_.recheck_after_ms) {
      CachedSession& s = it->second;
      if (now - s.last_seen > options_.session_idle_ms || now >= s.expires_at) {
        sessions_.erase(it);
        return unauthenticated("会话已过期，请重新登录");
      }
      s.last_seen = now;
      if (now - s.persisted_seen < options_.touch_every_ms) return s.principal;
      s.persisted_seen = now;
      persist = true;
    }
  }
  if (persist) {
    auto w = db_.write();
    if (w.ok()) (void)(*w)->exec("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", {now, token_hash});
    std::lock_guard lock(mu_);
    auto it = sessions_.find(token_hash);
    if (it != sessions_.end()) return it->second.principal;
  }

  // Not cached, or due for a re-read: the database decides.
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query("SELECT user_id, last_seen_at, expires_at, revoked_at FROM sessions WHERE token_hash = ?",
                         {token_hash});
  if (!row.ok()) return row.take_error();
  if (row->empty()) return unauthenticated("未登录或会话已过期");
  const db::Row& s = (*row)[0];
  Millis last_seen = s.i64(1);
  {
    std::lock_guard lock(mu_);
    auto it = sessions_.find(token_hash);
    if (it != sessions_.end()) last_seen = std::max(last_seen, it->second.last_seen);
  }
  if (!s.null(3) || now >= s.i64(2) || now - last_seen > options_.session_idle_ms) {
    std::lock_guard lock(mu_);
    sessions_.erase(token_hash);
    return unauthenticated("会话已过期，请重新登录");
  }
  auto principal = load_principal(**r, s.str(0));
  if (!principal.ok()) return unauthenticated("会话已失效");
  principal->session_hash = token_hash;
  auto shared = std::make_shared<const Principal>(std::move(principal).value());
  std::lock_guard lock(mu_);
  prune_sessions_locked(now);
  sessions_[token_hash] = CachedSession{shared, now, last_seen, s.i64(2), now};
  return shared;
}

Result<bool> Identity::session_stands(std::string_view token) {
  if (token.empty() || token.size() > 128) return false;
  const std::string token_hash = sha256_hex(token);
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query(
      "SELECT s.last_seen_at, s.expires_at, s.revoked_at, u.disabled, u.must_change_password FROM sessions s "
      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
      {token_hash});
  if (!row.ok()) return row.take_error();
  if (row->empty()) return false;
  const db::Row& s = (*row)[0];
  const Millis now = now_ms();
  Millis last_seen = s.i64(0);
  {
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(token_hash); it != sessions_.end()) last_seen = std::max(last_seen, it->second.last_seen);
  }
  return s.null(2) && now < s.i64(1) && now - last_seen <= options_.session_idle_ms && s.i64(3) == 0 && s.i64(4) == 0;
}

Status Identity::move_enterprise_org_in(db::Connection& tx, const std::string& uscc, const std::string& region_code) {
  ANJIAN_TRY(tx.exec("UPDATE orgs SET region_code = ?, updated_at = ?, version = version + 1 WHERE kind = 'enterprise' AND uscc = ?",
                     {region_code, now_ms(), uscc}));
  std::lock_guard lock(mu_);
  sessions_.clear();  // cached principals carry the org's region; moves are rare
  return {};
}

Status Identity::logout(const Principal& who, std::string_view source) {
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE sessions SET revoked_at = ? WHERE token_hash = ?", {now_ms(), who.session_hash}));
    return audit(&c, &who, "logout", "user:" + who.user_id, "success", source);
  }));
  std::lock_guard lock(mu_);
  sessions_.erase(who.session_hash);
  return {};
}

Status Identity::change_password(const Principal& who, std::string_view old_password, std::string_view new_password,
                                 std::string_view source) {
  const Millis now = now_ms();
  std::string hash;
  {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    // Guessing the old password through a session is guessing a login: the same count, the same lock.
    auto lock = (*r)->query("SELECT locked_until FROM login_failures WHERE username = ?", {who.username});
    if (!lock.ok()) return lock.take_error();
    bool address_locked = false;
    {
      std::lock_guard guard(mu_);
      address_locked = address_locked_locked(std::string(source) + "\n" + who.username, now);
    }
    if (address_locked || (!lock->empty() && (*lock)[0].i64(0) > now))
      return Error{"locked", "原密码错误次数过多，账户已锁定，请稍后再试", ""};
    auto row = (*r)->query_one("SELECT password_hash FROM users WHERE id = ?", {who.user_id});
    if (!row.ok()) return row.take_error();
    hash = row->str(0);
  }
  if (!verify_password(hash, old_password)) {
    ANJIAN_TRY(register_failure(who.username, source, now));
    bool address_locked = false;
    {
      std::lock_guard guard(mu_);
      address_locked = address_locked_locked(std::string(source) + "\n" + who.username, now + 1);
    }
    auto w = db_.write();
    if (!w.ok()) return w.take_error();
    ANJIAN_TRY(audit(&**w, &who, "password.change", "user:" + who.user_id, "failure", source));
    auto lock = (*w)->query("SELECT locked_until FROM login_failures WHERE username = ?", {who.username});
    if (address_locked || (lock.ok() && !lock->empty() && (*lock)[0].i64(0) > now)) {
      // Locked: the sessions end too, this one included (whoever holds it is guessing).
      ANJIAN_TRY((*w)->exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {now, who.user_id}));
      forget_sessions_of(who.user_id);
      ANJIAN_TRY(audit(&**w, &who, "lockout", "user:" + who.user_id, "success", source));
      return Error{"locked", "原密码错误次数过多，账户已锁定 " + std::to_string(options_.lock_ms / 60000) + " 分钟", ""};
    }
    return Error{"invalid_password", "原密码不正确", "old_password"};
  }
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY(check_password_policy(new_password, who.username));
  if (old_password == new_password) return Error{"weak_password", "新密码不能与原密码相同", "password"};
  const std::string new_hash = hash_password(new_password);
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("DELETE FROM login_failures WHERE username = ?", {who.username}));
    ANJIAN_TRY(c.exec("UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 0, "
                      "updated_at = ?, version = version + 1 WHERE id = ?",
                      {new_hash, now, now, who.user_id}));
    // Other sessions of this user end; this one stays.
    ANJIAN_TRY(c.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND token_hash <> ? AND revoked_at IS NULL",
                      {now, who.user_id, who.session_hash}));
    return audit(&c, &who, "password.change", "user:" + who.user_id, "success", source);
  }));
  forget_sessions_of(who.user_id);
  return {};
}

void Identity::prune_sessions_locked(Millis now) {
  if (now - pruned_at_ < std::min<Millis>(60'000, options_.session_idle_ms / 2)) return;
  pruned_at_ = now;
  for (auto it = sessions_.begin(); it != sessions_.end();)
    it = (now >= it->second.expires_at || now - it->second.last_seen > options_.session_idle_ms) ? sessions_.erase(it) : std::next(it);
}

size_t Identity::cached_sessions() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

void Identity::forget_sessions_of(std::string_view user_id) {
  std::lock_guard lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();)
    it = it->second.principal->user_id == user_id ? sessions_.erase(it) : std::next(it);
}

// ---- organizations ----

Result<Org> Identity::create_org(const Principal& who, Org org, std::string_view source) {
  if (org.kind == "regulator") {
    if (org.level == "national") {
      if (who.scope.kind() != Scope::Kind::all) return Error::forbidden("只有国家级管理员可以创建国家级机构");
      org.region_code.clear();
    } else {
      const codes::Region* region = regions_.find(org.region_code);
      if (!region || region->retired) return Error{"unknown_region", "行政区划代码不存在：" + org.region_code, "region_code"};
      const bool matches = std::string(codes::to_string(region->level)) == org.level ||
                           (org.level == "county" && region->county_equivalent);
      if (!matches)
        return Error::invalid_field("region_code", "行政区划 " + org.region_code + "（" + region->name + "）不是" + org.level + "级");
      if (!who.scope.covers_region(regions_, org.region_code))
        return Error::forbidden("该行政区划不在您的管辖范围内");
    }
  }
  const Millis now = now_ms();
  org.id = new_id();
  org.created_at = org.updated_at = now;
  org.version = 1;
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec(
        "INSERT INTO orgs (id, name, kind, level, region_code, regulator_kind, uscc, created_at, updated_at, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        {org.id, org.name, org.kind, org.level.empty() ? Value(nullptr) : Value(org.level),
         org.region_code.empty() ? Value(nullptr) : Value(org.region_code),
         org.regulator_kind.empty() ? Value(nullptr) : Value(org.regulator_kind),
         org.uscc.empty() ? Value(nullptr) : Value(org.uscc), now, now}));
    return audit(&c, &who, "org.create", "org:" + org.id, "success", source,
                 json_text(json::object{{"name", org.name}, {"region_code", org.region_code}}));
  }));
  return org;
}

Result<Org> Identity::get_org(const Scope& scope, std::string_view id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{std::string(id)};
  auto row = (*r)->query_one(std::string("SELECT ") + kOrgColumns + " FROM orgs WHERE id = ? AND " +
                                 org_scope_sql(scope, params),
                             params);
  if (!row.ok()) return row.take_error();
  return org_from(*row);
}

Result<std::vector<Org>> Identity::list_orgs(const Scope& scope) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  auto rows = (*r)->query(std::string("SELECT ") + kOrgColumns + " FROM orgs WHERE " + org_scope_sql(scope, params) +
                              " ORDER BY region_code, name LIMIT 5000",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Org> out;
  for (const auto& row : *rows) out.push_back(org_from(row));
  return out;
}

Result<std::string> Identity::nearest_regulator(db::Connection& c, const std::string& region_code) {
  const auto path = regions_.path(region_code);  // province first
  if (path.empty()) return std::string();
  std::vector<Value> codes;
  for (const auto* r : path) codes.emplace_back(r->code);
  // Notices are the work-safety regulators' (安全监管, 应急管理): a member department (安委会成员单位)
  // of the county has no jurisdiction over its enterprises, and must not take their notices.
  auto rows = c.query("SELECT DISTINCT region_code FROM orgs WHERE kind = 'regulator' AND regulator_kind IN ('safety', 'emergency') "
                      "AND region_code IN (" + db::placeholders(codes.size()) + ")",
                      codes);
  if (!rows.ok()) return rows.take_error();
  for (auto it = path.rbegin(); it != path.rend(); ++it)
    for (const auto& row : *rows)
      if (row.str(0) == (*it)->code) return (*it)->code;
  return std::string();
}

Result<std::map<std::string, Org>> Identity::regulators_at(db::Connection& c, const std::vector<std::string>& region_codes) {
  std::map<std::string, Org> out;
  if (region_codes.empty()) return out;
  std::vector<Value> codes(region_codes.begin(), region_codes.end());
  auto rows = c.query(std::string("SELECT ") + kOrgColumns + " FROM orgs WHERE kind = 'regulator' AND regulator_kind IN ('safety', 'emergency') "
                      "AND region_code IN (" + db::placeholders(codes.size()) + ") ORDER BY created_at, id", codes);
  if (!rows.ok()) return rows.take_error();
  for (const auto& row : *rows) {
    Org o = org_from(row);
    out.emplace(o.region_code, std::move(o));
  }
  return out;
}

// ---- users ----

Status Identity::check_roles_for_org(const std::vector<std::string>& roles, const Org& org) {
  if (roles.empty()) return Error::invalid_field("roles", "至少需要一个角色");
  for (const auto& r : roles) {
    if (!is_role(r)) return Error::invalid_field("roles", "未知角色：" + r);
    if (is_platform_role(r) && roles.size() > 1)
      return Error::invalid_field("roles", "三权分立：系统管理员、安全管理员、审计管理员须各用独立账号，不兼任其他角色");
    if (is_enterprise_role(r) != (org.kind == "enterprise"))
      return Error::invalid_field("roles", "角色 " + r + " 与机构类型不符");
  }
  return {};
}

// A platform administrator's account is granted, changed or disabled only by the 安全管理员 (and
// never by its own holder): the 系统管理员 makes accounts but cannot make itself, or anyone, an
// auditor; no one quietly disables the auditor.
Status Identity::check_platform_change(const Principal& who, const std::vector<std::string>& before,
                                       const std::vector<std::string>& after) {
  const bool platform = std::any_of(before.begin(), before.end(), [](const auto& r) { return is_platform_role(r); }) ||
                        std::any_of(after.begin(), after.end(), [](const auto& r) { return is_platform_role(r); });
  if (platform && !who.can(Action::security_manage))
    return Error{"forbidden", "三权分立：平台管理员账号的授予与变更只能由安全管理员进行", "roles"};
  return {};
}

Result<User> Identity::create_user(const Principal& who, NewUser u, std::string_view source) {
  if (u.username.size() < 3 || u.username.size() > 64 ||
      !std::all_of(u.username.begin(), u.username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
      }))
    return Error::invalid_field("username", "用户名为 3–64 位小写字母、数字、下划线、点或连字符");
  ANJIAN_TRY(check_password_policy(u.password, u.username));
  auto org = get_org(who.scope, u.org_id);
  if (!org.ok()) return Error{"not_found", "机构不存在或不在您的管辖范围内", "org_id"};
  ANJIAN_TRY(check_roles_for_org(u.roles, *org));
  // A platform administrator's account is the 安全管理员's to make; every other one the account managers'.
  const bool platform = std::any_of(u.roles.begin(), u.roles.end(), [](const auto& r) { return is_platform_role(r); });
  if (!platform && !who.can(Action::user_manage)) return Error::forbidden();
  ANJIAN_TRY(check_platform_change(who, {}, u.roles));
  const Millis now = now_ms();
  User out;
  out.id = new_id();
  out.username = u.username;
  out.display_name = u.display_name;
  out.org_id = u.org_id;
  out.org_name = org->name;
  out.roles = u.roles;
  out.must_change_password = u.must_change_password;
  out.created_at = out.updated_at = now;
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  const std::string password_hash = hash_password(u.password);
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    auto ins = c.exec(
        "INSERT INTO users (id, username, display_name, org_id, roles, password_hash, must_change_password, "
        "password_changed_at, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        {out.id, out.username, out.display_name, out.org_id, join_roles(out.roles), password_hash,
         std::int64_t{u.must_change_password}, now, now, now});
    if (!ins.ok()) {
      if (ins.error().code == "conflict") return Error::conflict("用户名已存在：" + u.username, "username");
      return ins.take_error();
    }
    return audit(&c, &who, "user.create", "user:" + out.id, "success", source,
                 json_text(json::object{{"username", out.username}, {"roles", join_roles(out.roles)}}));
  }));
  return out;
}

Result<User> Identity::get_user(const Scope& scope, std::string_view id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params{std::string(id)};
  auto row = (*r)->query_one(std::string("SELECT ") + kUserColumns +
                                 " FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ? AND " +
                                 org_scope_sql(scope, params, "o."),
                             params);
  if (!row.ok()) return row.take_error();
  return user_from(*row);
}

Result<std::vector<User>> Identity::list_users(const Scope& scope) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  auto rows = (*r)->query(std::string("SELECT ") + kUserColumns + ", u.last_login_at, f.enabled_at FROM users u JOIN orgs o ON o.id = u.org_id "
                              "LEFT JOIN user_second_factors f ON f.user_id = u.id AND f.enabled_at IS NOT NULL WHERE " +
                              org_scope_sql(scope, params, "o.") + " ORDER BY u.username LIMIT 5000",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<User> out;
  for (const auto& row : *rows) {
    out.push_back(user_from(row));
    out.back().last_login_at = row.i64(11);
    out.back().second_factor = !row.null(12);
  }
  // Who is locked out now: the administrator's list offers 解锁 only for them.
  auto locked = (*r)->query("SELECT username, locked_until FROM login_failures WHERE locked_until > ?", {now_ms()});
  if (!locked.ok()) return locked.take_error();
  for (const auto& l : *locked)
    for (auto& u : out)
      if (u.username == l.str(0)) u.locked_until = l.i64(1);
  // …and who is locked out from an address (their own office, typically): 解锁 clears that too.
  std::lock_guard lock(mu_);
  const Millis now = now_ms();
  for (const auto& [key, f] : address_failures_) {
    if (f.locked_until <= now) continue;
    const std::string name = key.substr(key.find('\n') + 1);
    for (auto& u : out)
      if (u.username == name) u.locked_until = std::max(u.locked_until, f.locked_until);
  }
  return out;
}

Status Identity::check_user_in_scope(const Scope& scope, std::string_view user_id) {
  auto u = get_user(scope, user_id);
  if (!u.ok()) return u.take_error();
  return {};
}

Result<User> Identity::update_user(const Principal& who, std::string_view id, std::int64_t expected_version,
                                   std::optional<std::string> display_name,
                                   std::optional<std::vector<std::string>> roles, std::optional<bool> disabled,
                                   std::string_view source) {
  if (!who.can(Action::user_manage) && !who.can(Action::security_manage)) return Error::forbidden();
  auto current = get_user(who.scope, id);
  if (!current.ok()) return current.take_error();
  if (current->version != expected_version)
    return Error{"precondition_failed", "记录已被他人修改（当前版本 " + std::to_string(current->version) + "），请刷新后重试", ""};
  if (roles) {
    auto org = get_org(Scope::all(), current->org_id);
    if (!org.ok()) return org.take_error();
    ANJIAN_TRY(check_roles_for_org(*roles, *org));
  }
  ANJIAN_TRY(check_platform_change(who, current->roles, roles.value_or(current->roles)));
  if (disabled && *disabled && current->id == who.user_id) return Error::invalid_field("disabled", "不能停用自己的账户");
  User u = *current;
  if (display_name) u.display_name = *display_name;
  if (roles) u.roles = *roles;
  if (disabled) u.disabled = *disabled;
  u.updated_at = now_ms();
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  json::object detail{{"before", {{"display_name", current->display_name}, {"roles", join_roles(current->roles)}, {"disabled", current->disabled}}},
                      {"after", {{"display_name", u.display_name}, {"roles", join_roles(u.roles)}, {"disabled", u.disabled}}}};
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    auto n = c.exec("UPDATE users SET display_name = ?, roles = ?, disabled = ?, updated_at = ?, version = version + 1 "
                    "WHERE id = ? AND version = ?",
                    {u.display_name, join_roles(u.roles), std::int64_t{u.disabled}, u.updated_at, u.id, expected_version});
    if (!n.ok()) return n.take_error();
    if (*n == 0) return Error{"precondition_failed", "记录已被他人修改，请刷新后重试", ""};
    if (u.disabled)
      ANJIAN_TRY(c.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {u.updated_at, u.id}));
    return audit(&c, &who, "user.update", "user:" + u.id, "success", source, json_text(detail));
  }));
  u.version = expected_version + 1;
  forget_sessions_of(u.id);
  return u;
}

Status Identity::reset_password(const Principal& who, std::string_view id, std::string_view new_password,
                                std::string_view source) {
  ANJIAN_TRY(check_user_in_scope(who.scope, id));
  ANJIAN_TRY(check_password_policy(new_password));
  const Millis now = now_ms();
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  const std::string password_hash = hash_password(new_password);
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    // The user must choose a new password at the next login: the administrator knows this one.
    ANJIAN_TRY(c.exec("UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 1, "
                      "updated_at = ?, version = version + 1 WHERE id = ?",
                      {password_hash, now, now, std::string(id)}));
    ANJIAN_TRY(c.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {now, std::string(id)}));
    return audit(&c, &who, "user.reset_password", "user:" + std::string(id), "success", source);
  }));
  forget_sessions_of(id);
  return {};
}

Status Identity::unlock(const Principal& who, std::string_view id, std::string_view source) {
  auto u = get_user(who.scope, id);
  if (!u.ok()) return u.take_error();
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("DELETE FROM login_failures WHERE username = ?", {u->username}));
    return audit(&c, &who, "user.unlock", "user:" + u->id, "success", source);
  }));
  std::lock_guard lock(mu_);
  const std::string suffix = "\n" + u->username;
  for (auto it = address_failures_.begin(); it != address_failures_.end();)
    it = it->first.ends_with(suffix) ? address_failures_.erase(it) : std::next(it);
  return {};
}

Result<std::vector<SessionInfo>> Identity::list_sessions(const Scope& scope, std::string_view user_id) {
  ANJIAN_TRY(check_user_in_scope(scope, user_id));
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  const Millis now = now_ms();
  auto rows = (*r)->query("SELECT token_hash, user_id, source, created_at, last_seen_at, expires_at FROM sessions "
                          "WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ? "
                          "ORDER BY created_at DESC",
                          {std::string(user_id), now, now - options_.session_idle_ms - options_.touch_every_ms});
  if (!rows.ok()) return rows.take_error();
  std::vector<SessionInfo> out;
  for (const auto& row : *rows)
    out.push_back({row.str(0).substr(0, 16), row.str(1), row.str(2), row.i64(3), row.i64(4), row.i64(5)});
  return out;
}

Status Identity::revoke_session(const Principal& who, std::string_view user_id, std::string_view session_id,
                                std::string_view source) {
  ANJIAN_TRY(check_user_in_scope(who.scope, user_id));
  if (session_id.size() != 16) return Error::not_found();
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    auto n = c.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND substr(token_hash, 1, 16) = ? AND revoked_at IS NULL",
                    {now_ms(), std::string(user_id), std::string(session_id)});
    if (!n.ok()) return n.take_error();
    if (*n == 0) return Error::not_found();
    return audit(&c, &who, "session.revoke", "user:" + std::string(user_id), "success", source);
  }));
  forget_sessions_of(user_id);
  return {};
}

Result<std::vector<Identity::Bootstrapped>> Identity::bootstrap_admins(std::optional<std::string> password, bool must_change) {
  struct Account {
    const char* username;
    const char* role;
    const char* display_name;
  };
  static constexpr Account kAccounts[] = {{"admin", "sys_admin", "系统管理员"}, {"secadmin", "sec_admin", "安全管理员"},
                                          {"auditadmin", "audit_admin", "审计管理员"}};
  std::int64_t users = 0;
  std::set<std::string> platform_roles_held;
  std::optional<std::pair<std::string, std::string>> old_admin;  // id, roles of a pre-separation admin
  {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    auto rows = (*r)->query("SELECT id, username, roles FROM users");
    if (!rows.ok()) return rows.take_error();
    users = static_cast<std::int64_t>(rows->size());
    for (const auto& row : *rows) {
      for (const auto& role : split_roles(row.str(2)))
        if (is_platform_role(role)) platform_roles_held.insert(role);
      if (row.str(1) == "admin") old_admin = std::make_pair(row.str(0), row.str(2));
    }
  }
  if (users > 0 && !platform_roles_held.empty()) return std::vector<Bootstrapped>{};  // separated already
  if (password) ANJIAN_TRY(check_password_policy(*password));
  const Millis now = now_ms();
  std::vector<Bootstrapped> made;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    std::string org_id;
    auto org = c.query("SELECT id FROM orgs WHERE name = '系统管理' AND kind = 'regulator' AND level = 'national'");
    if (!org.ok()) return org.take_error();
    if (!org->empty()) {
      org_id = (*org)[0].str(0);
    } else {
      org_id = new_id();
      ANJIAN_TRY(c.exec("INSERT INTO orgs (id, name, kind, level, regulator_kind, created_at, updated_at, version) "
                        "VALUES (?, '系统管理', 'regulator', 'national', 'emergency', ?, ?, 1)",
                        {org_id, now, now}));
    }
    for (const auto& a : kAccounts) {
      const std::string pw = password.value_or("Aj-" + random_token(12));
      AuditEvent e;
      e.at = now;
      e.outcome = "success";
      if (old_admin && std::string_view(a.username) == "admin") {
        // The old all-powerful admin keeps its password and sessions' end; it is now the 系统管理员 only.
        ANJIAN_TRY(c.exec("UPDATE users SET roles = 'sys_admin', display_name = '系统管理员', updated_at = ?, version = version + 1 WHERE id = ?",
                          {now, old_admin->first}));
        ANJIAN_TRY(c.exec("DELETE FROM sessions WHERE user_id = ?", {old_admin->first}));
        e.action = "user.update";
        e.target = "user:" + old_admin->first;
        e.detail = json_text(json::object{{"username", "admin"}, {"before", {{"roles", old_admin->second}}}, {"after", {{"roles", "sys_admin"}}},
                                          {"reason", "三权分立"}});
        ANJIAN_TRY(audit_.record_in(c, std::move(e)));
        continue;
      }
      auto taken = c.query_one("SELECT COUNT(*) FROM users WHERE username = ?", {std::string(a.username)});
      if (!taken.ok()) return taken.take_error();
      if (taken->i64(0) > 0) return Error::conflict(std::string("用户名 ") + a.username + " 已被占用，无法建立" + a.display_name + "账号");
      const std::string user_id = new_id();
      ANJIAN_TRY(c.exec("INSERT INTO users (id, username, display_name, org_id, roles, password_hash, must_change_password, "
                        "password_changed_at, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                        {user_id, std::string(a.username), std::string(a.display_name), org_id, std::string(a.role), hash_password(pw),
                         std::int64_t{must_change}, now, now, now}));
      e.action = "user.bootstrap";
      e.target = "user:" + user_id;
      e.detail = json_text(json::object{{"username", a.username}, {"roles", a.role}});
      ANJIAN_TRY(audit_.record_in(c, std::move(e)));
      made.push_back({a.username, a.role, password ? std::string() : pw});
    }
    return true;
  });
  if (!done.ok()) return done.take_error();
  return made;
}

}  // namespace anjian::auth
