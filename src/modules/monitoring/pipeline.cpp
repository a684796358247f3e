#include "modules/monitoring/pipeline.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "base/crypto.h"
#include "modules/monitoring/chunk_format.h"
#include "db/log_format.h"
#include "modules/monitoring/reading_store.h"
#include "modules/monitoring/point_repo.h"

namespace anjian::monitoring {
namespace json = boost::json;
using db::Value;

namespace {
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();  // end of a chain of indices
}  // namespace

void Pipeline::invalidate(const std::string& uscc, bool watch) {
  std::lock_guard lock(mu_);
  std::unique_lock shape(map_mu_);
  // Keep the alarm state of points that stay: reload their configuration only.
  auto it = enterprises_.find(uscc);
  if (it == enterprises_.end()) {
    // Its points changed and it is not loaded yet: load it now, so that its points are watched
    // from their creation (a point that never sends goes offline).
    if (auto r = db_.read(); watch && r.ok()) (void)points_of(**r, uscc);
    return;
  }
  auto unload = [&] {
    enterprises_.erase(it);
    ++unloads_;
  };
  auto r = db_.read();
  if (!r.ok()) return unload();
  // The enterprise itself may have moved (its alarms then go to its new county) or been renamed.
  auto owner = (*r)->query("SELECT region_code, name FROM enterprises WHERE uscc = ?", {uscc});
  if (!owner.ok() || owner->empty()) return unload();
  region_of_[uscc] = (*owner)[0].str(0);
  name_of_[uscc] = (*owner)[0].str(1);
  auto rows = (*r)->query(std::string("SELECT ") + kPointColumns + " FROM monitoring_points p WHERE p.enterprise_uscc = ?", {uscc});
  if (!rows.ok()) return unload();
  for (const auto& row : *rows) {
    Point p = point_from_row(row);
    Runtime& rt = it->second[p.code];
    rt.region_code = region_of_[uscc];
    rt.enterprise_name = name_of_[uscc];
    rt.point = p;
    rt.config = config_of(p);
  }
  link(it->second);
}

void Pipeline::link(PointMap& points) {
  for (auto& [code, rt] : points) {
    auto feed = rt.point.feed_point.empty() ? points.end() : points.find(rt.point.feed_point);
    rt.feed = feed == points.end() ? nullptr : &feed->second;
    if (!rt.state.seen && rt.state.last_arrival == 0) rt.state.last_arrival = std::max(rt.point.created_at, started_);
  }
}

Status Pipeline::warm_start(Millis since) {
  std::lock_guard lock(mu_);
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  db::Connection& c = **w;
  struct Seen { std::vector<std::pair<Millis, double>> readings; };
  std::unordered_map<std::string, Seen> seen;
  // Every enterprise with active points is watched from the start, so that a point never heard
  // from goes offline and the open alarms (restored with their enterprise) can recover.
  auto watched = c.query("SELECT DISTINCT enterprise_uscc FROM monitoring_points WHERE active = 1");
  if (!watched.ok()) return watched.take_error();
  for (const auto& row : *watched) ANJIAN_TRY(load_points(c, row.str(0)));
  ANJIAN_TRY(scan_log(c, since, std::numeric_limits<Millis>::max(),
                      [&](const std::string& point, const Sample& s) { seen[point].readings.emplace_back(s.ts, s.value); }));
  if (seen.empty()) return {};
  auto owners = c.query("SELECT id, enterprise_uscc FROM monitoring_points");
  if (!owners.ok()) return owners.take_error();
  std::unordered_map<std::string, std::vector<std::string>> enterprises;  // uscc → its points that sent
  for (const auto& r : *owners)
    if (seen.count(r.str(0))) enterprises[r.str(1)].push_back(r.str(0));
  for (const auto& [uscc, ids] : enterprises) {
    auto points = load_points(c, uscc);
    if (!points.ok()) return points.take_error();
    for (auto& [code, rt] : **points) {
      auto it = seen.find(rt.point.id);
      if (it == seen.end()) continue;
      auto& readings = it->second.readings;
      std::sort(readings.begin(), readings.end());
      const size_t first = readings.size() > RecentTimes::kSize ? readings.size() - RecentTimes::kSize : 0;
      for (size_t i = first; i < readings.size(); ++i) rt.recent.add(readings[i].first);
      rt.state.seen = true;
      rt.state.last_ts = readings.back().first;
      rt.state.last_value = readings.back().second;
    }
  }
  return {};
}

Result<Pipeline::PointMap*> Pipeline::load_points(db::Connection& c, const std::string& uscc) {
  {
    std::shared_lock shape(map_mu_);
    if (auto it = enterprises_.find(uscc); it != enterprises_.end()) return &it->second;
  }
  std::unique_lock shape(map_mu_);
  return points_of(c, uscc);
}

Result<Pipeline::PointMap*> Pipeline::points_of(db::Connection& c, const std::string& uscc) {
  auto it = enterprises_.find(uscc);
  if (it != enterprises_.end()) return &it->second;
  PointMap points;
  auto rows = c.query(std::string("SELECT ") + kPointColumns + " FROM monitoring_points p WHERE p.enterprise_uscc = ?", {uscc});
  if (!rows.ok()) return rows.take_error();
  auto region = c.query("SELECT region_code, name FROM enterprises WHERE uscc = ?", {uscc});
  if (!region.ok()) return region.take_error();
  const std::string region_code = region->empty() ? "" : (*region)[0].str(0);
  region_of_[uscc] = region_code;
  name_of_[uscc] = region->empty() ? "" : (*region)[0].str(1);
  for (const auto& row : *rows) {
    Point p = point_from_row(row);
    Runtime rt;
    rt.config = config_of(p);
    rt.point = std::move(p);
    rt.region_code = region_code;
    rt.enterprise_name = name_of_[uscc];
    points.emplace(rt.point.code, std::move(rt));
  }
  // Open alarms survive a restart: the state picks up where it was, so that no duplicate is
  // raised and the open ones can still recover and close.
  auto open = c.query("SELECT id, point_code, type, level, reason, value, peak_value, peak_at, raised_at FROM alarms "
                      "WHERE enterprise_uscc = ? AND state IN ('raised', 'acknowledged') AND recovered_at IS NULL", {uscc});
  if (!open.ok()) return open.take_error();
  bool network_down = false;
  for (const auto& row : *open) {
    const auto type = alarm_type_named(row.str(2));
    if (!type) continue;
    if (*type == AlarmType::network_down) {
      network_alarm_[uscc] = row.str(0);
      network_down = true;
      continue;
    }
    auto p = points.find(row.str(1));
    if (p == points.end()) continue;
    PointState& st = p->second.state;
    OpenAlarm a{row.str(0), Level::none, row.null(6) ? row.f64(5) : row.f64(6), row.null(7) ? row.i64(8) : row.i64(7), false};
    switch (*type) {
      case AlarmType::threshold:
        for (Level l : {Level::low_low, Level::low, Level::high, Level::high_high})
          if (to_string(l) == row.str(3)) st.level = a.level = l;
        break;
      case AlarmType::power_off: st.power_off = true; break;
      case AlarmType::no_power_off: st.no_power_off = true; break;
      case AlarmType::offline: st.offline = true; break;
      case AlarmType::fault: st.fault = row.str(4); break;
      case AlarmType::rate: st.rate_active = true; break;
      case AlarmType::reported_alarm: st.reported |= coal_state::alarm; break;
      case AlarmType::reported_power_off: st.reported |= coal_state::power_off; break;
      case AlarmType::feed_abnormal: st.reported |= coal_state::feed_abnormal; break;
      case AlarmType::network_down: break;
    }
    p->second.open_alarm[*type] = std::move(a);
  }
  // Under an open 联网中断 the points are silent with it, not one by one.
  if (network_down)
    for (auto& [code, rt] : points)
      if (rt.point.active && !rt.state.offline) {
        rt.state.offline = true;
        rt.held = true;
      }
  PointMap& stored = enterprises_[uscc] = std::move(points);
  link(stored);  // after the move: the links are pointers into the map that stays
  return &stored;
}

Status Pipeline::resolve(Job& job) {
  for (;;) {
    {
      std::shared_lock shape(map_mu_);
      if (auto it = enterprises_.find(*job.uscc); it != enterprises_.end()) {
        job.unloads = unloads_;
        job.points.clear();
        job.points.reserve(job.batch->readings.size());
        for (const Reading& r : job.batch->readings) {
          auto p = it->second.find(r.point);
          job.points.push_back(p == it->second.end() ? nullptr : &p->second);
        }
        return {};
      }
    }
    auto r = db_.read();
    if (!r.ok()) return r.error();
    std::unique_lock shape(map_mu_);
    ANJIAN_TRY(points_of(**r, *job.uscc));
  }
}

Result<IngestReport> Pipeline::ingest(const std::string& uscc, ReadingBatch batch) {
  Job job{&uscc, &batch, {}, std::nullopt};
  ANJIAN_TRY(resolve(job));
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&job);
  while (!job.done) {
    if (writing_) {
      queue_cv_.wait(lock);
      continue;
    }
    // Lead: take every batch waiting (ours among them, unless an earlier leader took it).
    writing_ = true;
    std::vector<Job*> group;
    group.swap(queue_);
    lock.unlock();
    write_group(group);
    lock.lock();
    for (Job* j : group) j->done = true;
    writing_ = false;
    queue_cv_.notify_all();
  }
  if (job.error) return *job.error;
  return std::move(job.report);
}

