#include "ingest/coal_files.h"
#include "base/json_text.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace anjian::ingest {
namespace json = boost::json;
namespace fs = std::filesystem;
using monitoring::Point;
using monitoring::PointFilter;
using monitoring::Quality;
using monitoring::ReadingBatch;

namespace {
const char* kMineUnknown = "煤矿编码未关联企业，或该企业不在您的管辖范围内";

bool valid_mine_code(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

// The coal system's state bits as a reading's quality (16 标校 → calibration; 8 故障, 32 断线 →
// bad). The bits themselves go with the reading: 报警, 断电 and 馈电异常 are alarms of their own,
// beside anjian's evaluation of the value (DOMAIN.md §8).
Quality quality_of_state(unsigned state) {
  if (state & monitoring::coal_state::calibration) return Quality::calibration;
  if (state & (monitoring::coal_state::fault | monitoring::coal_state::disconnected)) return Quality::bad;
  return Quality::good;
}

json::object point_fields(const codes::CoalPointDef& d, const std::string& uscc, std::int64_t period_s) {
  json::object f{{"code", d.point_code}, {"name", d.location.empty() ? d.point_code : d.location},
                 {"indicator", d.indicator}, {"unit", d.unit}, {"period_s", period_s}};
  if (!uscc.empty()) f["enterprise_uscc"] = uscc;
  json::object range, thresholds;
  if (d.range_low) range["min"] = *d.range_low;
  if (d.range_high) range["max"] = *d.range_high;
  if (!range.empty()) f["range"] = std::move(range);
  if (d.alarm_high) thresholds["high"] = *d.alarm_high;
  if (d.alarm_low) thresholds["low"] = *d.alarm_low;
  if (d.poweroff) thresholds["power_off"] = *d.poweroff;
  if (d.restore) thresholds["restore"] = *d.restore;
  if (!thresholds.empty()) f["thresholds"] = std::move(thresholds);
  return f;
}
}  // namespace

json::object to_json(const CoalFileReport& r) {
  json::array issues;
  for (const auto& i : r.issues) issues.push_back(json::object{{"record", i.record}, {"message", i.reason}});
  json::object o{{"file", r.file}, {"kind", r.kind}, {"mine_code", r.mine_code}, {"mine_name", r.mine_name},
                 {"enterprise_uscc", r.enterprise_uscc}, {"records", r.records}, {"issues", std::move(issues)}};
  if (r.kind == "CDDY") {
    o["points_created"] = r.points_created;
    o["points_updated"] = r.points_updated;
    json::array warnings;
    for (const auto& w : r.warnings) warnings.push_back(json::object{{"record", w.record}, {"message", w.reason}});
    o["warnings"] = std::move(warnings);
  } else {
    o["accepted"] = r.readings.accepted;
    o["duplicates"] = r.readings.duplicates;
    o["alarms_raised"] = r.readings.alarms_raised;
  }
  return o;
}

auth::Principal machine_principal(const std::string& key_id, const std::string& uscc, const std::string& region_code) {
  auth::Principal p;
  p.user_id = key_id;
  p.username = "apikey:" + key_id;
  p.display_name = "企业接口密钥";
  p.org_kind = "enterprise";
  p.uscc = uscc;
  p.region_code = region_code;
  p.roles = {"enterprise_manager"};
  p.scope = auth::Scope::enterprise(uscc, region_code);
  return p;
}

json::object to_json(const std::string& uscc, const CoalMine& m) {
  return json::object{{"enterprise_uscc", uscc}, {"mine_code", m.mine_code ? json::value(*m.mine_code) : json::value(nullptr)},
                      {"upload_interval_s", m.upload_interval_s}};
}

Result<CoalMine> CoalFiles::mine_of(const auth::Scope& scope, const std::string& uscc) {
  auto e = enterprises_.get(scope, uscc);
  if (!e.ok()) return e.take_error();
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT mine_code, upload_interval_s FROM coal_mines WHERE enterprise_uscc = ?", {e->uscc});
  if (!rows.ok()) return rows.take_error();
  if (rows->empty()) return CoalMine{};
  return CoalMine{(*rows)[0].str(0), (*rows)[0].i64(1)};
}

Result<CoalMine> CoalFiles::link(const auth::Principal& who, const std::string& uscc, const std::string& mine_code,
                                 std::string_view source, std::int64_t upload_interval_s) {
  auto e = enterprises_.get(who.scope, uscc);
  if (!e.ok()) return e.take_error();
  if (!mine_code.empty() && !valid_mine_code(mine_code))
    return Error::invalid_field("mine_code", "煤矿编码须为 1 至 32 位字母或数字");
  if (upload_interval_s < 5 || upload_interval_s > 3600)
    return Error::invalid_field("upload_interval_s", "上传周期须为 5 至 3600 秒");
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<CoalMine> {
    ANJIAN_TRY(c.exec("DELETE FROM coal_mines WHERE enterprise_uscc = ?", {e->uscc}));
    if (!mine_code.empty()) {
      auto ins = c.exec("INSERT INTO coal_mines (mine_code, enterprise_uscc, created_at, upload_interval_s) VALUES (?, ?, ?, ?)",
                        {mine_code, e->uscc, now_ms(), upload_interval_s});
      if (!ins.ok())
        return ins.error().code == "conflict" ? Error::conflict("煤矿编码 " + mine_code + " 已关联其他企业", "mine_code")
                                              : ins.take_error();
    }
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "coal_mine.link", "enterprise:" + e->uscc, e->region_code, e->uscc, source,
                                               json_text(json::object{{"mine_code", mine_code}, {"upload_interval_s", upload_interval_s}}))));
    if (mine_code.empty()) return CoalMine{};
    return CoalMine{mine_code, upload_interval_s};
  });
}

