#pragma once
// The ingestion pipeline, one for all doors (HTTP, MQTT, coal-mine files):
// validate → evaluate alarms → write readings and alarm changes durably in one transaction →
// only then update the in-memory state and acknowledge. A reading acknowledged is committed and
// synced (SQLite synchronous=FULL, PostgreSQL synchronous_commit), and a failed write leaves the
// memory as it was, so the sender's retry is not mistaken for a duplicate.
//
// Group commit: batches that arrive while one group is being written wait, and the next writer
// takes all of them into one transaction and one sync (leader/follower; no thread of its own).
// Each batch is answered only after the commit that holds it.
#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/scope.h"
#include "db/database.h"
#include "modules/monitoring/alarm_rules.h"
#include "modules/monitoring/point.h"
#include "modules/monitoring/readings_format.h"

namespace anjian::monitoring {

struct IngestReport {
  size_t accepted = 0, duplicates = 0;
  std::vector<Rejected> rejected;
  size_t alarms_raised = 0;
};

// The newest timestamps of a point, to recognise a resent reading: the 64 largest accepted, kept
// sorted in a fixed ring (512 bytes a point, so that 100,000 points stay small). Because they are
// the largest, a timestamp at or after the oldest of them that is not among them is new for sure;
// only one older than all of them needs storage asked (RecentTimes::covers).
class RecentTimes {
 public:
  static constexpr size_t kSize = 64;
  bool contains(Millis t) const {
    for (size_t i = 0; i < size_; ++i)
      if (at(i) == t) return true;
    return false;
  }
  // Whether every accepted timestamp ≥ t is here (so absence means new).
  bool covers(Millis t) const { return size_ == kSize && t >= at(0); }
  void add(Millis t) {
    if (size_ == kSize) {
      if (t <= at(0)) return;  // older than all 64: nothing to remember
      head_ = (head_ + 1) % kSize;  // drop the oldest
      --size_;
    }
    // Mostly in order: appended at the end; otherwise moved into place.
    size_t i = size_;
    while (i > 0 && at(i - 1) > t) {
      slot(i) = at(i - 1);
      --i;
    }
    slot(i) = t;
    ++size_;
  }

 private:
  Millis at(size_t i) const { return ring_[(head_ + i) % kSize]; }
  Millis& slot(size_t i) { return ring_[(head_ + i) % kSize]; }
  std::array<Millis, kSize> ring_{};
  std::uint8_t head_ = 0, size_ = 0;
};

struct Latest {
  Point point;
  std::optional<Millis> ts;
  double value = 0;
  Level level = Level::none;
  bool offline = false;
  std::string fault;
  bool power_off = false, no_power_off = false;  // 断电 due; 超限未断电
};

class Pipeline {
 public:
  explicit Pipeline(db::Database& db) : db_(db) {}

  // A parsed batch from the enterprise `uscc` (its door authenticated the sender). Per reading:
  // unknown_point, inactive_point, future_timestamp. Errors (nothing stored): storage errors.
  Result<IngestReport> ingest(const std::string& uscc, ReadingBatch batch);
  // The latest value and alarm state of each point of an enterprise. REQUIRES: scope checked.
  Result<std::vector<Latest>> latest(const std::string& uscc);
  // After a restart: loads every enterprise with active points (their open alarms restore the
  // offline, fault and alarm states, so no duplicate is raised and the open ones can recover), and
  // takes the state of every point that sent readings since `since` from the log (its last value
  // and time, its recent timestamps), so that a gateway resending its last batch is recognised.
  // Every point is then watched from now: one that stays silent goes offline.
  Status warm_start(Millis since);
  // Reloads what is cached of an enterprise (called when it or a point of it changes); `watch`
  // (a point changed) loads it when it is not loaded yet, so that new points are watched at once.
  void invalidate(const std::string& uscc, bool watch = false);
  // Raises `offline` for every point from which nothing arrived for its offline_periods × period
  // (judged on the server's clock; a point never seen, from its creation or the server's start).
  // When every active point of an enterprise (a mine, a gateway) is silent at once, one
  // `network_down` alarm (联网中断) is raised for it instead, and its points' offline states are
  // held under it. Run periodically by the server; `now` is a parameter so that tests need not
  // wait. Returns how many alarms were raised.
  Result<size_t> check_offline(Millis now);