template <typename Late>
Result<std::set<std::pair<std::string, Millis>>> Pipeline::stored_times(db::Connection& c, const std::vector<Late>& late) {
  std::set<std::pair<std::string, Millis>> out;
  std::map<std::string, std::pair<Millis, Millis>> span;  // point → [min, max] asked
  for (const auto& l : late) {
    auto [it, fresh] = span.try_emplace(*l.point_id, l.r->ts, l.r->ts);
    it->second.first = std::min(it->second.first, l.r->ts);
    it->second.second = std::max(it->second.second, l.r->ts);
  }
  Millis lo = span.begin()->second.first, hi = span.begin()->second.second;
  for (const auto& [id, s] : span) {
    lo = std::min(lo, s.first);
    hi = std::max(hi, s.second);
  }
  // The log (small: compaction empties it every few minutes) in one pass for every point…
  ANJIAN_TRY(scan_log(c, lo, hi, [&](const std::string& point, const Sample& s) {
    if (span.count(point)) out.emplace(point, s.ts);
  }));
  // …and each point's chunks of that span, by their index.
  for (const auto& [id, s] : span) {
    auto chunks = c.query("SELECT data FROM reading_chunks WHERE point_id = ? AND start_ts <= ? AND end_ts >= ?", {id, s.second, s.first});
    if (!chunks.ok()) return chunks.take_error();
    for (const auto& row : *chunks) {
      auto samples = decode_chunk(row.str(0));
      if (!samples.ok()) return samples.take_error();
      for (const auto& x : *samples)
        if (x.ts >= s.first && x.ts <= s.second) out.emplace(id, x.ts);
    }
  }
  return out;
}