Result<std::pair<std::string, std::int64_t>> CoalFiles::enterprise_of_mine(const std::string& mine_code) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT enterprise_uscc, upload_interval_s FROM coal_mines WHERE mine_code = ?", {mine_code});
  if (!rows.ok()) return rows.take_error();
  if (rows->empty()) return Error{"not_found", kMineUnknown, "file"};
  return std::make_pair((*rows)[0].str(0), (*rows)[0].i64(1));
}

Result<CoalFileReport> CoalFiles::take(const auth::Principal& who, const std::string& file_name, std::string_view bytes,
                                       std::string_view source) {
  auto name = codes::parse_coal_file_name(file_name);
  if (!name.ok()) return name.take_error();
  auto mine = enterprise_of_mine(name->mine_code);
  if (!mine.ok()) return mine.take_error();
  const std::string* uscc = &mine->first;
  // Outside the sender's scope looks exactly like a mine that is not linked.
  if (!enterprises_.get(who.scope, *uscc).ok()) return Error{"not_found", kMineUnknown, "file"};
  auto file = codes::parse_coal_file(name->kind, bytes);
  if (!file.ok()) return file.take_error();
  if (file->mine_code != name->mine_code)
    return Error{"invalid_coal_file", "文件头的煤矿编码 " + file->mine_code + " 与文件名的 " + name->mine_code + " 不一致", "file"};

  CoalFileReport report;
  report.file = file_name;
  report.kind = name->kind;
  report.mine_code = name->mine_code;
  report.mine_name = file->mine_name;
  report.enterprise_uscc = *uscc;
  report.issues = std::move(file->issues);
  report.records = file->points.size() + file->readings.size() + report.issues.size();

  if (name->kind == "CDDY") {
    for (const auto& d : file->points) {
      PointFilter f;
      f.enterprise_uscc = *uscc;
      f.code = d.point_code;
      f.page_size = 1;
      auto existing = points_.list(who.scope, f);
      if (!existing.ok()) return existing.take_error();
      // The mine's file defines its points even where a setting is looser than the rules: the
      // regulator sees that as a finding on the point (and a warning here), not a point missing.
      Result<Point> done =
          existing->items.empty()
              ? points_.create(who, point_fields(d, *uscc, mine->second), source, monitoring::Looser::record)
              : points_.update(who, existing->items[0].id, existing->items[0].version, point_fields(d, "", mine->second), source,
                               monitoring::Looser::record);
      if (!done.ok()) {
        if (done.error().code == "storage_error" || done.error().code == "unavailable") return done.take_error();
        report.issues.push_back({d.record, done.error().message});
        continue;
      }
      for (const auto& f : done->findings)
        if (f.refuses) report.warnings.push_back({d.record, d.point_code + "：" + f.message});
      ++(existing->items.empty() ? report.points_created : report.points_updated);
    }
  } else {
    ReadingBatch batch;
    batch.readings.reserve(file->readings.size());
    for (const auto& r : file->readings)
      batch.readings.push_back({r.point_code, r.ts, r.value, quality_of_state(r.state), r.record, r.state});
    auto ingested = pipeline_.ingest(*uscc, std::move(batch));
    if (!ingested.ok()) return ingested.take_error();
    for (const auto& x : ingested->rejected) report.issues.push_back({x.index, x.message});
    ingested->rejected.clear();
    report.readings = std::move(*ingested);
  }
  std::sort(report.issues.begin(), report.issues.end(), [](const auto& a, const auto& b) { return a.record < b.record; });
  // A person relaying a file (a regulator, with a session) is audited like any write of theirs; a
  // mine's own system with its key and the watched folder are machines, counted in the metrics.
  if (!who.session_hash.empty()) {
    auto e = enterprises_.get(who.scope, *uscc);
    const json::object detail{{"file", file_name}, {"kind", report.kind}, {"mine_code", report.mine_code}, {"records", report.records},
                              {"issues", report.issues.size()}, {"warnings", report.warnings.size()}};
    ANJIAN_TRY(audit_.record(audit_event(who, "coal_file.upload", "enterprise:" + *uscc, e.ok() ? e->region_code : who.region_code, *uscc,
                                         source, json_text(detail))));
  }
  return report;
}

