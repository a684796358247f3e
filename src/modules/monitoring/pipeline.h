#pragma once
// The ingestion pipeline, one for all doors (HTTP now; MQTT and coal-mine files to come):
// validate → evaluate alarms → write readings and alarm changes durably in one transaction →
// only then update the in-memory state and acknowledge. A reading acknowledged is committed and
// synced (SQLite synchronous=FULL, PostgreSQL synchronous_commit), and a failed write leaves the
// memory as it was, so the sender's retry is not mistaken for a duplicate.
//
// Thread-safe: batches are applied one at a time (the database has one writer anyway).
#include <boost/json/object.hpp>

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/scope.h"
#include "db/database.h"
#include "modules/monitoring/alarm_rules.h"
#include "modules/monitoring/point.h"

namespace anjian::monitoring {

struct Rejected {
  size_t index = 0;
  std::string code, message;
};

struct IngestReport {
  size_t accepted = 0, duplicates = 0;
  std::vector<Rejected> rejected;
  size_t alarms_raised = 0;
};

struct Latest {
  Point point;
  std::optional<Millis> ts;
  double value = 0;
  Level level = Level::none;
  bool offline = false;
  std::string fault;
};

class Pipeline {
 public:
  explicit Pipeline(db::Database& db) : db_(db) {}

  // A batch {"readings":[{"point","ts","value","quality"}, …]} from the enterprise `uscc`.
  // Errors (nothing stored): invalid_json, invalid_field (batch shape), too_large (over 10,000).
  Result<IngestReport> ingest(const std::string& uscc, const boost::json::object& batch);
  // The latest value and alarm state of each point of an enterprise. REQUIRES: scope checked.
  Result<std::vector<Latest>> latest(const std::string& uscc);
  // Forget what is cached of an enterprise's points (called when a point changes).
  void invalidate(const std::string& uscc);
  // Raises `offline` for every point that has sent nothing for its offline_periods × period (run
  // periodically by the server; `now` is a parameter so that tests need not wait). Returns how many.
  Result<size_t> check_offline(Millis now);

  // Called after each commit with each alarm change, as the stream's message text, and the
  // enterprise's region and code (so that only users in scope receive it).
  using Publish = std::function<void(const std::string& text, const std::string& region_code, const std::string& uscc)>;
  void on_alarm(Publish fn) { publish_ = std::move(fn); }

  static constexpr size_t kMaxBatch = 10'000;
  static constexpr Millis kMaxFuture = 5 * 60 * 1000;  // clocks of gateways drift, not by more

 private:
  struct Runtime {
    Point point;
    std::string region_code;  // the enterprise's, for the stream's scope
    PointConfig config;
    PointState state;
    std::deque<Millis> recent;                    // recent timestamps, for duplicate detection
    std::map<AlarmType, std::string> open_alarm;  // type → id of the open alarm
  };
  Result<std::unordered_map<std::string, Runtime>*> points_of(db::Connection& c, const std::string& uscc);

  void announce(const Runtime& rt, const AlarmChange& change, const std::string& id) const;
  db::Database& db_;
  Publish publish_;
  std::mutex mu_;
  std::unordered_map<std::string, std::unordered_map<std::string, Runtime>> enterprises_;  // uscc → code → runtime
  std::unordered_map<std::string, std::string> region_of_;                                 // uscc → region code
};

}  // namespace anjian::monitoring