void Pipeline::write_group(const std::vector<Job*>& group) {
  std::lock_guard lock(mu_);
  auto fail_all = [&](const Error& e) {
    for (Job* j : group) j->error = e;
  };
  auto w = db_.write();
  if (!w.ok()) return fail_all(w.error());
  db::Connection& c = **w;

  // Work on copies: memory changes only after the commit. Batches of one group see each other's
  // effects in order, as if they had been written one by one.
  // The working copy of a point: only what a batch changes, not its definition — a group of a
  // thousand readings of a thousand points copies little. The timestamps a group accepts are
  // chained in `added` rather than copied into a ring per point (512 bytes each way).
  struct Work {
    Runtime* base;
    PointState state;
    std::uint32_t first_added = kNone, last_added = kNone;
    std::optional<std::map<AlarmType, OpenAlarm>> open_alarm;  // copied on the first alarm change
    std::uint32_t first_late = kNone;  // its late (补传) readings accepted, chained in `late_inputs`
  };
  struct Added { Millis ts; std::uint32_t next; };
  std::vector<Work> touched;
  std::vector<Added> added;
  const std::uint64_t group_no = ++groups_;
  auto work_of = [&](Runtime* base) -> std::uint32_t {
    if (base->group != group_no) {
      base->group = group_no;
      base->work = static_cast<std::uint32_t>(touched.size());
      touched.push_back(Work{base, base->state, kNone, kNone, std::nullopt, kNone});
    }
    return base->work;
  };
  auto accepted_before = [&](const Work& wk, Millis ts) {
    if (wk.base->recent.contains(ts)) return true;
    for (auto i = wk.first_added; i != kNone; i = added[i].next)
      if (added[i].ts == ts) return true;
    return false;
  };
  auto remember = [&](Work& wk, Millis ts) {
    const auto i = static_cast<std::uint32_t>(added.size());
    added.push_back({ts, kNone});
    (wk.last_added == kNone ? wk.first_added : added[wk.last_added].next) = i;
    wk.last_added = i;
  };
  auto open_alarms = [&](Work& wk) -> std::map<AlarmType, OpenAlarm>& {
    if (!wk.open_alarm) wk.open_alarm = wk.base->open_alarm;
    return *wk.open_alarm;
  };
  struct Row { const std::string* point_id; Millis ts; double value; int quality; };
  std::vector<Row> rows;
  // An alarm change to write: `peak` for a recovery (its final peak), `cut` for a raise (the coal
  // system's 断电 bit was on when it was raised).
  struct AlarmWrite { std::uint32_t wk; AlarmChange change; std::string id; Job* job; double peak; Millis peak_at; bool cut; };
  std::vector<AlarmWrite> alarm_writes;
  // Older readings the ring does not remember (a gateway's backfill, or a resend after a long
  // outage or a restart): whether storage has them is asked once for the group, below.
  struct Late { std::uint32_t wk; const std::string* point_id; const Reading* r; Job* job; int quality; };
  std::vector<Late> late;
  // The late readings accepted, per point, to look for 超限 in them (excursions()).
  struct LateInput { Input in; std::uint32_t next; };
  std::vector<LateInput> late_inputs;
  auto keep_late = [&](Work& wk, const Reading& r) {
    late_inputs.push_back({Input{r.ts, r.value, r.quality, r.reported, std::nullopt}, wk.first_late});
    wk.first_late = static_cast<std::uint32_t>(late_inputs.size() - 1);
  };
  std::set<std::string> network_back;  // enterprises whose 联网中断 ends with this group
  const Millis now = now_ms();

  // A point with no state (first contact since the start; a restart past the warm-up window)
  // cannot tell a resent reading from a new one by memory: storage is asked first.
  // Each reading's point was looked up before queueing (resolve); again only if an enterprise
  // was unloaded since.
  std::vector<Late> first_contact;
  size_t total = 0;
  for (Job* job : group) {
    bool stale;
    {
      std::shared_lock shape(map_mu_);
      stale = job->unloads != unloads_;
    }
    if (stale) {
      auto again = resolve(*job);
      if (!again.ok()) return fail_all(again.error());
    }
    for (size_t i = 0; i < job->points.size(); ++i)
      if (Runtime* rt = job->points[i]; rt && !rt->state.seen)
        first_contact.push_back({kNone, &rt->point.id, &job->batch->readings[i], job, 0});
    total += job->points.size();
  }
  touched.reserve(total);
  added.reserve(total);
  rows.reserve(total);
  std::set<std::pair<std::string, Millis>> known_before;
  if (!first_contact.empty()) {
    auto stored = stored_times(c, first_contact);
    if (!stored.ok()) return fail_all(stored.error());
    known_before = std::move(*stored);
  }

  // The alarm changes of one reading: ids given now (so that later readings of the group find
  // the alarms they raise), the peak of every open alarm kept up.
  auto apply = [&](std::uint32_t wi, Job* job, const Input& in, std::vector<AlarmChange> changes) {
    Work& wk = touched[wi];
    for (auto& ch : changes) {
      auto& open = open_alarms(wk);
      if (ch.kind == AlarmChange::Kind::raised) {
        std::string id = new_id();
        open[ch.type] = OpenAlarm{id, ch.level, ch.value, ch.at, false};
        alarm_writes.push_back({wi, std::move(ch), std::move(id), job, 0, 0, (wk.state.reported & coal_state::power_off) != 0});
        continue;
      }
      auto it = open.find(ch.type);
      if (it == open.end()) continue;  // held under a 联网中断, or lost: nothing to write
      std::string id = it->second.id;
      if (ch.kind == AlarmChange::Kind::recovered) {
        const double peak = it->second.peak;
        const Millis peak_at = it->second.peak_at;
        open.erase(it);
        alarm_writes.push_back({wi, std::move(ch), std::move(id), job, peak, peak_at, false});
      } else {
        it->second.level = ch.level;
        alarm_writes.push_back({wi, std::move(ch), std::move(id), job, 0, 0, false});
      }
    }
    // The peak of what is still open: a value (not a calibration or a bad one) further past it.
    const unsigned bits = in.reported.value_or(0);
    if (in.quality != Quality::good && in.quality != Quality::uncertain) return;
    if (bits & (coal_state::calibration | coal_state::fault | coal_state::disconnected)) return;
    const auto& now_open = wk.open_alarm ? *wk.open_alarm : wk.base->open_alarm;
    for (const auto& [type, a] : now_open) {
      const bool valued = type == AlarmType::threshold || type == AlarmType::power_off || type == AlarmType::no_power_off ||
                          type == AlarmType::reported_alarm || type == AlarmType::reported_power_off;
      if (!valued || !beyond(type == AlarmType::threshold ? a.level : Level::high, in.value, a.peak)) continue;
      OpenAlarm& mine = open_alarms(wk)[type];
      mine.peak = in.value;
      mine.peak_at = in.ts;
      mine.peak_changed = true;
    }
  };

  for (size_t j = 0; j < group.size(); ++j) {
    Job* job = group[j];
    IngestReport& report = job->report;
    report.rejected = std::move(job->batch->rejected);
    bool network_down = false;
    if (!network_alarm_.empty()) network_down = network_alarm_.count(*job->uscc) > 0;
    for (size_t i = 0; i < job->batch->readings.size(); ++i) {
      Reading& r = job->batch->readings[i];
      auto reject = [&](std::string code, std::string message) { report.rejected.push_back({r.index, std::move(code), std::move(message)}); };
      if (r.ts > now + kMaxFuture) { reject("future_timestamp", "时间超前服务器 5 分钟以上"); continue; }
      Runtime* base = job->points[i];
      if (!base) { reject("unknown_point", "测点不存在：" + r.point); continue; }
      if (!base->point.active) { reject("inactive_point", "测点已停用：" + r.point); continue; }
      if (!known_before.empty() && known_before.count({base->point.id, r.ts})) { ++report.duplicates; continue; }
      const std::uint32_t wi = work_of(base);
      Work& wk = touched[wi];
      const Runtime& rt = *base;
      // Readings mostly arrive in order: only one at or before the newest needs the look-back.
      const bool newest = !wk.state.seen || r.ts > wk.state.last_ts;
      if (!newest && accepted_before(wk, r.ts)) { ++report.duplicates; continue; }
      Quality stored = r.quality;
      // Out of the physical range: kept, flagged bad (the fault alarm says why). 标校 stays marked.
      if (stored != Quality::calibration &&
          ((rt.config.range_min && r.value < *rt.config.range_min) || (rt.config.range_max && r.value > *rt.config.range_max)))
        stored = Quality::bad;
      if (r.reported && (*r.reported & coal_state::calibration)) stored = Quality::calibration;
      if (!newest && !base->recent.covers(r.ts)) {
        // Older than all the point remembers: storage is asked, for the whole group at once. It
        // changes no live alarm state (the rules ignore the past), so it can wait.
        late.push_back({wi, &base->point.id, &r, job, static_cast<int>(stored)});
        continue;
      }
      remember(wk, r.ts);
      rows.push_back({&base->point.id, r.ts, r.value, static_cast<int>(stored)});
      ++report.accepted;
      if (!newest) {
        keep_late(wk, r);
        continue;
      }
      if (network_down) network_back.insert(*job->uscc);
      // The linked 馈电 point's latest state, as this group has it so far.
      std::optional<bool> feed;
      if (const Runtime* f = rt.feed) {
        const PointState& fs = f->group == group_no ? touched[f->work].state : f->state;
        if (fs.seen) feed = fs.last_value >= 0.5;
      }
      const Input in{r.ts, r.value, r.quality, r.reported, feed};
      apply(wi, job, in, evaluate(rt.config, wk.state, in, now));
    }
  }

  if (!late.empty()) {
    auto stored = stored_times(c, late);
    if (!stored.ok()) return fail_all(stored.error());
    // And what this group is about to store of those points (a batch may repeat itself).
    std::set<const std::string*> asked;
    for (const Late& l : late) asked.insert(l.point_id);
    for (const Row& row : rows)
      if (asked.count(row.point_id)) stored->emplace(*row.point_id, row.ts);
    for (const Late& l : late) {
      // Stored already, or twice in this group: a duplicate.
      if (!stored->emplace(*l.point_id, l.r->ts).second) { ++l.job->report.duplicates; continue; }
      remember(touched[l.wk], l.r->ts);
      keep_late(touched[l.wk], *l.r);
      rows.push_back({l.point_id, l.r->ts, l.r->value, l.quality});
      ++l.job->report.accepted;
    }
  }

  // 超限 found in back-filled readings: recorded as alarms of the past (raised and recovered at
  // the readings' times, marked late), without touching the live state.
  struct Historic { std::uint32_t wk; Excursion x; std::string id; double value; };
  std::vector<Historic> historic;
  if (!late_inputs.empty())
    for (std::uint32_t wi = 0; wi < touched.size(); ++wi) {
      if (touched[wi].first_late == kNone) continue;
      std::vector<Input> inputs;
      for (auto i = touched[wi].first_late; i != kNone; i = late_inputs[i].next) inputs.push_back(late_inputs[i].in);
      std::sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) { return a.ts < b.ts; });
      for (const Excursion& x : excursions(touched[wi].base->config, inputs)) {
        double first = x.peak;
        for (const Input& in : inputs)
          if (in.ts == x.from) first = in.value;
        historic.push_back({wi, x, new_id(), first});
      }
    }

  // One transaction for the group: its readings and its alarm changes commit together.
  auto done = [&]() -> Status {
    ANJIAN_TRY(db::begin(c));
    auto failed = [&](Error e) -> Status {
      db::rollback(c);
      return e;
    };
    // The group's readings as one packed log row (log_format.h).
    if (!rows.empty()) {
      Millis lo = rows.front().ts, hi = rows.front().ts;
      std::vector<db::LogRow> packed;
      packed.reserve(rows.size());
      for (const Row& row : rows) {
        lo = std::min(lo, row.ts);
        hi = std::max(hi, row.ts);
        packed.push_back({row.point_id, row.ts, row.value, row.quality});
      }
      auto logged = c.exec("INSERT INTO readings_batches (min_ts, max_ts, count, data) VALUES (?, ?, ?, ?)",
                           {lo, hi, static_cast<std::int64_t>(packed.size()), db::Blob{db::encode_log_batch(packed)}});
      if (!logged.ok()) return failed(logged.take_error());
    }
    for (auto& a : alarm_writes) {
      const Point& p = touched[a.wk].base->point;
      const std::string type(to_string(a.change.type)), level(to_string(a.change.level));
      Result<std::int64_t> s = std::int64_t{0};
      if (a.change.kind == AlarmChange::Kind::raised) {
        s = c.exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, reason, state, value, "
                   "raised_at, version, peak_value, peak_at, power_off_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'raised', ?, ?, 1, ?, ?, ?)",
                   {a.id, p.enterprise_uscc, p.id, p.code, type, level, a.change.reason, a.change.value, a.change.at,
                    a.change.value, a.change.at, a.cut ? Value(a.change.at) : Value(nullptr)});
        ++a.job->report.alarms_raised;
      } else if (a.change.kind == AlarmChange::Kind::recovered) {
        s = c.exec("UPDATE alarms SET state = CASE WHEN state = 'closed' THEN state ELSE 'recovered' END, "
                   "recovered_at = ?, peak_value = ?, peak_at = ?, version = version + 1 WHERE id = ?",
                   {a.change.at, a.peak, a.peak_at, a.id});
      } else {
        s = c.exec("UPDATE alarms SET level = ?, value = ?, version = version + 1 WHERE id = ?", {level, a.change.value, a.id});
      }
      if (!s.ok()) return failed(s.take_error());
      // The coal system cut the power, or restored it: the point's open value alarms keep when.
      if (a.change.type == AlarmType::reported_power_off && a.change.kind != AlarmChange::Kind::level_changed) {
        const bool cut = a.change.kind == AlarmChange::Kind::raised;
        auto u = c.exec(std::string("UPDATE alarms SET ") + (cut ? "power_off_at" : "power_restored_at") +
                            " = ? WHERE point_id = ? AND recovered_at IS NULL AND type IN ('threshold', 'power_off', 'no_power_off') AND " +
                            (cut ? "power_off_at IS NULL" : "power_off_at IS NOT NULL"),
                        {a.change.at, p.id});
        if (!u.ok()) return failed(u.take_error());
      }
    }
    // Peaks reached by alarms still open.
    for (auto& wk : touched) {
      if (!wk.open_alarm) continue;
      for (auto& [type, a] : *wk.open_alarm) {
        if (!a.peak_changed) continue;
        auto u = c.exec("UPDATE alarms SET peak_value = ?, peak_at = ? WHERE id = ?", {a.peak, a.peak_at, a.id});
        if (!u.ok()) return failed(u.take_error());
      }
    }
    for (const auto& h : historic) {
      const Point& p = touched[h.wk].base->point;
      auto ins = c.exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, reason, state, value, raised_at, "
                        "recovered_at, version, peak_value, peak_at, late) VALUES (?, ?, ?, ?, ?, ?, 'late', 'recovered', ?, ?, ?, 1, ?, ?, 1)",
                        {h.id, p.enterprise_uscc, p.id, p.code, std::string(to_string(h.x.type)), std::string(to_string(h.x.level)),
                         h.value, h.x.from, h.x.to, h.x.peak, h.x.peak_at});
      if (!ins.ok()) return failed(ins.take_error());
    }
    for (const auto& uscc : network_back) {
      auto u = c.exec("UPDATE alarms SET state = CASE WHEN state = 'closed' THEN state ELSE 'recovered' END, recovered_at = ?, "
                      "version = version + 1 WHERE id = ?", {now, network_alarm_[uscc]});
      if (!u.ok()) return failed(u.take_error());
    }
    return db::commit(c);
  }();
  if (!done.ok()) return fail_all(done.error());
  for (const auto& a : alarm_writes) announce(*touched[a.wk].base, a.change, a.id);
  for (const auto& h : historic) {
    const AlarmChange ch{AlarmChange::Kind::recovered, h.x.type, h.x.level, "late", h.value, h.x.from};
    announce(*touched[h.wk].base, ch, h.id, true);
  }
  if (readings_.any && readings_.any()) {
    // Only points someone follows: asked once per point of the group, not per reading.
    std::unordered_map<const std::string*, const Point*> followed;
    for (const auto& w : touched)
      if (readings_.follows(w.base->point.id)) followed.emplace(&w.base->point.id, &w.base->point);
    static const char* kQuality[] = {"good", "uncertain", "bad", "calibration"};
    for (const Row& row : rows) {
      auto f = followed.find(row.point_id);
      if (f == followed.end()) continue;
      readings_.send(*row.point_id, json_text(json::object{
          {"type", "reading"},
          {"data", {{"point_id", *row.point_id}, {"point", f->second->code}, {"enterprise_uscc", f->second->enterprise_uscc},
                    {"ts", row.ts}, {"value", row.value}, {"quality", kQuality[std::clamp(row.quality, 0, 3)]}}}}));
    }
  }
  for (auto& w : touched) {
    w.base->state = std::move(w.state);
    for (auto i = w.first_added; i != kNone; i = added[i].next) w.base->recent.add(added[i].ts);
    if (w.open_alarm) {
      for (auto& [type, a] : *w.open_alarm) a.peak_changed = false;
      w.base->open_alarm = std::move(*w.open_alarm);
    }
  }
  // A 联网中断 ended: its points are heard again, or get a fresh period to be (one still silent
  // after it goes offline on its own).
  for (const auto& uscc : network_back) {
    const std::string id = network_alarm_[uscc];
    network_alarm_.erase(uscc);
    size_t held = 0;
    std::shared_lock shape(map_mu_);
    if (auto it = enterprises_.find(uscc); it != enterprises_.end())
      for (auto& [code, rt] : it->second) {
        if (!rt.held) continue;
        ++held;
        rt.held = false;
        if (rt.state.offline) {
          rt.state.offline = false;
          rt.state.last_arrival = now;
        }
      }
    announce_network(uscc, false, id, held, now);
  }
}

