// Identity's second factor (TOTP, RFC 6238) and the accounts left unused: the parts of identity
// that 等保 level 3 adds to a password (GB/T 22239-2019 8.1.4.1 d: two or more authentication
// techniques for administrators, one of them cryptographic).
#include <boost/json.hpp>

#include <algorithm>

#include "auth/identity.h"
#include "auth/personal_data.h"
#include "base/crypto.h"
#include "base/json_text.h"
#include "base/qr_svg.h"
#include "base/totp.h"

namespace anjian::auth {
namespace json = boost::json;

namespace {

constexpr Millis kChallengeMs = 5 * 60 * 1000;
constexpr int kChallengeTries = 5;
constexpr int kRecoveryCodes = 10;

// A recovery code as typed: spaces, dashes and case forgiven ("abcd-efgh-ij" = "ABCDEFGHIJ").
std::string normalise_recovery(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

// Kept as a digest with the user's id, like a password that is used once: a stolen table of them
// opens nothing.
std::string recovery_digest(const std::string& user_id, std::string_view normalised) {
  return sha256_hex(user_id + ":" + std::string(normalised));
}

Millis unix_seconds(Millis ms) { return ms / 1000; }

}  // namespace

Result<bool> Identity::second_factor_enabled(const std::string& user_id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query("SELECT 1 FROM user_second_factors WHERE user_id = ? AND enabled_at IS NOT NULL", {user_id});
  if (!row.ok()) return row.take_error();
  return !row->empty();
}

Result<LoginResult> Identity::open_challenge(const std::string& user_id, const std::string& username, std::string_view source, Millis now) {
  std::string challenge = random_token(32);
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY((*w)->exec("DELETE FROM login_challenges WHERE expires_at < ?", {now}));
  ANJIAN_TRY((*w)->exec("INSERT INTO login_challenges (token_hash, user_id, source, expires_at, attempts) VALUES (?, ?, ?, ?, 0)",
                        {sha256_hex(challenge), user_id, std::string(source), now + kChallengeMs}));
  ANJIAN_TRY(audit(&**w, nullptr, "login.challenge", "user:" + username, "success", source));
  LoginResult out;
  out.challenge = std::move(challenge);
  out.expires_at = now + kChallengeMs;
  return out;
}

Result<LoginResult> Identity::complete_login(std::string_view challenge, std::string_view code, std::string_view source) {
  if (challenge.empty() || challenge.size() > 128) return Error{"unauthenticated", "登录已过期，请重新输入用户名和密码", ""};
  if (code.empty() || code.size() > 64) return Error::invalid_field("code", "请输入动态口令或恢复码");
  const Millis now = now_ms();
  const std::string hash = sha256_hex(challenge);
  std::string user_id, username;
  {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    auto row = (*r)->query("SELECT c.user_id, u.username FROM login_challenges c JOIN users u ON u.id = c.user_id "
                           "WHERE c.token_hash = ? AND c.expires_at > ? AND c.attempts < ?",
                           {hash, now, std::int64_t{kChallengeTries}});
    if (!row.ok()) return row.take_error();
    if (row->empty()) return Error{"unauthenticated", "登录已过期，请重新输入用户名和密码", ""};
    user_id = (*row)[0].str(0);
    username = (*row)[0].str(1);
  }
  ANJIAN_TRY(check_not_locked(username, source, now));
  auto right = check_second_factor(user_id, code, now, source);
  if (!right.ok()) return right.take_error();
  {
    // Released before what follows takes the writer again (SQLite has one).
    auto w = db_.write();
    if (!w.ok()) return w.take_error();
    // A wrong code spends a try; a right one spends the challenge (it opens one session).
    auto n = (*w)->exec(*right ? "DELETE FROM login_challenges WHERE token_hash = ?"
                               : "UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = ?",
                        {hash});
    if (!n.ok()) return n.take_error();
    if (*right && *n == 0) return Error{"unauthenticated", "登录已过期，请重新输入用户名和密码", ""};
  }
  if (!*right) return failed_attempt(username, source, now, "bad_second_factor", Error{"invalid_code", "动态口令错误或已使用", "code"});
  return open_session(user_id, username, source, now);
}

Result<bool> Identity::check_second_factor(const std::string& user_id, std::string_view code, Millis now, std::string_view source) {
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  auto row = (*w)->query("SELECT secret, last_step FROM user_second_factors WHERE user_id = ? AND enabled_at IS NOT NULL", {user_id});
  if (!row.ok()) return row.take_error();
  if (row->empty()) return false;
  const std::string key = PersonalData::instance().open((*row)[0].str(0));
  const std::int64_t last_step = (*row)[0].i64(1);
  const bool digits = code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) {
    if (key == PersonalData::kUnreadable) return Error{"unavailable", "动态口令密钥无法解密：请检查密钥文件", ""};
    auto step = totp::verify(key, code, unix_seconds(now));
    // RFC 6238 §5.2: a code is good once; one seen (or an older one) is refused.
    if (!step || static_cast<std::int64_t>(*step) <= last_step) return false;
    auto n = (*w)->exec("UPDATE user_second_factors SET last_step = ? WHERE user_id = ? AND last_step = ?",
                        {static_cast<std::int64_t>(*step), user_id, last_step});
    if (!n.ok()) return n.take_error();
    return *n == 1;  // two requests with the same code at once: one wins
  }
  const std::string normalised = normalise_recovery(code);
  if (normalised.size() != 10) return false;
  auto used = (*w)->exec("UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                         {now, user_id, recovery_digest(user_id, normalised)});
  if (!used.ok()) return used.take_error();
  if (*used == 0) return false;
  ANJIAN_TRY(audit(&**w, nullptr, "second_factor.recovery_used", "user:" + user_id, "success", source));
  return true;
}

Result<TotpEnrolment> Identity::begin_totp_enrolment(const Principal& who, std::string_view source) {
  auto state = second_factor_state(who.user_id);
  if (!state.ok()) return state.take_error();
  if (state->enabled) return Error::conflict("动态口令已启用；如需更换，请由安全管理员重置后重新绑定");
  const std::string key = random_bytes(20);  // 160 bits, as RFC 4226 recommends for HMAC-SHA1
  const Millis now = now_ms();
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("DELETE FROM user_second_factors WHERE user_id = ?", {who.user_id}));
    ANJIAN_TRY(c.exec("INSERT INTO user_second_factors (user_id, secret, enabled_at, last_step, created_at) VALUES (?, ?, NULL, 0, ?)",
                      {who.user_id, PersonalData::instance().seal(key), now}));
    return audit(&c, &who, "second_factor.enrol", "user:" + who.user_id, "success", source);
  }));
  TotpEnrolment out;
  out.secret = totp::base32_encode(key);
  out.otpauth_uri = totp::otpauth_uri(options_.issuer, who.username, key);
  out.qr_svg = qr_svg(out.otpauth_uri, 4);
  return out;
}