size_t CoalFiles::scan(const std::string& dir) {
  std::error_code ec;
  size_t taken = 0;
  const auto now = fs::file_time_type::clock::now();
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec) || entry.path().extension() != ".txt") continue;
    // A file still being written (changed in the last 2 s) waits for the next pass.
    if (now - entry.last_write_time(ec) < std::chrono::seconds(2)) continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // names end with the time they were made: oldest first
  const auth::Principal system = auth::system_principal("coal-dir");
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    auto report = take(system, path.filename().string(), bytes.str(), "coal-dir");
    if (!report.ok() && (report.error().code == "storage_error" || report.error().code == "unavailable")) {
      spdlog::error("coal files: {} left for the next pass: {}", path.string(), report.error().message);
      continue;
    }
    const fs::path to = fs::path(dir) / (report.ok() ? "done" : "failed");
    fs::create_directories(to, ec);
    json::object out = report.ok() ? to_json(*report)
                                   : json::object{{"file", path.filename().string()},
                                                  {"error", json::object{{"code", report.error().code}, {"message", report.error().message}}}};
    std::ofstream(to / (path.filename().string() + ".report.json")) << json_text(out) << "\n";
    fs::rename(path, to / path.filename(), ec);
    if (ec) spdlog::error("coal files: cannot move {}: {}", path.string(), ec.message());
    if (report.ok()) {
      ++taken;
      if (!report->issues.empty()) spdlog::warn("coal files: {} taken with {} bad record(s)", path.filename().string(), report->issues.size());
    } else {
      spdlog::warn("coal files: {} refused: {}", path.filename().string(), report.error().message);
    }
  }
  return taken;
}

void CoalFiles::watch(const std::string& dir) {
  spdlog::info("coal files: watching {}", dir);
  watcher_ = std::thread([this, dir] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(2), [this] { return stop_; })) {
      lock.unlock();
      scan(dir);
      lock.lock();
    }
  });
}

void CoalFiles::stop_watching() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

}  // namespace anjian::ingest