void Pipeline::announce(const Runtime& rt, const AlarmChange& change, const std::string& id, bool late) const {
  if (!publish_) return;
  // A late alarm is of the past: it updates lists, it does not pop up as a new one.
  const bool raised = change.kind == AlarmChange::Kind::raised && !late;
  json::object data{{"id", id}, {"enterprise_uscc", rt.point.enterprise_uscc}, {"point", rt.point.code},
                    {"point_id", rt.point.id}, {"type", to_string(change.type)},
                    {"level", change.type == AlarmType::threshold ? to_string(change.level) : to_string(change.type)},
                    {"state", raised ? "raised" : change.kind == AlarmChange::Kind::recovered ? "recovered" : "raised"},
                    {"value", change.value}, {"at", format_iso(change.at)},
                    // What a person needs to judge it at a glance: whose, where, which point, against what.
                    {"enterprise_name", rt.enterprise_name}, {"region_code", rt.region_code}, {"point_name", rt.point.name},
                    {"unit", rt.point.unit}};
  if (late) data["late"] = true;
  if (change.type == AlarmType::threshold) {
    const Point& p = rt.point;
    const std::optional<double> limit = change.level == Level::high_high ? p.high_high
                                        : change.level == Level::high    ? p.high
                                        : change.level == Level::low     ? p.low
                                        : change.level == Level::low_low ? p.low_low
                                                                                  : std::nullopt;
    if (limit) data["threshold"] = *limit;
  } else if ((change.type == AlarmType::power_off || change.type == AlarmType::no_power_off) && rt.point.power_off) {
    data["threshold"] = *rt.point.power_off;
  }
  if (!change.reason.empty()) data["reason"] = change.reason;
  publish_(json_text(json::object{{"type", raised ? "alarm.raised" : "alarm.updated"}, {"data", std::move(data)}}),
           rt.region_code, rt.point.enterprise_uscc);
}

