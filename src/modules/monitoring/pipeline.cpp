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

void Pipeline::invalidate(const std::string& uscc) {
  std::lock_guard lock(mu_);
  std::unique_lock shape(map_mu_);
  // Keep the alarm state of points that stay: reload their configuration only.
  auto it = enterprises_.find(uscc);
  if (it == enterprises_.end()) return;
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
}

Status Pipeline::warm_start(Millis since) {
  std::lock_guard lock(mu_);
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  db::Connection& c = **w;
  struct Seen { std::vector<std::pair<Millis, double>> readings; };
  std::unordered_map<std::string, Seen> seen;
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
  // Open alarms survive a restart: the state picks up where it was.
  auto open = c.query("SELECT id, point_code, type, level FROM alarms WHERE enterprise_uscc = ? AND state IN ('raised', 'acknowledged')", {uscc});
  if (!open.ok()) return open.take_error();
  for (const auto& row : *open) {
    auto p = points.find(row.str(1));
    if (p == points.end()) continue;
    const std::string type = row.str(2);
    for (AlarmType t : {AlarmType::threshold, AlarmType::rate, AlarmType::offline, AlarmType::fault, AlarmType::power_off}) {
      if (to_string(t) != type) continue;
      p->second.open_alarm[t] = row.str(0);
      if (t == AlarmType::power_off) p->second.state.power_off = true;
      if (t == AlarmType::threshold)
        for (Level l : {Level::low_low, Level::low, Level::high, Level::high_high})
          if (to_string(l) == row.str(3)) p->second.state.level = l;
    }
  }
  return &(enterprises_[uscc] = std::move(points));
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
    std::optional<std::map<AlarmType, std::string>> open_alarm;  // copied on the first alarm change
  };
  struct Added { Millis ts; std::uint32_t next; };
  std::vector<Work> touched;
  std::vector<Added> added;
  const std::uint64_t group_no = ++groups_;
  auto work_of = [&](Runtime* base) -> std::uint32_t {
    if (base->group != group_no) {
      base->group = group_no;
      base->work = static_cast<std::uint32_t>(touched.size());
      touched.push_back(Work{base, base->state, kNone, kNone, std::nullopt});
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
  auto open_alarms = [&](Work& wk) -> std::map<AlarmType, std::string>& {
    if (!wk.open_alarm) wk.open_alarm = wk.base->open_alarm;
    return *wk.open_alarm;
  };
  struct Row { const std::string* point_id; Millis ts; double value; int quality; };
  std::vector<Row> rows;
  struct AlarmWrite { std::uint32_t wk; AlarmChange change; std::string id; Job* job; };
  std::vector<AlarmWrite> alarm_writes;
  // Older readings the ring does not remember (a gateway's backfill, or a resend after a long
  // outage or a restart): whether storage has them is asked once for the group, below.
  struct Late { std::uint32_t wk; const std::string* point_id; const Reading* r; Job* job; int quality; };
  std::vector<Late> late;
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

  for (size_t j = 0; j < group.size(); ++j) {
    Job* job = group[j];
    IngestReport& report = job->report;
    report.rejected = std::move(job->batch->rejected);
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
      // Out of the physical range: kept, flagged bad (the fault alarm says why).
      if ((rt.config.range_min && r.value < *rt.config.range_min) || (rt.config.range_max && r.value > *rt.config.range_max))
        stored = Quality::bad;
      if (!newest && !base->recent.covers(r.ts)) {
        // Older than all the point remembers: storage is asked, for the whole group at once. It
        // changes no alarm state (the rules ignore the past), so it can wait.
        late.push_back({wi, &base->point.id, &r, job, static_cast<int>(stored)});
        continue;
      }
      remember(wk, r.ts);
      rows.push_back({&base->point.id, r.ts, r.value, static_cast<int>(stored)});
      ++report.accepted;
      for (auto& ch : evaluate(rt.config, wk.state, r.ts, r.value, r.quality)) alarm_writes.push_back({wi, ch, {}, job});
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
      rows.push_back({l.point_id, l.r->ts, l.r->value, l.quality});
      ++l.job->report.accepted;
    }
  }

  // One transaction for the group: its readings and its alarm changes commit together.
  auto done = [&]() -> Status {
    ANJIAN_TRY(db::begin(c));
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
      if (!logged.ok()) { db::rollback(c); return logged.take_error(); }
    }
    for (auto& a : alarm_writes) {
      Work& wk = touched[a.wk];
      const Point& p = wk.base->point;
      const std::string type(to_string(a.change.type)), level(to_string(a.change.level));
      Result<std::int64_t> s = std::int64_t{0};
      if (a.change.kind == AlarmChange::Kind::raised) {
        a.id = new_id();
        s = c.exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, reason, state, value, "
                   "raised_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 'raised', ?, ?, 1)",
                   {a.id, p.enterprise_uscc, p.id, p.code, type, level, a.change.reason, a.change.value, a.change.at});
        ++a.job->report.alarms_raised;
      } else {
        auto open = open_alarms(wk).find(a.change.type);
        if (open == open_alarms(wk).end()) continue;
        a.id = open->second;
        s = a.change.kind == AlarmChange::Kind::recovered
                ? c.exec("UPDATE alarms SET state = CASE WHEN state = 'closed' THEN state ELSE 'recovered' END, "
                         "recovered_at = ?, version = version + 1 WHERE id = ?", {a.change.at, a.id})
                : c.exec("UPDATE alarms SET level = ?, value = ?, version = version + 1 WHERE id = ?", {level, a.change.value, a.id});
      }
      if (!s.ok()) { db::rollback(c); return s.take_error(); }
      if (a.change.kind == AlarmChange::Kind::raised) open_alarms(wk)[a.change.type] = a.id;
      else if (a.change.kind == AlarmChange::Kind::recovered) open_alarms(wk).erase(a.change.type);
    }
    return db::commit(c);
  }();
  if (!done.ok()) return fail_all(done.error());
  for (const auto& a : alarm_writes)
    if (!a.id.empty()) announce(*touched[a.wk].base, a.change, a.id);
  if (readings_.any && readings_.any()) {
    // Only points someone follows: asked once per point of the group, not per reading.
    std::unordered_map<const std::string*, const Point*> followed;
    for (const auto& w : touched)
      if (readings_.follows(w.base->point.id)) followed.emplace(&w.base->point.id, &w.base->point);
    static const char* kQuality[] = {"good", "uncertain", "bad"};
    for (const Row& row : rows) {
      auto f = followed.find(row.point_id);
      if (f == followed.end()) continue;
      readings_.send(*row.point_id, json_text(json::object{
          {"type", "reading"},
          {"data", {{"point_id", *row.point_id}, {"point", f->second->code}, {"enterprise_uscc", f->second->enterprise_uscc},
                    {"ts", row.ts}, {"value", row.value}, {"quality", kQuality[std::clamp(row.quality, 0, 2)]}}}}));
    }
  }
  for (auto& w : touched) {
    w.base->state = std::move(w.state);
    for (auto i = w.first_added; i != kNone; i = added[i].next) w.base->recent.add(added[i].ts);
    if (w.open_alarm) w.base->open_alarm = std::move(*w.open_alarm);
  }
}

