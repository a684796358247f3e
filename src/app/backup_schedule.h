#pragma once
// The server's nightly backup ([backup] in the settings): after daily_at (Beijing time), once a
// day, `anjian backup` into the folder as anjian-YYYYMMDD-HHMM.backup, then the older files pruned
// to keep_daily and keep_weekly (base/retention.h). Runs on the jobs thread; a failure is logged and
// tried again at the next tick an hour later.
#include <string>

#include "app/config.h"
#include "base/result.h"
#include "base/time.h"
#include "db/database.h"

namespace anjian::app {

class BackupSchedule {
 public:
  BackupSchedule(const Config& config, db::Database& db) : config_(config), db_(db) {}
  // Called every tick: makes tonight's backup when it is due and not made yet.
  void tick(Millis now);
  // Makes one now and prunes (also for tests). Returns the file written.
  Result<std::string> run(Millis now);

 private:
  const Config& config_;
  db::Database& db_;
  std::int64_t done_day_ = -1;  // the Beijing day whose backup is made (or found)
  Millis retry_after_ = 0;
};

}  // namespace anjian::app