void Pipeline::announce_network(const std::string& uscc, bool raised, const std::string& id, size_t points, Millis at) const {
  if (!publish_) return;
  auto region = region_of_.find(uscc);
  auto name = name_of_.find(uscc);
  const std::string region_code = region == region_of_.end() ? "" : region->second;
  json::object data{{"id", id}, {"enterprise_uscc", uscc}, {"point", ""}, {"point_id", ""}, {"type", "network_down"},
                    {"level", "network_down"}, {"state", raised ? "raised" : "recovered"}, {"value", points},
                    {"silent_points", points}, {"at", format_iso(at)},
                    {"enterprise_name", name == name_of_.end() ? "" : name->second}, {"region_code", region_code},
                    {"point_name", ""}, {"unit", ""}};
  publish_(json_text(json::object{{"type", raised ? "alarm.raised" : "alarm.updated"}, {"data", std::move(data)}}), region_code, uscc);
}

Result<size_t> Pipeline::check_offline(Millis now) {
  std::lock_guard lock(mu_);
  struct Raise { Runtime* rt; AlarmChange change; std::string id; };
  struct Network { std::string uscc, id; size_t points; };
  std::vector<Raise> raises;
  std::vector<Network> networks;
  // Decide on copies of the states, as ingest() does: memory changes after the commit.
  std::vector<std::pair<Runtime*, PointState>> next;
  std::vector<Runtime*> held;
  {
    std::shared_lock shape(map_mu_);
    for (auto& [uscc, points] : enterprises_) {
      size_t active = 0, silent = 0;
      const size_t first_due = next.size();
      for (auto& [code, rt] : points) {
        if (!rt.point.active) continue;
        ++active;
        PointState s = rt.state;
        if (auto ch = monitoring::check_offline(rt.config, s, now)) {
          raises.push_back({&rt, *ch, new_id()});
          next.emplace_back(&rt, s);
        }
        if (s.offline) ++silent;
      }
      if (next.size() == first_due) continue;
      // The whole connection silent at once (or still down): one 联网中断, its points held under it.
      const bool down = network_alarm_.count(uscc) > 0;
      if (down || (active >= 2 && silent == active)) {
        if (!down) networks.push_back({uscc, new_id(), active});
        for (size_t i = first_due; i < next.size(); ++i) held.push_back(next[i].first);
        raises.resize(raises.size() - (next.size() - first_due));
      }
    }
  }
  if (next.empty()) return size_t{0};
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  db::Connection& c = **w;
  ANJIAN_TRY(db::begin(c));
  auto failed = [&](Error e) -> Result<size_t> {
    db::rollback(c);
    return e;
  };
  for (const auto& r : raises) {
    const Point& p = r.rt->point;
    auto s = c.exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, reason, state, value, "
                    "raised_at, version) VALUES (?, ?, ?, ?, 'offline', 'none', '', 'raised', ?, ?, 1)",
                    {r.id, p.enterprise_uscc, p.id, p.code, r.change.value, r.change.at});
    if (!s.ok()) return failed(s.take_error());
  }
  for (const auto& n : networks) {
    auto s = c.exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, reason, state, value, "
                    "raised_at, version, silent_points) VALUES (?, ?, '', '', 'network_down', 'none', '', 'raised', ?, ?, 1, ?)",
                    {n.id, n.uscc, static_cast<double>(n.points), now, static_cast<std::int64_t>(n.points)});
    if (!s.ok()) return failed(s.take_error());
  }
  ANJIAN_TRY(db::commit(c));
  for (auto& [rt, s] : next) rt->state = s;
  for (Runtime* rt : held) rt->held = true;
  for (const auto& r : raises) {
    r.rt->open_alarm[AlarmType::offline] = OpenAlarm{r.id, Level::none, r.change.value, r.change.at, false};
    announce(*r.rt, r.change, r.id);
  }
  for (const auto& n : networks) {
    network_alarm_[n.uscc] = n.id;
    announce_network(n.uscc, true, n.id, n.points, now);
  }
  return raises.size() + networks.size();
}

Result<std::vector<Latest>> Pipeline::latest(const std::string& uscc) {
  std::lock_guard lock(mu_);
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto points = load_points(**r, uscc);
  if (!points.ok()) return points.take_error();
  std::vector<Latest> out;
  for (const auto& [code, rt] : **points) {
    Latest l{rt.point, std::nullopt, rt.state.last_value, rt.state.level, rt.state.offline, rt.state.fault,
             rt.state.power_off, rt.state.no_power_off};
    if (rt.state.seen) l.ts = rt.state.last_ts;
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(), [](const Latest& a, const Latest& b) { return a.point.code < b.point.code; });
  return out;
}

}  // namespace anjian::monitoring
