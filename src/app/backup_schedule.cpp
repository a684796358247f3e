#include "app/backup_schedule.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <vector>

#include "app/app.h"
#include "app/backup.h"
#include "auth/keyring.h"
#include "base/retention.h"

namespace anjian::app {
namespace fs = std::filesystem;

namespace {
constexpr Millis kHour = 3'600'000, kMinute = 60'000, kEightHours = 8 * kHour;

// anjian-20261203-0230.backup → when it was made (Beijing time), or nothing for another file.
std::optional<Millis> made_at(const std::string& name) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  char tail[16] = {};
  if (std::sscanf(name.c_str(), "anjian-%4d%2d%2d-%2d%2d.%15s", &y, &mo, &d, &h, &mi, tail) != 6 || std::string(tail) != "backup")
    return std::nullopt;
  auto day = parse_date(fmt::format("{:04d}-{:02d}-{:02d}", y, mo, d));
  if (!day) return std::nullopt;
  return *day * 86'400'000 + h * kHour + mi * kMinute - kEightHours;
}
}  // namespace

void BackupSchedule::tick(Millis now) {
  const auto& b = config_.backup;
  if (b.dir.empty() || now < retry_after_) return;
  const std::int64_t today = today_shanghai(now);
  if (done_day_ == today) return;
  const Millis local = now + kEightHours;
  const Millis minute_of_day = (local % 86'400'000) / kMinute;
  if (minute_of_day < b.hour * 60 + b.minute) return;
  // Made already today (by an earlier process, or by hand with the same naming)?
  std::error_code ec;
  const std::string prefix = "anjian-" + format_date(today).substr(0, 4) + format_date(today).substr(5, 2) + format_date(today).substr(8, 2) + "-";
  for (const auto& e : fs::directory_iterator(b.dir, ec))
    if (e.path().filename().string().starts_with(prefix) && e.path().extension() == ".backup") {
      done_day_ = today;
      return;
    }
  if (auto r = run(now); !r.ok()) {
    spdlog::error("nightly backup into {} failed: {} (tried again in an hour)", b.dir, r.error().message);
    retry_after_ = now + kHour;
  }
}

Result<std::string> BackupSchedule::run(Millis now) {
  const auto& b = config_.backup;
  std::error_code ec;
  fs::create_directories(b.dir, ec);
  if (ec) return Error{"storage_error", "无法创建备份目录 " + b.dir + "：" + ec.message(), ""};
  std::optional<sm4::Key> key;
  if (!b.key_file.empty()) {
    auto ring = auth::Keyring::load(b.key_file);
    if (!ring.ok()) return ring.take_error();
    key = ring->current();
  }
  const Millis local = now + kEightHours;
  const std::string day = format_date(today_shanghai(now));
  const std::string name = fmt::format("anjian-{}{}{}-{:02d}{:02d}.backup", day.substr(0, 4), day.substr(5, 2), day.substr(8, 2),
                                       (local % 86'400'000) / kHour, (local % kHour) / kMinute);
  const std::string path = (fs::path(b.dir) / name).string();
  auto made = make_backup({config_.data_dir, config_.db_url, config_.config_file, keys_file_of(config_), key}, path, &db_);
  if (!made.ok()) return made.take_error();
  done_day_ = today_shanghai(now);
  spdlog::info("nightly backup {}: {} bytes, {} entries, SM3 {} ({} ms){}", path, made->bytes, made->entries, made->digest, made->took_ms,
               key ? ", SM4 sealed" : "");
  // Pruned only after the new one is safely written.
  std::vector<fs::path> files;
  std::vector<Millis> times;
  for (const auto& e : fs::directory_iterator(b.dir, ec))
    if (auto t = made_at(e.path().filename().string())) {
      files.push_back(e.path());
      times.push_back(*t);
    }
  const auto keep = copies_to_keep(times, b.keep_daily, b.keep_weekly);
  for (size_t i = 0; i < files.size(); ++i)
    if (!keep.count(i) && files[i] != fs::path(path)) {
      fs::remove(files[i], ec);
      spdlog::info("old backup {} removed (keep_daily {}, keep_weekly {})", files[i].string(), b.keep_daily, b.keep_weekly);
    }
  return path;
}

}  // namespace anjian::app
