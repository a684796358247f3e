#pragma once
// Personal information at rest (等保 level 3, GB/T 39786): the phone numbers of safety managers,
// accident reporters, rescue contacts and duty officers, and the people present at inspections,
// are sealed with SM4 (base/sm4.h) before they reach the database and opened when read, so that
// the database file, its dumps and its replicas on disk hold no such number in clear.
//
// Stored form: "sm4:<key id>:<base64 of iv ‖ ciphertext ‖ HMAC-SM3>". A value without that prefix
// is a row from before sealing began: it is read as it is and sealed by the start-up pass.
//
// The keys are per process, as a key file is per machine: every App in the process (the
// federation demo runs two) adds its key file, and a value sealed under any of them opens. When
// `anjian keys rotate` (another process) puts a new current key in the file, this process reloads
// it — at once when it meets a value sealed with a key it does not know, and within
// kReloadEveryMs for what it seals.
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/keyring.h"
#include "base/result.h"
#include "base/sm4.h"
#include "base/time.h"

namespace anjian::db {
class Database;
}

namespace anjian::auth {

// A column that holds personal data, and the key of its table: the start-up pass and rotation
// walk these. Registered by the module that owns the table.
struct SealedColumn {
  std::string table, id_column, column;
  bool integer_id = false;  // the key is an integer (bound as one: SQLite orders integers before text)
};

class PersonalData {
 public:
  static constexpr Millis kReloadEveryMs = 5'000;
  static constexpr std::string_view kUnreadable = "（无法解密）";

  static PersonalData& instance();

  // Adds the keys of `path`; a missing file is created with new keys (0600). Errors: invalid_config.
  Status use_key_file(const std::string& path);

  // "" and nullopt stay as they are.
  std::string seal(std::string_view plain);
  std::string seal(const std::string& plain) { return seal(std::string_view(plain)); }
  std::optional<std::string> seal(const std::optional<std::string>& plain);
  // The plain text; kUnreadable (and a log line) when the key is unknown or the value was altered.
  std::string open(std::string_view stored);
  std::string open(const std::string& stored) { return open(std::string_view(stored)); }
  std::optional<std::string> open(const std::optional<std::string>& stored);
  // HMAC-SM3 under the index key: what a search compares when it must find a sealed value.
  std::string digest(std::string_view plain);

  bool sealed_with_current(std::string_view stored);
  std::string current_key_id();
  bool ready();

  void add_column(SealedColumn c);
  std::vector<SealedColumn> columns();

 private:
  void reload_if_changed(Millis now, bool force);
  std::mutex mu_;
  std::vector<std::string> files_;
  std::vector<std::pair<std::string, long long>> seen_;  // file, mtime when read
  std::vector<sm4::Key> keys_;                             // the current one first
  // keys_ made ready (same order), rebuilt when keys_ changes. Reading opens a value with the
  // snapshot alone (an atomic load, no lock): every GET of an enterprise opens a phone number, and
  // threads queueing on mu_ cost more than the cipher.
  using Sealers = std::vector<std::shared_ptr<const sm4::Sealer>>;
  std::atomic<std::shared_ptr<const Sealers>> sealers_{std::make_shared<const Sealers>()};
  void prepare();  // REQUIRES: mu_ held
  std::string index_;
  Millis checked_at_ = 0;
  std::vector<SealedColumn> columns_;
};

// Re-seals, `batch` rows a transaction, every value of the registered columns that is not sealed
// with the current key (first start: the rows written in clear before; rotation: the old key's).
// Returns the values re-sealed; values no key opens are left and counted in `unreadable`.
struct ResealReport {
  std::int64_t resealed = 0, unreadable = 0;
};
Result<ResealReport> reseal_columns(db::Database& db, size_t batch = 500);

// What the audit log keeps of an edit whose fields may carry personal data: {"fields":[names]},
// not the values (the log is append-only and hash-chained: a number in it could never be removed).
boost::json::object field_names(const boost::json::object& fields);

}  // namespace anjian::auth
