#include "auth/personal_data.h"

#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/signature.h"
#include "db/database.h"

#include <boost/json.hpp>

namespace anjian::auth {
namespace {
constexpr std::string_view kPrefix = "sm4:";

long long mtime_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

// "sm4:ID:…" → ID, or "" when not sealed.
std::string_view key_id_of(std::string_view stored) {
  if (!stored.starts_with(kPrefix)) return {};
  stored.remove_prefix(kPrefix.size());
  const size_t colon = stored.find(':');
  return colon == std::string_view::npos ? std::string_view() : stored.substr(0, colon);
}
}  // namespace

PersonalData& PersonalData::instance() {
  static PersonalData p;
  return p;
}

Status PersonalData::use_key_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    // Created 0600 and never over an existing file (another process may make it at the same time).
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const std::string text = Keyring::generate_text();
      const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) return Error{"invalid_config", "无法写密钥文件 " + path, "keys"};
      spdlog::warn("personal data key file {} created: keep a copy apart from the data and its backups", path);
    }
  }
  auto ring = Keyring::load(path);
  if (!ring.ok()) return ring.take_error();
  std::lock_guard lock(mu_);
  if (std::find(files_.begin(), files_.end(), path) == files_.end()) {
    files_.push_back(path);
    seen_.emplace_back(path, mtime_of(path));
  }
  // This file's keys go first: the last App opened seals with its own current key.
  std::vector<sm4::Key> keys = ring->keys();
  for (auto& k : keys_)
    if (!ring->find(k.id)) keys.push_back(std::move(k));
  keys_ = std::move(keys);
  prepare();
  if (index_.empty()) index_ = ring->index_secret();
  return {};
}

void PersonalData::prepare() {
  const auto before = sealers_.load();
  auto ready = std::make_shared<Sealers>();
  for (const auto& k : keys_) {
    auto same = std::find_if(before->begin(), before->end(), [&](const auto& s) { return s->id() == k.id; });
    ready->push_back(same != before->end() ? *same : std::make_shared<const sm4::Sealer>(k));
  }
  sealers_.store(std::move(ready));
}

void PersonalData::reload_if_changed(Millis now, bool force) {
  // REQUIRES: mu_ held.
  if (!force && now - checked_at_ < kReloadEveryMs) return;
  checked_at_ = now;
  for (auto& [path, mtime] : seen_) {
    const long long m = mtime_of(path);
    if (m == mtime) continue;
    mtime = m;
    if (m < 0) continue;  // gone (a test's folder removed): the keys read stay in memory
    auto ring = Keyring::load(path);
    if (!ring.ok()) {
      spdlog::error("personal data keys: {}", ring.error().message);
      continue;
    }
    std::vector<sm4::Key> keys = ring->keys();
    for (auto& k : keys_)
      if (!ring->find(k.id)) keys.push_back(std::move(k));
    keys_ = std::move(keys);
    prepare();
    spdlog::info("personal data keys reloaded from {}: current key {}", path, keys_.front().id);
  }
}

std::string PersonalData::seal(std::string_view plain) {
  if (plain.empty()) return {};
  std::shared_ptr<const sm4::Sealer> sealer;
  {
    std::lock_guard lock(mu_);
    if (keys_.empty()) {
      // Only code that runs without an App (benchmarks, storage tests) gets here: App::open always
      // gives a key file. Such values live as long as the process.
      spdlog::warn("personal data sealed with a key of this process only (no key file given)");
      keys_.push_back(sm4::generate("ephemeral"));
      prepare();
      if (index_.empty()) index_ = sm4::generate("index").secret;
    }
    reload_if_changed(now_ms(), false);
    sealer = sealers_.load()->front();
  }
  return std::string(kPrefix) + sealer->id() + ":" + base64_encode(sealer->seal(plain));
}

std::optional<std::string> PersonalData::seal(const std::optional<std::string>& plain) {
  if (!plain) return std::nullopt;
  return seal(std::string_view(*plain));
}

