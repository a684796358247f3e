#pragma once
// `anjian backup` and `anjian restore`: one file that holds a consistent copy of the database
// (SQLite: VACUUM INTO, a snapshot read while the server goes on writing; PostgreSQL: pg_dump's
// custom format, one snapshot too), the data folder (evidence files, the node's key, open data)
// and the settings file; zstd-compressed, optionally SM4-encrypted, and closed by an SM3 digest
// (HMAC-SM3 when encrypted) that restore checks before it writes a byte.
//
// Layout: "ANJIAN-BACKUP 1\n", a JSON header line, the payload (zstd of entries, SM4-CBC over it
// when encrypted), "\nSM3 <64 hex>\n". An entry is a JSON line {"path","size"} and its bytes; the
// last is {"end":true,"entries":N}.
#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/sm4.h"
#include "base/time.h"
#include "db/database.h"

namespace anjian::app {

struct BackupOptions {
  std::string data_dir;       // the folder whose files are kept (the database's own files excepted)
  std::string db_url;         // sqlite:PATH or postgres://…
  std::string settings_file;  // the TOML file in use, kept as settings/anjian.toml (empty: none)
  // The personal-data key file: kept (as keys/personal.keys) only in an encrypted backup — in
  // clear beside the data it protects it would protect nothing.
  std::string keys_file;
  std::optional<sm4::Key> key;  // encrypts when given
};

struct BackupSummary {
  std::uint64_t bytes = 0, entries = 0;
  std::string digest;
  Millis took_ms = 0;
};

// Writes the backup to `to` (through a temporary name, synced, then renamed). `db` is the open
// database when the caller has one (the server's scheduled backup), else it is opened from the
// URL. Errors: invalid_argument, storage_error with the reason.
Result<BackupSummary> make_backup(const BackupOptions& options, const std::string& to, db::Database* db = nullptr);

struct RestoreOptions {
  std::string data_dir;  // must be absent or empty
  std::string db_url;    // PostgreSQL backups: the empty database to restore into (else the dump is left in DATA)
  std::optional<sm4::Key> key;
};

struct RestoreSummary {
  std::uint64_t entries = 0;
  std::string backend;         // "sqlite" or "postgres"
  std::string created_at;      // when the backup was made
  std::string database_file;   // where the database went (SQLite file, or the dump when not restored)
  bool settings_restored = false;
};

// Checks the digest first (a damaged or altered file is refused with invalid_backup before
// anything is written), then writes the files into data_dir and, for PostgreSQL with db_url,
// runs pg_restore. Errors: invalid_backup, conflict (data_dir not empty), storage_error.
Result<RestoreSummary> restore_backup(const std::string& file, const RestoreOptions& options);

}  // namespace anjian::app