Result<std::vector<std::string>> Identity::confirm_totp_enrolment(const Principal& who, std::string_view code, std::string_view source) {
  const Millis now = now_ms();
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  auto row = (*w)->query("SELECT secret, enabled_at FROM user_second_factors WHERE user_id = ?", {who.user_id});
  if (!row.ok()) return row.take_error();
  if (row->empty()) return Error{"invalid_state", "请先开始绑定动态口令", ""};
  if (!(*row)[0].null(1)) return Error::conflict("动态口令已启用");
  const std::string key = PersonalData::instance().open((*row)[0].str(0));
  auto step = totp::verify(key, code, unix_seconds(now));
  if (!step) {
    ANJIAN_TRY(audit(&**w, &who, "second_factor.confirm", "user:" + who.user_id, "failure", source));
    // 400, not 401: the session stands (the console would take a 401 for a lost session).
    return Error::invalid_field("code", "动态口令不正确：请核对手机时间后重试");
  }
  std::vector<std::string> codes;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    const std::string c = totp::base32_encode(random_bytes(7)).substr(0, 10);  // 50 bits, read out as XXXXX-XXXXX
    codes.push_back(c.substr(0, 5) + "-" + c.substr(5));
  }
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE user_second_factors SET enabled_at = ?, last_step = ? WHERE user_id = ?",
                      {now, static_cast<std::int64_t>(*step), who.user_id}));
    ANJIAN_TRY(c.exec("DELETE FROM user_recovery_codes WHERE user_id = ?", {who.user_id}));
    for (const auto& rc : codes)
      ANJIAN_TRY(c.exec("INSERT INTO user_recovery_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)",
                        {who.user_id, recovery_digest(who.user_id, normalise_recovery(rc))}));
    return audit(&c, &who, "second_factor.confirm", "user:" + who.user_id, "success", source);
  }));
  forget_sessions_of(who.user_id);  // the session's principal no longer needs to enrol
  return codes;
}