std::string PersonalData::open(std::string_view stored) {
  const std::string_view id = key_id_of(stored);
  if (id.empty()) return std::string(stored);  // written before sealing began
  auto body = base64_decode(stored.substr(kPrefix.size() + id.size() + 1));
  auto find = [&]() -> std::shared_ptr<const sm4::Sealer> {
    const auto snapshot = sealers_.load();  // held: a range over a temporary's member would dangle
    for (const auto& k : *snapshot)
      if (k->id() == id) return k;
    return nullptr;
  };
  std::shared_ptr<const sm4::Sealer> key = find();
  if (!key) {
    // Sealed by a key this process has not read yet (`anjian keys rotate` elsewhere).
    std::lock_guard lock(mu_);
    reload_if_changed(now_ms(), true);
    key = find();
  }
  std::optional<std::string> plain = key && body.ok() ? key->open(*body) : std::nullopt;
  if (!plain) {
    spdlog::error("personal data sealed with key {} cannot be opened ({})", std::string(id), key ? "altered" : "unknown key");
    return std::string(kUnreadable);
  }
  return std::move(*plain);
}

std::optional<std::string> PersonalData::open(const std::optional<std::string>& stored) {
  if (!stored) return std::nullopt;
  return open(std::string_view(*stored));
}

std::string PersonalData::digest(std::string_view plain) {
  std::lock_guard lock(mu_);
  return sm4::hmac_sm3_hex(index_, plain);
}

bool PersonalData::sealed_with_current(std::string_view stored) {
  std::lock_guard lock(mu_);
  return !keys_.empty() && key_id_of(stored) == keys_.front().id;
}

std::string PersonalData::current_key_id() {
  std::lock_guard lock(mu_);
  reload_if_changed(now_ms(), true);
  return keys_.empty() ? "" : keys_.front().id;
}

bool PersonalData::ready() {
  std::lock_guard lock(mu_);
  return !keys_.empty();
}

void PersonalData::add_column(SealedColumn c) {
  std::lock_guard lock(mu_);
  for (const auto& have : columns_)
    if (have.table == c.table && have.column == c.column) return;
  columns_.push_back(std::move(c));
}

std::vector<SealedColumn> PersonalData::columns() {
  std::lock_guard lock(mu_);
  return columns_;
}

boost::json::object field_names(const boost::json::object& fields) {
  boost::json::array names;
  for (const auto& kv : fields) names.emplace_back(kv.key());
  return {{"fields", std::move(names)}};
}

Result<ResealReport> reseal_columns(db::Database& db, size_t batch) {
  auto& pd = PersonalData::instance();
  ResealReport report;
  const std::string current = pd.current_key_id();
  const std::string sealed_now = std::string(kPrefix) + current + ":%";
  for (const auto& col : pd.columns()) {
    // Paged by key so that a value no key opens is passed once, not met again forever. Table and
    // column names are the modules' constants.
    std::optional<db::Value> after;
    auto id_of = [&](const db::Row& r) { return col.integer_id ? db::Value(r.i64(0)) : db::Value(r.str(0)); };
    for (;;) {
      auto conn = db.read();
      if (!conn.ok()) return conn.take_error();
      const std::string sql = "SELECT " + col.id_column + ", " + col.column + " FROM " + col.table + " WHERE " + col.column +
                              " IS NOT NULL AND " + col.column + " <> '' AND " + col.column + " NOT LIKE ?" +
                              (after ? " AND " + col.id_column + " > ?" : "") + " ORDER BY " + col.id_column + " LIMIT " +
                              std::to_string(batch);
      std::vector<db::Value> params{sealed_now};
      if (after) params.push_back(*after);
      auto rows = (*conn)->query(sql, params);
      if (!rows.ok()) return rows.take_error();
      if (rows->empty()) break;
      std::vector<std::tuple<db::Value, std::string, std::string>> changes;  // id, old, new
      for (const auto& r : *rows) {
        const std::string old = r.str(1);
        const std::string plain = pd.open(old);
        if (plain == PersonalData::kUnreadable) {
          ++report.unreadable;
          continue;
        }
        changes.emplace_back(id_of(r), old, pd.seal(plain));
      }
      after = id_of(rows->back());
      const std::string update =
          "UPDATE " + col.table + " SET " + col.column + " = ? WHERE " + col.id_column + " = ? AND " + col.column + " = ?";
      auto done = db::with_transaction(db, [&](db::Connection& tx) -> Result<std::int64_t> {
        std::int64_t n = 0;
        for (const auto& [id, old, sealed] : changes) {
          // Only if unchanged since read: a concurrent edit keeps its own (already sealed) value.
          auto changed = tx.exec(update, {sealed, id, old});
          if (!changed.ok()) return changed.take_error();
          n += *changed;
        }
        return n;
      });
      if (!done.ok()) return done.take_error();
      report.resealed += *done;
    }
  }
  return report;
}

}  // namespace anjian::auth
