#include "app/config.h"

#include <toml++/toml.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace anjian::app {
namespace {
std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}
}  // namespace

Result<std::pair<std::string, std::uint16_t>> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return Error{"invalid_config", "监听地址须为 HOST:PORT：" + listen, "listen"};
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    size_t used = 0;
    int port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("port");
    return std::make_pair(host, static_cast<std::uint16_t>(port));
  } catch (...) {
    return Error{"invalid_config", "端口号无效：" + listen, "listen"};
  }
}

Result<Config> load_config(const Flags& flags) {
  Config c;
  std::string file = !flags.config_file.empty() ? flags.config_file : env("ANJIAN_CONFIG").value_or("");
  c.config_file = file;
  if (!file.empty()) {
    try {
      toml::table t = toml::parse_file(file);
      if (auto v = t["data"].value<std::string>()) c.data_dir = *v;
      if (auto v = t["db"].value<std::string>()) c.db_url = *v;
      if (auto v = t["listen"].value<std::string>()) c.listen = *v;
      if (auto v = t["web"].value<std::string>()) c.web_dir = *v;
      if (auto v = t["access_log"].value<bool>()) c.access_log = *v;
      if (auto v = t["threads"].value<int64_t>()) c.threads = static_cast<size_t>(*v);
      if (auto v = t["body_limit_mb"].value<int64_t>()) c.body_limit_mb = static_cast<size_t>(*v);
      if (const auto* open_to = t["metrics"]["open_to"].as_array()) {
        c.metrics_open_to.clear();
        for (const auto& a : *open_to) {
          auto address = a.value<std::string>();
          if (!address) return Error{"invalid_config", "[metrics] open_to 须为地址字符串的数组", "metrics"};
          c.metrics_open_to.push_back(*address);
        }
      }
      if (const auto* proxies = t["http"]["trusted_proxies"].as_array()) {
        for (const auto& a : *proxies) {
          auto address = a.value<std::string>();
          if (!address) return Error{"invalid_config", "[http] trusted_proxies 须为地址字符串的数组", "http"};
          c.trusted_proxies.push_back(*address);
        }
      }
      if (auto v = t["readings"]["raw_retention_days"].value<int64_t>()) c.readings.raw_retention_ms = *v * 86'400'000;
      if (auto v = t["readings"]["rollup_retention_days"].value<int64_t>()) c.readings.rollup_retention_ms = *v * 86'400'000;
      if (auto v = t["readings"]["share_rollups"].value<bool>()) c.readings.share_rollups = *v;
      for (auto [key, target] : {std::pair{"escalate_minutes", &c.escalation.unacknowledged_ms},
                                 std::pair{"escalate_no_power_off_minutes", &c.escalation.no_power_off_ms},
                                 std::pair{"escalate_power_off_minutes", &c.escalation.power_off_ms},
                                 std::pair{"escalate_gas_sensor_minutes", &c.escalation.gas_sensor_ms},
                                 std::pair{"escalate_network_down_minutes", &c.escalation.network_down_ms}})
        if (auto v = t["monitoring"][key].value<int64_t>()) {
          if (*v < 0 || *v > 7 * 24 * 60) return Error{"invalid_config", std::string(key) + " 须为 0 至 10080 分钟", "monitoring"};
          *target = *v * 60'000;
        }
      if (auto v = t["monitoring"]["coal_dir"].value<std::string>()) c.coal_dir = *v;
      if (auto v = t["hidden_dangers"]["report_overdue_general_days"].value<int64_t>()) {
        if (*v < 0 || *v > 365) return Error{"invalid_config", "[hidden_dangers] report_overdue_general_days 须为 0 至 365", "hidden_dangers"};
        c.report_overdue_general_days = *v;
      }
      if (auto v = t["enforcement"]["recheck_days"].value<int64_t>()) {
        if (*v < 1 || *v > 60) return Error{"invalid_config", "[enforcement] recheck_days 须为 1 至 60", "enforcement"};
        c.enforcement.recheck_days = static_cast<int>(*v);
      }
      if (auto v = t["enforcement"]["double_random_share"].value<int64_t>()) {
        if (*v < 0 || *v > 100) return Error{"invalid_config", "[enforcement] double_random_share 须为 0 至 100（百分比）", "enforcement"};
        c.enforcement.double_random_share = static_cast<int>(*v);
      }
      if (auto v = t["accidents"]["auto_forward"].value<bool>()) c.accident_auto_forward = *v;
      if (auto v = t["exchange"]["inbox_dir"].value<std::string>()) c.exchange.inbox_dir = *v;
      if (auto v = t["exchange"]["outbox_dir"].value<std::string>()) c.exchange.outbox_dir = *v;
      if (auto v = t["exchange"]["ca_file"].value<std::string>()) c.exchange.ca_file = *v;
      if (auto v = t["exchange"]["push_interval_ms"].value<std::int64_t>()) {
        if (*v < 0 || *v > 3'600'000) return Error{"invalid_config", "[exchange] push_interval_ms 须为 0 至 3600000", "exchange"};
        c.exchange.push_interval_ms = static_cast<int>(*v);
      }
      if (auto v = t["exchange"]["batch_changes"].value<std::int64_t>()) {
        if (*v < 1 || *v > 1'000'000) return Error{"invalid_config", "[exchange] batch_changes 须为 1 至 1000000", "exchange"};
        c.exchange.settings.batch_changes = *v;
      }
      if (auto v = t["emergency"]["road_factor"].value<double>()) {
        if (*v < 1 || *v > 5) return Error{"invalid_config", "[emergency] road_factor 须为 1 至 5", "emergency"};
        c.emergency.road_factor = *v;
      }
      for (auto& [kind, speed] : c.emergency.speed_kmh)
        if (auto v = t["emergency"]["speed_kmh"][kind].value<double>()) {
          if (*v < 1 || *v > 300) return Error{"invalid_config", "[emergency.speed_kmh] " + kind + " 须为 1 至 300", "emergency"};
          speed = *v;
        }
      for (auto [key, target] : {std::pair{"hearing_fine_unit_yuan", &c.enforcement.hearing_fine_unit_yuan},
                                 std::pair{"hearing_fine_person_yuan", &c.enforcement.hearing_fine_person_yuan}})
        if (auto v = t["enforcement"][key].value<int64_t>()) {
          if (*v < 1 || *v > 100'000'000) return Error{"invalid_config", std::string("[enforcement] ") + key + " 须为 1 至 100000000 元", "enforcement"};
          *target = *v;
        }
      if (auto v = t["files"]["max_mb"].value<int64_t>()) {
        if (*v < 1 || *v > 512) return Error{"invalid_config", "[files] max_mb 须为 1 至 512", "files"};
        c.files.max_bytes = static_cast<size_t>(*v) * 1024 * 1024;
      }
      if (auto v = t["mqtt"]["url"].value<std::string>()) c.mqtt_url = *v;
      if (auto v = t["mqtt"]["username"].value<std::string>()) c.mqtt_username = *v;
      if (auto v = t["mqtt"]["password"].value<std::string>()) c.mqtt_password = *v;
      if (auto v = t["mqtt"]["client_id"].value<std::string>()) c.mqtt_client_id = *v;
      if (auto v = t["security"]["session_idle_minutes"].value<int64_t>()) c.security.session_idle_ms = *v * 60000;
      if (auto v = t["security"]["session_absolute_hours"].value<int64_t>()) c.security.session_absolute_ms = *v * 3600000;
      if (auto v = t["security"]["max_login_failures"].value<int64_t>()) c.security.max_failures = static_cast<int>(*v);
      if (auto v = t["security"]["lock_minutes"].value<int64_t>()) c.security.lock_ms = *v * 60000;
      if (auto v = t["security"]["keys_file"].value<std::string>()) c.keys_file = *v;
      for (auto [key, target] : {std::pair{"search_per_minute", &c.rate_limits.search_per_minute},
                                 std::pair{"export_per_minute", &c.rate_limits.export_per_minute}})
        if (auto v = t["http"][key].value<int64_t>()) {
          if (*v < 0 || *v > 100000) return Error{"invalid_config", std::string("[http] ") + key + " 须为 0 至 100000（0：不限）", "http"};
          *target = static_cast<int>(*v);
        }
      if (auto v = t["security"]["admins_need_second_factor"].value<bool>()) c.security.admins_need_second_factor = *v;
      if (auto v = t["security"]["stale_account_days"].value<int64_t>()) c.security.stale_account_days = static_cast<int>(*v);
      if (auto v = t["security"]["totp_issuer"].value<std::string>()) c.security.issuer = *v;
      if (auto v = t["audit"]["online_days"].value<int64_t>()) {
        if (*v < 180 || *v > 36500) return Error{"invalid_config", "[audit] online_days 须为 180 至 36500（审计记录在线保存不少于 180 天）", "audit"};
        c.audit_archive.online_days = static_cast<int>(*v);
      }
      if (auto v = t["audit"]["archive_dir"].value<std::string>()) c.audit_archive.dir = *v;
      if (auto v = t["audit"]["archive_key_file"].value<std::string>()) c.audit_archive.key_file = *v;
      if (auto v = t["backup"]["dir"].value<std::string>()) c.backup.dir = *v;
      if (auto v = t["backup"]["key_file"].value<std::string>()) c.backup.key_file = *v;
      if (auto v = t["backup"]["daily_at"].value<std::string>()) {
        int h = -1, m = -1;
        char extra = 0;
        if (std::sscanf(v->c_str(), "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
          return Error{"invalid_config", "[backup] daily_at 须为 HH:MM（如 02:30）", "backup"};
        c.backup.hour = h;
        c.backup.minute = m;
      }
      for (auto [key, target] : {std::pair{"keep_daily", &c.backup.keep_daily}, std::pair{"keep_weekly", &c.backup.keep_weekly}})
        if (auto v = t["backup"][key].value<int64_t>()) {
          if (*v < 0 || *v > 1000) return Error{"invalid_config", std::string("[backup] ") + key + " 须为 0 至 1000", "backup"};
          *target = static_cast<int>(*v);
        }
      if (auto v = t["storage"]["read_connections"].value<int64_t>()) c.storage.read_connections = static_cast<size_t>(*v);
      if (auto v = t["storage"]["write_connections"].value<int64_t>()) c.storage.write_connections = static_cast<size_t>(*v);
      if (auto v = t["enterprise"]["licence_warning_days"].value<int64_t>()) c.enterprise.licence_warning_days = static_cast<int>(*v);
    } catch (const toml::parse_error& e) {
      return Error{"invalid_config", "配置文件 " + file + " 有误：" + std::string(e.description()), "config"};
    }
  }
  if (auto v = env("ANJIAN_DATA")) c.data_dir = *v;
  if (auto v = env("ANJIAN_DB")) c.db_url = *v;
  if (auto v = env("ANJIAN_LISTEN")) c.listen = *v;
  if (auto v = env("ANJIAN_WEB")) c.web_dir = *v;
  if (auto v = env("ANJIAN_ACCESS_LOG")) c.access_log = *v != "0" && *v != "false";
  if (auto v = env("ANJIAN_ADMINS_NEED_SECOND_FACTOR")) c.security.admins_need_second_factor = *v != "0" && *v != "false";
  if (auto v = env("ANJIAN_MQTT")) c.mqtt_url = *v;
  if (auto v = env("ANJIAN_MQTT_USERNAME")) c.mqtt_username = *v;
  if (auto v = env("ANJIAN_MQTT_PASSWORD")) c.mqtt_password = *v;
  if (!flags.mqtt_url.empty()) c.mqtt_url = flags.mqtt_url;
  if (auto v = env("ANJIAN_COAL_DIR")) c.coal_dir = *v;
  if (auto v = env("ANJIAN_KEYS_FILE")) c.keys_file = *v;
  if (!flags.coal_dir.empty()) c.coal_dir = flags.coal_dir;
  if (!flags.data_dir.empty()) c.data_dir = flags.data_dir;
  if (!flags.db_url.empty()) c.db_url = flags.db_url;
  if (!flags.listen.empty()) c.listen = flags.listen;
  if (!flags.web_dir.empty()) c.web_dir = flags.web_dir;
  if (c.db_url.empty()) c.db_url = "sqlite:" + (std::filesystem::path(c.data_dir) / "anjian.db").string();
  if (c.web_dir.empty() && std::filesystem::exists("web/dist/index.html")) c.web_dir = "web/dist";
  if (c.body_limit_mb < 1 || c.body_limit_mb > 1024) return Error{"invalid_config", "body_limit_mb 须在 1 至 1024 之间", "body_limit_mb"};
  // 安监总局令第40号: hazchem records at least 30 days; coal-mine values 3 months, statistics 2 years.
  if (c.readings.raw_retention_ms < 90LL * 86'400'000)
    return Error{"invalid_config", "raw_retention_days 不得少于 90 天（煤矿实时数据至少保存 3 个月）", "readings"};
  if (c.readings.rollup_retention_ms < 2LL * 365 * 86'400'000)
    return Error{"invalid_config", "rollup_retention_days 不得少于 730 天（统计数据至少保存 2 年）", "readings"};
  if (c.escalation.unacknowledged_ms < 60'000) return Error{"invalid_config", "escalate_minutes 须至少 1 分钟", "monitoring"};
  if (c.security.max_failures < 1) return Error{"invalid_config", "max_login_failures 须大于 0", "security"};
  if (c.security.stale_account_days < 0 || c.security.stale_account_days > 3650)
    return Error{"invalid_config", "stale_account_days 须在 0–3650 之间（0：不停用）", "security"};
  auto listen = split_listen(c.listen);
  if (!listen.ok()) return listen.take_error();
  return c;
}

}  // namespace anjian::app
