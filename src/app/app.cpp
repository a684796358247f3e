#include "app/app.h"

#include "auth/personal_data.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/json_text.h"
#include "db/migrations.h"
#include "docs/accident_report.h"
#include "docs/enforcement_pdf.h"
#include "docs/hidden_danger_report.h"
#include "docs/risk_inventory.h"
#include "exchange/module.h"
#include "modules/catalog/module.h"
#include "files/module.h"
#include "ingest/module.h"
#include "modules/accident/module.h"
#include "modules/audit/module.h"
#include "modules/emergency/module.h"
#include "modules/enforcement/module.h"
#include "modules/enterprise/module.h"
#include "modules/hazard/module.h"
#include "modules/hidden_danger/module.h"
#include "modules/identity/module.h"
#include "modules/monitoring/module.h"
#include "modules/notification/module.h"
#include "modules/region/module.h"
#include "modules/region/routes.h"
#include "modules/risk/module.h"

namespace anjian::app {
namespace json = boost::json;

void init_logging(bool quiet) {
  static std::once_flag once;
  std::call_once(once, [quiet] {
    auto err = spdlog::stderr_logger_mt("anjian");
    spdlog::set_default_logger(err);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    // The access log must never make a request wait on the terminal: it is written by a
    // background thread, and dropped lines are preferred to a blocked server when it falls behind.
    spdlog::init_thread_pool(65536, 1);
    auto access = std::make_shared<spdlog::async_logger>(
        "access", std::make_shared<spdlog::sinks::stderr_sink_mt>(), spdlog::thread_pool(),
        spdlog::async_overflow_policy::overrun_oldest);
    access->set_pattern("%v");
    spdlog::register_logger(access);
    if (quiet) {
      spdlog::set_level(spdlog::level::warn);
      access->set_level(spdlog::level::off);
    }
  });
}

Status log_access_to(const std::string& path) {
  try {
    auto access = spdlog::get("access");
    if (!access) return Error{"internal", "日志尚未初始化", ""};
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
    access->sinks().clear();
    access->sinks().push_back(std::move(file));
    access->flush_on(spdlog::level::info);
    return {};
  } catch (const spdlog::spdlog_ex& e) {
    return Error{"invalid_config", std::string("无法写访问日志 ") + path + "：" + e.what(), "access_log"};
  }
}

namespace {
// The modules, in the order they open: each finds what earlier ones provide.
std::vector<std::unique_ptr<modules::Module>> module_list(const Config& c) {
  std::vector<std::unique_ptr<modules::Module>> list;
  list.push_back(std::make_unique<audit::AuditModule>(audit_archive_of(c)));
  list.push_back(std::make_unique<identity::IdentityModule>(c.security));
  list.push_back(std::make_unique<region::RegionModule>());
  list.push_back(std::make_unique<enterprise::EnterpriseModule>(c.enterprise));
  list.push_back(std::make_unique<notification::NotificationModule>());
  list.push_back(std::make_unique<hazard::HazardModule>());
  list.push_back(std::make_unique<risk::RiskModule>());
  list.push_back(std::make_unique<monitoring::MonitoringModule>(c.readings, c.escalation));
  list.push_back(std::make_unique<ingest::IngestModule>(ingest::MqttOptions{c.mqtt_url, c.mqtt_username, c.mqtt_password, c.mqtt_client_id},
                                                        c.coal_dir));
  list.push_back(std::make_unique<docs::RiskInventoryModule>());
  list.push_back(std::make_unique<files::FilesModule>(c.data_dir + "/files", c.files));
  list.push_back(std::make_unique<hidden_danger::HiddenDangerModule>(c.report_overdue_general_days * 86'400'000LL));
  list.push_back(std::make_unique<docs::HiddenDangerReportModule>());
  list.push_back(std::make_unique<enforcement::EnforcementModule>(c.enforcement));
  list.push_back(std::make_unique<docs::EnforcementDocumentsModule>());
  list.push_back(std::make_unique<accident::AccidentModule>(c.accident_auto_forward));
  list.push_back(std::make_unique<docs::AccidentReportModule>());
  list.push_back(std::make_unique<emergency::EmergencyModule>(c.emergency));
  // Last: it installs the outbox triggers of every type the modules above declared.
  list.push_back(std::make_unique<exchange::ExchangeModule>(c.data_dir + "/node.key", c.exchange));
  // The catalog publishes what the modules above share, and serves it to departments and the public.
  list.push_back(std::make_unique<catalog::CatalogModule>(c.data_dir + "/open"));
  return list;
}
}  // namespace

std::string keys_file_of(const Config& config) {
  return !config.keys_file.empty() ? config.keys_file : (std::filesystem::path(config.data_dir) / "keys" / "personal.keys").string();
}

audit::ArchiveSettings audit_archive_of(const Config& config) {
  audit::ArchiveSettings s = config.audit_archive;
  if (s.dir.empty()) s.dir = (std::filesystem::path(config.data_dir) / "audit-archive").string();
  if (s.key_file.empty()) s.key_file = (std::filesystem::path(config.data_dir) / "keys" / "audit-archive.pem").string();
  return s;
}

Result<std::unique_ptr<App>> App::open(const Config& config) {
  init_logging();
  std::unique_ptr<App> app(new App());
  app->config_ = config;
  // Personal data is sealed with these keys from the first write on (auth/personal_data.h).
  if (auto keys = auth::PersonalData::instance().use_key_file(keys_file_of(config)); !keys.ok()) return keys.take_error();
  auto db = db::open_database(config.db_url, config.storage);
  if (!db.ok()) return db.take_error();
  app->db_ = std::move(db).value();
  auto applied = db::migrate(*app->db_);
  if (!applied.ok()) return applied.take_error();
  if (*applied > 0) spdlog::info("applied {} migration(s) to {}", *applied, app->db_->describe());
  auto regions = region::load(*app->db_);
  if (!regions.ok()) return regions.take_error();
  app->regions_ = std::move(regions).value();
  app->ctx_ = std::make_unique<modules::Context>(*app->db_, app->regions_, app->bus_, app->hub_, app->jobs_);
  // What the modules share with other nodes: each declares its record types here as it opens.
  app->ctx_->provide(std::make_unique<exchange::ShareRegistry>());
  app->modules_ = module_list(config);
  for (auto& m : app->modules_)
    if (auto s = m->open(*app->ctx_); !s.ok()) {
      spdlog::error("module {} did not open: {}", m->name(), s.error().message);
      return s.take_error();
    }
  // Rows written in clear before sealing began (or under a key rotated out) are sealed now, in
  // small transactions beside the server's own work.
  app->jobs_.at_start([db = app->db_.get()](Millis) {
    auto r = auth::reseal_columns(*db);
    if (!r.ok()) spdlog::error("personal data not sealed: {}", r.error().message);
    else if (r->resealed > 0 || r->unreadable > 0)
      spdlog::info("personal data: {} value(s) sealed with the current key, {} unreadable", r->resealed, r->unreadable);
  });
  app->backups_ = std::make_unique<BackupSchedule>(app->config_, *app->db_);
  app->jobs_.every(std::chrono::seconds(modules::Jobs::kTickMs / 1000), [b = app->backups_.get()](Millis now) { b->tick(now); });
  app->register_routes();
  for (auto& m : app->modules_) m->routes(app->router_, *app->ctx_);
  app->files_ = std::make_unique<http::StaticFiles>(config.web_dir);
  http::ServiceHooks hooks;
  hooks.authenticate = [id = &app->identity()](std::string_view token) { return id->authenticate(token); };
  app->rate_limiter_ = std::make_unique<http::RateLimiter>(config.rate_limits);
  hooks.rate_limiter = app->rate_limiter_.get();
  hooks.audit_denied = [log = &app->audit()](const http::Request& req, std::string_view action) {
    const auth::Principal& p = req.who();
    auto e = audit_event(p, "permission.denied", req.method + " " + req.path, p.region_code, p.uscc, req.remote,
                         json_text(json::object{{"needs", action}}), "denied");
    if (auto s = log->record(std::move(e)); !s.ok()) spdlog::error("audit of a denial failed: {}", s.error().message);
  };
  app->service_ = std::make_unique<http::HttpService>(app->router_, std::move(hooks), app->files_.get(), app->metrics_,
                                                      config.access_log);
  return app;
}

App::~App() { stop_http(); }

void App::register_routes() {
  router_.get("/healthz", [this](http::Request&) {
    auto r = db_->read();
    if (!r.ok() || !(*r)->query("SELECT 1").ok())
      return http::Response::json(json::object{{"status", "unavailable"}}, 503);
    return http::Response::json(json::object{{"status", "ok"}});
  }, {.public_route = true});

  router_.get("/metrics", [this](http::Request& req) {
    // Open to a monitoring agent on this machine; a request a proxy forwarded (nginx in front:
    // every client then comes from 127.0.0.1) is anyone's, and needs an administrator.
    const bool forwarded = !req.header("x-forwarded-for").empty() || !req.header("x-real-ip").empty() || !req.header("forwarded").empty();
    const bool open_to = !forwarded && std::find(config_.metrics_open_to.begin(), config_.metrics_open_to.end(), req.remote) !=
                                           config_.metrics_open_to.end();
    if (!open_to) {
      if (!req.principal) return http::Response::error({"unauthenticated", "未登录", ""});
      if (!req.principal->can(auth::Action::system_manage))
        return http::Response::error(Error::forbidden());
    }
    auto s = db_->stats();
    std::string extra =
        "# HELP anjian_db_connections Database connections by pool and state.\n# TYPE anjian_db_connections gauge\n";
    extra += "anjian_db_connections{pool=\"read\",state=\"open\"} " + std::to_string(s.readers) + "\n";
    extra += "anjian_db_connections{pool=\"read\",state=\"in_use\"} " + std::to_string(s.readers_in_use) + "\n";
    extra += "anjian_db_connections{pool=\"write\",state=\"open\"} " + std::to_string(s.writers) + "\n";
    extra += "anjian_db_connections{pool=\"write\",state=\"in_use\"} " + std::to_string(s.writers_in_use) + "\n";
    if (auto* door = mqtt()) extra += door->metrics();
    extra += exchange().metrics_text();
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.render(extra);
    return r;
  }, {.public_route = true});

  // The stream itself is a WebSocket upgrade handled by the server; a plain GET is told so.
  router_.get("/api/v1/stream", [](http::Request&) {
    return http::Response::error({"upgrade_required", "实时推送须以 WebSocket 连接（?ticket=、?token= 或 Authorization 头）", ""});
  });
  // A one-time ticket to open the stream with, so that the session token stays out of URLs.
  router_.post("/api/v1/stream/ticket", [this](http::Request& req) {
    const Millis now = now_ms();
    std::string ticket = stream_tickets_.issue(std::string(http::bearer_token(req)), now);
    return http::Response::json(json::object{{"ticket", ticket}, {"expires_at", format_iso(now + auth::StreamTickets::kLifetimeMs)}}, 201);
  });
}

Result<std::uint16_t> App::start_http() {
  auto listen = split_listen(config_.listen);
  if (!listen.ok()) return listen.take_error();
  http::ServerOptions opt;
  opt.host = listen->first;
  opt.port = listen->second;
  opt.threads = config_.threads;
  opt.body_limit = config_.body_limit_mb * 1024 * 1024;
  opt.hub = &hub_;
  // Password hashing (Argon2id, 20–40 ms) off the I/O threads: logins, password changes and resets,
  // new users.
  opt.slow_route = [](std::string_view method, std::string_view path) {
    return method == "POST" && (path == "/api/v1/auth/login" || path == "/api/v1/auth/password" || path == "/api/v1/users" ||
                                (path.starts_with("/api/v1/users/") && path.ends_with("/password")));
  };
  opt.stream_auth = [this](const http::Request& req) -> http::ServerOptions::StreamIdentity {
    std::string token;
    if (auto ticket = req.query.find("ticket"); ticket != req.query.end()) {
      token = stream_tickets_.redeem(ticket->second, now_ms()).value_or("");
    } else {
      token = std::string(http::bearer_token(req));
    }
    auto who = identity().authenticate(token);
    if (!who.ok() || !auth::may_act(**who).ok()) return {};
    return {std::move(who).value(), std::move(token)};
  };
  opt.trusted_proxies = config_.trusted_proxies;
  // A stream ends with its session, re-checked as often as a cached session is re-read; a storage
  // hiccup keeps it (it is asked again).
  opt.stream_recheck = std::chrono::seconds(std::max<Millis>(1, config_.security.recheck_after_ms / 1000));
  opt.stream_session_stands = [this](const std::string& token) {
    auto stands = identity().session_stands(token);
    return !stands.ok() || *stands;
  };
  opt.max_body_limit = std::max(opt.body_limit * 4, config_.files.max_bytes + 1024 * 1024);
  opt.body_limit_for = [limit = opt.body_limit, file_limit = config_.files.max_bytes](std::string_view method, std::string_view target) {
    if (method == "POST" && (target.starts_with("/api/v1/enterprises/import") || target.starts_with("/api/v1/hidden-dangers/import") ||
                             target == "/api/v1/exchange/batches"))
      return limit * 4;
    // An evidence file up to its own limit (its service says so in Chinese; past the body limit the server would).
    if (method == "POST" && (target == "/api/v1/files" || target.starts_with("/api/v1/files?"))) return std::max(limit, file_limit + 1024 * 1024);
    return limit;
  };
  server_ = std::make_unique<http::Server>(
      opt, [this](http::Request& req) { return service_->handle(req); },
      [this](int n) { metrics_.set_open_connections(n); });
  auto port = server_->start();
  if (!port.ok()) return port;
  for (auto& m : modules_)
    if (auto s = m->start(*ctx_); !s.ok()) return s.error();
  jobs_thread_ = std::thread([this] {
    std::unique_lock lock(jobs_mu_);
    lock.unlock();
    jobs_.run_start(now_ms());
    lock.lock();
    std::int64_t tick = 0;
    while (!jobs_cv_.wait_for(lock, std::chrono::milliseconds(modules::Jobs::kTickMs), [this] { return jobs_stop_; })) {
      lock.unlock();
      jobs_.run_tick(++tick, now_ms());
      lock.lock();
    }
  });
  return port;
}

void App::stop_http() {
  for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) (*it)->stop();
  if (server_) server_->stop();
  {
    std::lock_guard lock(jobs_mu_);
    jobs_stop_ = true;
  }
  jobs_cv_.notify_all();
  if (jobs_thread_.joinable()) jobs_thread_.join();
}


}  // namespace anjian::app