void Pipeline::announce(const Runtime& rt, const AlarmChange& change, const std::string& id) const {
  if (!publish_) return;
  const bool raised = change.kind == AlarmChange::Kind::raised;
  json::object data{{"id", id}, {"enterprise_uscc", rt.point.enterprise_uscc}, {"point", rt.point.code},
                    {"point_id", rt.point.id}, {"type", to_string(change.type)},
                    {"level", change.type == AlarmType::threshold ? to_string(change.level) : to_string(change.type)},
                    {"state", raised ? "raised" : change.kind == AlarmChange::Kind::recovered ? "recovered" : "raised"},
                    {"value", change.value}, {"at", format_iso(change.at)},
                    // What a person needs to judge it at a glance: whose, where, which point, against what.
                    {"enterprise_name", rt.enterprise_name}, {"region_code", rt.region_code}, {"point_name", rt.point.name},
                    {"unit", rt.point.unit}};
  if (change.type == AlarmType::threshold) {
    const Point& p = rt.point;
    const std::optional<double> limit = change.level == Level::high_high ? p.high_high
                                        : change.level == Level::high    ? p.high
                                        : change.level == Level::low     ? p.low
                                        : change.level == Level::low_low ? p.low_low
                                                                                  : std::nullopt;
    if (limit) data["threshold"] = *limit;
  } else if (change.type == AlarmType::power_off && rt.point.power_off) {
    data["threshold"] = *rt.point.power_off;
  }
  if (!change.reason.empty()) data["reason"] = change.reason;
  publish_(json_text(json::object{{"type", raised ? "alarm.raised" : "alarm.updated"}, {"data", std::move(data)}}),
           rt.region_code, rt.point.enterprise_uscc);
}

Result<size_t> Pipeline::check_offline(Millis now) {
  std::lock_guard lock(mu_);
  struct Raise { Runtime* rt; AlarmChange change; std::string id; };
  std::vector<Raise> raises;
  // Decide on copies of the states, as ingest() does: memory changes after the commit.
  std::vector<std::pair<Runtime*, PointState>> next;
  {
    std::shared_lock shape(map_mu_);
    for (auto& [uscc, points] : enterprises_)
      for (auto& [code, rt] : points) {
        if (!rt.point.active) continue;
        PointState s = rt.state;
        if (auto ch = monitoring::check_offline(rt.config, s, now)) {
          raises.push_back({&rt, *ch, new_id()});
          next.emplace_back(&rt, s);
        }
      }
  }
  if (raises.empty()) return size_t{0};
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  db::Connection& c = **w;
  ANJIAN_TRY(db::begin(c));
  for (const auto& r : raises) {
    const Point& p = r.rt->point;
    auto s = c.exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, reason, state, value, "
                    "raised_at, version) VALUES (?, ?, ?, ?, 'offline', 'none', '', 'raised', ?, ?, 1)",
                    {r.id, p.enterprise_uscc, p.id, p.code, r.change.value, r.change.at});
    if (!s.ok()) {
      db::rollback(c);
      return s.take_error();
    }
  }
  ANJIAN_TRY(db::commit(c));
  for (auto& [rt, s] : next) rt->state = s;
  for (const auto& r : raises) {
    r.rt->open_alarm[AlarmType::offline] = r.id;
    announce(*r.rt, r.change, r.id);
  }
  return raises.size();
}

Result<std::vector<Latest>> Pipeline::latest(const std::string& uscc) {
  std::lock_guard lock(mu_);
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto points = load_points(**r, uscc);
  if (!points.ok()) return points.take_error();
  std::vector<Latest> out;
  for (const auto& [code, rt] : **points) {
    Latest l{rt.point, std::nullopt, rt.state.last_value, rt.state.level, rt.state.offline, rt.state.fault};
    if (rt.state.seen) l.ts = rt.state.last_ts;
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(), [](const Latest& a, const Latest& b) { return a.point.code < b.point.code; });
  return out;
}

}  // namespace anjian::monitoring
