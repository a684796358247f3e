#include "auth/api_keys.h"

#include "base/crypto.h"

namespace anjian::auth {
using db::Value;

namespace {
constexpr const char* kColumns = "id, enterprise_uscc, name, prefix, created_by, created_at, revoked_at, last_used_at";
ApiKey from_row(const db::Row& r) {
  return {r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.i64(5), r.opt_i64(6), r.opt_i64(7)};
}
}  // namespace

ApiSecret new_api_secret() {
  ApiSecret s;
  s.key = "ajk_" + random_token(32);
  s.prefix = s.key.substr(0, 10);
  s.hash = sha256_hex(s.key);
  return s;
}

std::optional<std::string> api_secret_hash(std::string_view presented) {
  if (!presented.starts_with("ajk_") || presented.size() > 100) return std::nullopt;
  return sha256_hex(presented);
}

AuditEvent ApiKeys::event(const Principal& who, const char* action, const std::string& uscc, const std::string& region,
                          const std::string& id, std::string_view source) const {
  return audit_event(who, action, "api_key:" + id, region, uscc, source);
}

Result<NewApiKey> ApiKeys::insert(db::Connection& c, const Principal& who, const std::string& uscc,
                                  const std::string& name) {
  NewApiKey k;
  const ApiSecret secret = new_api_secret();
  k.key = secret.key;
  k.record = {new_id(), uscc, name, secret.prefix, who.username, now_ms(), std::nullopt, std::nullopt};
  ANJIAN_TRY(c.exec("INSERT INTO api_keys (id, enterprise_uscc, name, prefix, key_hash, created_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    {k.record.id, uscc, name, k.record.prefix, secret.hash, who.username, k.record.created_at}));
  return k;
}

Result<NewApiKey> ApiKeys::create(const Principal& who, const std::string& uscc, const std::string& region_code,
                                  const std::string& name, std::string_view source) {
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<NewApiKey> {
    auto k = insert(c, who, uscc, name);
    if (!k.ok()) return k;
    ANJIAN_TRY(audit_.record_in(c, event(who, "api_key.create", uscc, region_code, k->record.id, source)));
    return k;
  });
}

Result<std::vector<ApiKey>> ApiKeys::list(const std::string& uscc) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM api_keys WHERE enterprise_uscc = ? ORDER BY created_at DESC", {uscc});
  if (!rows.ok()) return rows.take_error();
  std::vector<ApiKey> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

Status ApiKeys::revoke(const Principal& who, const std::string& uscc, const std::string& region_code, const std::string& id,
                       std::string_view source) {
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    auto n = c.exec("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND enterprise_uscc = ? AND revoked_at IS NULL",
                    {now_ms(), id, uscc});
    if (!n.ok()) return n.take_error();
    if (*n == 0) return Error::not_found("密钥不存在或已吊销");
    ANJIAN_TRY(audit_.record_in(c, event(who, "api_key.revoke", uscc, region_code, id, source)));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return {};
}

Result<NewApiKey> ApiKeys::rotate(const Principal& who, const std::string& uscc, const std::string& region_code,
                                  const std::string& id, std::string_view source) {
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<NewApiKey> {
    auto old = c.query_one("SELECT name FROM api_keys WHERE id = ? AND enterprise_uscc = ? AND revoked_at IS NULL", {id, uscc});
    if (!old.ok()) return Error::not_found("密钥不存在或已吊销");
    ANJIAN_TRY(c.exec("UPDATE api_keys SET revoked_at = ? WHERE id = ?", {now_ms(), id}));
    auto k = insert(c, who, uscc, old->str(0));
    if (!k.ok()) return k;
    ANJIAN_TRY(audit_.record_in(c, event(who, "api_key.rotate", uscc, region_code, id, source)));
    return k;
  });
}

Result<MachineIdentity> ApiKeys::authenticate(std::string_view key) {
  const auto hash = api_secret_hash(key);
  if (!hash) return Error{"unauthenticated", "API 密钥无效", ""};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query("SELECT k.id, k.enterprise_uscc, e.region_code FROM api_keys k JOIN enterprises e ON e.uscc = k.enterprise_uscc "
                         "WHERE k.key_hash = ? AND k.revoked_at IS NULL",
                         {*hash});
  if (!row.ok()) return row.take_error();
  if (row->empty()) return Error{"unauthenticated", "API 密钥无效或已吊销", ""};
  return MachineIdentity{(*row)[0].str(0), (*row)[0].str(1), (*row)[0].str(2)};
}

}  // namespace anjian::auth