Result<Identity::SecondFactorState> Identity::second_factor_state(std::string_view user_id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query("SELECT f.enabled_at, (SELECT COUNT(*) FROM user_recovery_codes c WHERE c.user_id = f.user_id AND c.used_at IS NULL) "
                         "FROM user_second_factors f WHERE f.user_id = ? AND f.enabled_at IS NOT NULL",
                         {std::string(user_id)});
  if (!row.ok()) return row.take_error();
  SecondFactorState s;
  if (row->empty()) return s;
  s.enabled = true;
  s.enabled_at = (*row)[0].i64(0);
  s.recovery_codes_left = static_cast<int>((*row)[0].i64(1));
  return s;
}

Status Identity::reset_second_factor(const Principal& who, std::string_view user_id, std::string_view source) {
  if (!who.can(Action::security_manage)) return Error::forbidden("三权分立：两步验证只能由安全管理员重置");
  auto u = get_user(who.scope, user_id);
  if (!u.ok()) return u.take_error();
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("DELETE FROM user_second_factors WHERE user_id = ?", {u->id}));
    ANJIAN_TRY(c.exec("DELETE FROM user_recovery_codes WHERE user_id = ?", {u->id}));
    ANJIAN_TRY(c.exec("DELETE FROM login_challenges WHERE user_id = ?", {u->id}));
    return audit(&c, &who, "second_factor.reset", "user:" + u->id, "success", source);
  }));
  forget_sessions_of(u->id);
  return {};
}

Result<size_t> Identity::disable_stale_accounts(Millis now) {
  if (options_.stale_account_days <= 0) return size_t{0};
  const Millis before = now - static_cast<Millis>(options_.stale_account_days) * 24 * 3600 * 1000;
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  auto rows = (*w)->query("SELECT id, username, roles FROM users WHERE disabled = 0 AND COALESCE(last_login_at, created_at) < ?", {before});
  if (!rows.ok()) return rows.take_error();
  static const Principal job = system_principal("accounts");
  size_t n = 0;
  for (const auto& row : *rows) {
    // The platform's administrators are not disabled by a clock: the last 安全管理员 would lock
    // everyone out of the platform. The 审计管理员 sees their logins instead.
    const std::string roles = row.str(2);
    if (roles.find("sys_admin") != std::string::npos || roles.find("sec_admin") != std::string::npos ||
        roles.find("audit_admin") != std::string::npos)
      continue;
    const std::string id = row.str(0);
    ANJIAN_TRY(atomically(**w, [&](db::Connection& c) -> Status {
      ANJIAN_TRY(c.exec("UPDATE users SET disabled = 1, updated_at = ?, version = version + 1 WHERE id = ? AND disabled = 0", {now, id}));
      ANJIAN_TRY(c.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {now, id}));
      return audit(&c, &job, "user.disable_stale", "user:" + id, "success", "",
                   json_text(json::object{{"username", row.str(1)}, {"days", options_.stale_account_days}}));
    }));
    forget_sessions_of(id);
    ++n;
  }
  return n;
}

}  // namespace anjian::auth