  // Called after each commit with each alarm change, as the stream's message text, and the
  // enterprise's region and code (so that only users in scope receive it).
  using Publish = std::function<void(const std::string& text, const std::string& region_code, const std::string& uscc)>;
  void on_alarm(Publish fn) { publish_ = std::move(fn); }
  // Readings for the stream's subscribers: `follows(point_id)` says whether anyone follows a point;
  // `send(point_id, text)` is called after each commit for each reading of a followed point.
  struct ReadingSink {
    std::function<bool()> any;
    std::function<bool(const std::string& point_id)> follows;
    std::function<void(const std::string& point_id, const std::string& text)> send;
  };
  void on_reading(ReadingSink sink) { readings_ = std::move(sink); }

  static constexpr Millis kMaxFuture = 5 * 60 * 1000;  // clocks of gateways drift, not by more

 private:
  // An open alarm of a point: its id, and the value furthest past its limit (kept with the alarm).
  struct OpenAlarm {
    std::string id;
    Level level = Level::none;
    double peak = 0;
    Millis peak_at = 0;
    bool peak_changed = false;  // to be written with the group
  };
  struct Runtime {
    Point point;
    std::string region_code;  // the enterprise's, for the stream's scope
    std::string enterprise_name;  // for the people the stream's alarms pop up to
    PointConfig config;
    PointState state;
    RecentTimes recent;                           // for duplicate detection
    std::map<AlarmType, OpenAlarm> open_alarm;    // type → the open alarm
    Runtime* feed = nullptr;                      // the linked 馈电 point (same enterprise)
    bool held = false;                            // offline under its enterprise's 联网中断, no alarm of its own
    // The group being written that has a working copy of this point, and the copy's index (the
    // leader finds it without a hash map; a stale group number means no copy yet).
    std::uint64_t group = 0;
    std::uint32_t work = 0;
  };
  using PointMap = std::unordered_map<std::string, Runtime>;  // code → runtime
  // The enterprise's points, loaded from the database on first use. REQUIRES: map_mu_ held
  // exclusively (it may add the enterprise).
  Result<PointMap*> points_of(db::Connection& c, const std::string& uscc);
  // points_of for callers that hold no lock on the map: shared to find, exclusive to load.
  Result<PointMap*> load_points(db::Connection& c, const std::string& uscc);

  struct Job {
    const std::string* uscc;
    ReadingBatch* batch;
    IngestReport report;
    std::optional<Error> error;
    bool done = false;
    std::vector<Runtime*> points;  // each reading's point (nullptr: unknown), found before queueing
    std::uint64_t unloads = 0;     // unloads_ when they were found
  };
  // Finds each reading's point on the caller's thread, in parallel with other requests, so that
  // the group's writer (one at a time) does not spend its time hashing point codes.
  Status resolve(Job& job);
  // Validates, evaluates and writes the jobs of one group in one transaction.
  void write_group(const std::vector<Job*>& group);
  // Which of these older readings storage holds already (the log and the points' chunks).
  template <typename Late>
  Result<std::set<std::pair<std::string, Millis>>> stored_times(db::Connection& c, const std::vector<Late>& late);
  void announce(const Runtime& rt, const AlarmChange& change, const std::string& id, bool late = false) const;
  void announce_network(const std::string& uscc, bool raised, const std::string& id, size_t points, Millis at) const;
  // Fills in what a loaded enterprise's runtimes need from each other and the clock: the feed
  // point links, and when a point never seen starts being watched.
  void link(PointMap& points);
  db::Database& db_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Job*> queue_;
  bool writing_ = false;
  std::uint64_t groups_ = 0;  // groups written, numbering Runtime::group
  Publish publish_;
  ReadingSink readings_;
  // mu_ serialises the writers and guards what a Runtime holds; map_mu_ guards the maps' shape
  // (which enterprises and points are there). Order: mu_ before map_mu_. Runtimes do not move
  // (map nodes), and one leaves only with its enterprise, which counts in unloads_.
  std::mutex mu_;
  std::shared_mutex map_mu_;
  std::unordered_map<std::string, PointMap> enterprises_;   // uscc → code → runtime
  std::unordered_map<std::string, std::string> region_of_;  // uscc → region code
  std::unordered_map<std::string, std::string> name_of_;    // uscc → enterprise name
  std::unordered_map<std::string, std::string> network_alarm_;  // uscc → its open 联网中断 alarm
  const Millis started_ = now_ms();  // a point never seen is watched from its creation or from here
  std::uint64_t unloads_ = 0;
};

}  // namespace anjian::monitoring
