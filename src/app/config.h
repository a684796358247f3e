#pragma once
// Settings of `anjian serve` and friends. Precedence: flag > environment (ANJIAN_…) > TOML file >
// default (API.md, Command line).
#include <optional>
#include <string>
#include <vector>

#include "auth/identity.h"
#include "http/rate_limit.h"
#include "base/result.h"
#include "db/database.h"
#include "exchange/module.h"
#include "modules/audit/archive.h"
#include "modules/emergency/resources.h"
#include "modules/enforcement/settings.h"
#include "modules/enterprise/model.h"
#include "files/limits.h"
#include "modules/monitoring/escalation.h"
#include "modules/monitoring/reading_store.h"

namespace anjian::app {

// [backup]: where the server's nightly backups go and how many it keeps.
struct BackupSettings {
  std::string dir;            // empty: no scheduled backups
  std::string key_file;       // SM4 key file (anjian keys init); empty: backups are not encrypted
  int hour = 2, minute = 30;  // daily_at = "02:30", local time
  int keep_daily = 7;         // the newest N backups
  int keep_weekly = 4;        // and one per week (the newest of each ISO week) for M more weeks
};

struct Config {
  std::string config_file;                 // the TOML file read, if any (backups keep it)
  std::string data_dir = "./var";          // where the SQLite file and other state live
  std::string db_url;                      // default: sqlite:DATA/anjian.db
  std::string listen = "127.0.0.1:8080";   // loopback by default: put nginx in front for others
  std::string web_dir;                     // default: web/dist beside the working folder, if built
  bool access_log = true;                  // one JSON line per request on stderr
  size_t threads = 0;                      // HTTP threads; 0: 2 × cores
  size_t body_limit_mb = 16;               // larger bodies get 413 (imports: 4 ×)
  // Addresses that may read /metrics without logging in ([metrics] open_to): a monitoring agent on
  // this machine by default. A request a proxy forwarded never counts as one of them.
  std::vector<std::string> metrics_open_to = {"127.0.0.1", "::1"};
  // [http] trusted_proxies: the reverse proxy in front (nginx on this machine: "127.0.0.1"), whose
  // X-Real-IP and X-Forwarded-Proto are believed. Empty: anjian faces clients itself.
  std::vector<std::string> trusted_proxies;
  // [http] search_per_minute, export_per_minute: the limits of expensive requests per user (an
  // address: four times); 0 turns one off.
  http::RateLimits rate_limits;
  // MQTT door: the broker to subscribe to (empty: no MQTT), and anjian's own credentials there.
  std::string mqtt_url, mqtt_username, mqtt_password, mqtt_client_id = "anjian";
  // Coal-mine networking files dropped here are taken and moved to done/ or failed/ (empty: off).
  std::string coal_dir;
  // When severe conditions go to the next level up ([monitoring] escalate_*_minutes).
  monitoring::EscalationSettings escalation;
  // Evidence files ([files] max_mb): the largest photo or PDF taken.
  files::FileLimits files;
  // A 一般 hidden danger overdue this many days goes to the county regulator ([hidden_dangers] report_overdue_general_days).
  std::int64_t report_overdue_general_days = 7;
  enforcement::Settings enforcement;  // [enforcement]
  // [accidents] auto_forward: a level that receives an accident report sends it on at once.
  bool accident_auto_forward = false;
  emergency::Settings emergency;  // [emergency] road_factor, [emergency.speed_kmh]
  exchange::ExchangeConfig exchange;  // [exchange] inbox_dir, outbox_dir, batch_changes
  monitoring::ReadingSettings readings;  // [readings] raw_retention_days, rollup_retention_days, share_rollups
  auth::SecurityOptions security;
  // [security] keys_file (or ANJIAN_KEYS_FILE): the SM4 keys that seal personal data. Empty: a
  // key file is made beside the data folder at the first start (data/../anjian-keys, 0600).
  std::string keys_file;
  BackupSettings backup;
  // [audit] online_days (≥ 180), archive_dir, archive_key_file: how long records stay online and
  // where older ones are archived (empty folders: beside the data, see audit_archive_of).
  audit::ArchiveSettings audit_archive;
  db::StorageOptions storage;
  enterprise::EnterpriseOptions enterprise;
};

// Flags as given on the command line; empty means "not given".
struct Flags {
  std::string config_file, data_dir, db_url, listen, web_dir, mqtt_url, coal_dir;
};

// Builds the configuration. Errors: invalid_config (unreadable or malformed TOML, bad value).
Result<Config> load_config(const Flags& flags);

// "HOST:PORT" → parts. Errors: invalid_config.
Result<std::pair<std::string, std::uint16_t>> split_listen(const std::string& listen);

}  // namespace anjian::app
