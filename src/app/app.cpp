#include "app/app.h"
#include "base/json_text.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "db/migrations.h"
#include "modules/audit/routes.h"
#include "modules/enterprise/routes.h"
#include "modules/hazard/routes.h"
#include "modules/risk/routes.h"
#include "app/risk_export.h"
#include "modules/identity/routes.h"
#include "ingest/routes.h"
#include "modules/monitoring/routes.h"
#include "modules/notification/routes.h"
#include "modules/region/routes.h"

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
notification::Notification rose_to_red_notice(const risk::LevelChange& ch) {
  notification::Notification n;
  n.region_code = ch.region_code;  // the enterprise's county: its regulator
  n.kind = "risk.rose_to_red";
  n.enterprise_uscc = ch.uscc;
  n.title = ch.enterprise_name + " 风险升至重大风险（红）";
  n.body = fmt::format("{}（{}）的动态风险由{}升至重大风险，{:g} 分。原因：{}。", ch.enterprise_name, ch.uscc,
                       ch.previous ? risk::chinese(*ch.previous) : "未评估", ch.score.score,
                       risk::main_reason(ch.score.override_reason, ch.score.breakdown));
  n.link = "/enterprises/" + ch.uscc + "?tab=risk";
  return n;
}

notification::Notification escalation_notice(const monitoring::Alarm& a) {
  notification::Notification n;
  n.region_code = a.escalated_to;  // the regulator above the enterprise's county
  n.kind = "alarm.escalated";
  n.enterprise_uscc = a.enterprise_uscc;
  n.title = "报警升级：" + a.enterprise_name + " 超时未确认";
  n.body = fmt::format("{}（{}）测点 {}（{}）的报警于 {} 发生，超时未确认，已报上一级监管部门。", a.enterprise_name, a.enterprise_uscc,
                       a.point_name.empty() ? a.point_code : a.point_name, a.point_code, format_iso(a.raised_at).substr(0, 19));
  n.link = "/alarms?enterprise_uscc=" + a.enterprise_uscc;
  return n;
}
}  // namespace

Status App::notify_in(db::Connection& tx, notification::Notification n) {
  // Addressed to the regulator of the region, or — where the platform has none — the nearest above.
  auto to = identity_->nearest_regulator(tx, n.region_code);
  if (!to.ok()) return to.take_error();
  if (!to->empty()) n.region_code = *to;
  return notifications_->add_in(tx, std::move(n));
}

Result<std::unique_ptr<App>> App::open(const Config& config) {
  init_logging();
  std::unique_ptr<App> app(new App());
  app->config_ = config;
  auto db = db::open_database(config.db_url, config.storage);
  if (!db.ok()) return db.take_error();
  app->db_ = std::move(db).value();
  auto applied = db::migrate(*app->db_);
  if (!applied.ok()) return applied.take_error();
  if (*applied > 0) spdlog::info("applied {} migration(s) to {}", *applied, app->db_->describe());
  auto regions = region::load(*app->db_);
  if (!regions.ok()) return regions.take_error();
  app->regions_ = std::move(regions).value();
  app->audit_ = std::make_unique<audit::AuditLog>(*app->db_);
  app->identity_ = std::make_unique<auth::Identity>(*app->db_, app->regions_, *app->audit_, config.security);
  app->enterprises_ = std::make_unique<enterprise::Service>(*app->db_, app->regions_, *app->audit_, config.enterprise);
  app->api_keys_ = std::make_unique<auth::ApiKeys>(*app->db_, *app->audit_);
  app->hazards_ = std::make_unique<hazard::Service>(*app->db_, *app->enterprises_, *app->audit_, &app->bus_);
  app->assessments_ = std::make_unique<risk::HazardAssessments>(*app->db_, *app->hazards_);
  app->risk_points_ = std::make_unique<risk::RiskPointService>(*app->db_, *app->enterprises_, *app->hazards_, *app->audit_, &app->bus_);
  app->enterprise_risk_ = std::make_unique<risk::EnterpriseRiskService>(*app->db_, *app->enterprises_, app->regions_);
  app->notifications_ = std::make_unique<notification::NotificationService>(*app->db_);
  // Rising to 红 is what the county regulator must not miss: a notification in its inbox, kept in
  // the same transaction as the change (the stream below reaches only those connected).
  app->enterprise_risk_->on_level_change_in([a = app.get()](db::Connection& tx, const risk::LevelChange& ch) -> Status {
    if (ch.score.level != risk::RiskLevel::major) return {};
    return a->notify_in(tx, rose_to_red_notice(ch));
  });
  if (auto s = app->enterprise_risk_->load_regions(); !s.ok()) return s.take_error();
  // What feeds an enterprise's risk marks it; the jobs thread recomputes what is marked.
  app->enterprises_->set_bus(&app->bus_);
  for (const char* topic : {"enterprise.changed", "hazard_source.changed", "risk_point.changed", "alarm.changed"})
    app->bus_.subscribe(topic, [r = app->enterprise_risk_.get()](const Event& e) {
      if (const auto* u = e.data.if_contains("enterprise_uscc"); u && u->is_string()) r->mark(std::string(u->as_string()));
    });
  app->enterprise_risk_->on_level_change([hub = &app->hub_](const risk::LevelChange& ch) {
    auto data = risk::to_json(ch.score);
    data.erase("breakdown");
    data["enterprise_uscc"] = ch.uscc;
    data["enterprise_name"] = ch.enterprise_name;
    data["previous_level"] = ch.previous ? boost::json::value(risk::to_string(*ch.previous)) : boost::json::value(nullptr);
    // Rising to 红 is the one the county regulator must not miss: the console raises it as a notice.
    data["rose_to_red"] = ch.score.level == risk::RiskLevel::major;
    hub->publish(json_text(boost::json::object{{"type", "risk.level_changed"}, {"data", std::move(data)}}), ch.region_code,
                 ch.uscc);
  });
  app->bus_.subscribe("hazard_source.changed", [a = app->assessments_.get()](const Event& e) { a->on_changed(e); });
  app->points_ = std::make_unique<monitoring::PointService>(*app->db_, *app->enterprises_, *app->audit_);
  app->pipeline_ = std::make_unique<monitoring::Pipeline>(*app->db_);
  app->readings_ = std::make_unique<monitoring::ReadingStore>(*app->db_, config.readings);
  app->alarms_ = std::make_unique<monitoring::AlarmService>(*app->db_, *app->audit_);
  app->pipeline_->on_reading({[hub = &app->hub_] { return hub->wants_readings(); },
                               [hub = &app->hub_](const std::string& id) { return hub->follows(id); },
                               [hub = &app->hub_](const std::string& id, const std::string& text) { hub->publish_reading(id, text); }});
  // A subscription names points or a hazard source; only what the user's scope sees is followed.
  app->hub_.set_resolver([points = app->points_.get(), hazards = app->hazards_.get()](
                             const auth::Principal& who, const json::object& request) -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    for (const auto& kv : request) {
      if (kv.key() == "points" && kv.value().is_array()) {
        if (kv.value().as_array().size() > http::StreamHub::kMaxSubscribed)
          return Error{"too_large", "一次最多订阅 " + std::to_string(http::StreamHub::kMaxSubscribed) + " 个测点", "points"};
        for (const auto& v : kv.value().as_array()) {
          if (!v.is_string()) return Error::invalid_field("points", "points 须为测点 id 的数组");
          auto p = points->get(who.scope, std::string(v.as_string()));
          if (!p.ok()) return Error{"not_found", "测点不存在或不在您的管辖范围内", "points"};
          ids.push_back(p->id);
        }
      } else if (kv.key() == "hazard_source_id" && kv.value().is_string()) {
        auto h = hazards->get(who.scope, std::string(kv.value().as_string()));
        if (!h.ok()) return Error{"not_found", "重大危险源不存在或不在您的管辖范围内", "hazard_source_id"};
        monitoring::PointFilter f;
        f.hazard_source_id = h->id;
        f.page_size = http::StreamHub::kMaxSubscribed;
        auto list = points->list(who.scope, f);
        if (!list.ok()) return list.take_error();
        for (const auto& p : list->items) ids.push_back(p.id);
      } else {
        return Error{"unknown_field", "未知字段 subscribe." + std::string(kv.key()), std::string(kv.key())};
      }
    }
    return ids;
  });
  app->alarms_->on_escalate([hub = &app->hub_](const std::string& text, const std::string& region, const std::string& uscc) {
    hub->publish(text, region, uscc);
  });
  // The regulator an alarm went up to finds it in its inbox, kept with the escalation.
  app->alarms_->on_escalate_in([a = app.get()](db::Connection& tx, const monitoring::Alarm& alarm) -> Status {
    return a->notify_in(tx, escalation_notice(alarm));
  });
  app->coal_ = std::make_unique<ingest::CoalFiles>(*app->db_, *app->enterprises_, *app->points_, *app->pipeline_, *app->audit_);
  app->points_->on_change([p = app->pipeline_.get()](const std::string& uscc) { p->invalidate(uscc); });
  app->pipeline_->on_alarm([hub = &app->hub_, bus = &app->bus_](const std::string& text, const std::string& region, const std::string& uscc) {
    hub->publish(text, region, uscc);
    bus->publish({"alarm.changed", boost::json::object{{"enterprise_uscc", uscc}}});
  });
  // The state of the points that were sending before a restart (a crash included) comes back from
  // the log's uncompacted tail.
  if (auto s = app->pipeline_->warm_start(now_ms() - config.readings.chunk_ms - config.readings.settle_ms); !s.ok())
    return s.take_error();
  app->register_routes();
  app->files_ = std::make_unique<http::StaticFiles>(config.web_dir);
  http::ServiceHooks hooks;
  hooks.authenticate = [id = app->identity_.get()](std::string_view token) { return id->authenticate(token); };
  hooks.audit_denied = [log = app->audit_.get()](const http::Request& req, std::string_view action) {
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
    const bool loopback = req.remote == "127.0.0.1" || req.remote == "::1" || req.remote.starts_with("127.");
    if (!loopback) {
      if (!req.principal) return http::Response::error({"unauthenticated", "未登录", ""});
      if (!req.principal->can(auth::Action::audit_read) || !req.principal->can(auth::Action::user_manage))
        return http::Response::error(Error::forbidden());
    }
    auto s = db_->stats();
    std::string extra =
        "# HELP anjian_db_connections Database connections by pool and state.\n# TYPE anjian_db_connections gauge\n";
    extra += "anjian_db_connections{pool=\"read\",state=\"open\"} " + std::to_string(s.readers) + "\n";
    extra += "anjian_db_connections{pool=\"read\",state=\"in_use\"} " + std::to_string(s.readers_in_use) + "\n";
    extra += "anjian_db_connections{pool=\"write\",state=\"open\"} " + std::to_string(s.writers) + "\n";
    extra += "anjian_db_connections{pool=\"write\",state=\"in_use\"} " + std::to_string(s.writers_in_use) + "\n";
    if (mqtt_) extra += mqtt_->metrics();
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.render(extra);
    return r;
  }, {.public_route = true});

  // The stream itself is a WebSocket upgrade handled by the server; a plain GET is told so.
  router_.get("/api/v1/stream", [](http::Request&) {
    return http::Response::error({"upgrade_required", "实时推送须以 WebSocket 连接（?token= 或 Authorization 头）", ""});
  });
  region::register_routes(router_, regions_);
  identity::register_routes(router_, *identity_, *api_keys_, *enterprises_);
  enterprise::register_routes(router_, *enterprises_);
  audit::register_routes(router_, *audit_);
  hazard::register_routes(router_, *hazards_);
  risk::register_calculator_routes(router_, risk::RiskModel::standard());
  risk::register_assessment_routes(router_, *assessments_);
  risk::register_risk_point_routes(router_, *risk_points_);
  register_risk_exports(router_, *risk_points_, *enterprises_);
  risk::register_enterprise_risk_routes(router_, *enterprise_risk_);
  notification::register_routes(router_, *notifications_);
  monitoring::register_routes(router_, {*points_, *pipeline_, *alarms_, *enterprises_, *hazards_, *readings_});
  ingest::register_routes(router_, *pipeline_, *coal_, *api_keys_);
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
  opt.stream_auth = [this](const http::Request& req) -> std::shared_ptr<const auth::Principal> {
    auto who = identity_->authenticate(http::bearer_token(req));
    return who.ok() ? std::move(who).value() : nullptr;
  };
  opt.body_limit_for = [limit = opt.body_limit](std::string_view method, std::string_view target) {
    return method == "POST" && target.starts_with("/api/v1/enterprises/import") ? limit * 4 : limit;
  };
  server_ = std::make_unique<http::Server>(
      opt, [this](http::Request& req) { return service_->handle(req); },
      [this](int n) { metrics_.set_open_connections(n); });
  auto port = server_->start();
  if (port.ok() && !config_.mqtt_url.empty()) {
    mqtt_ = std::make_unique<ingest::MqttDoor>(*pipeline_, ingest::MqttOptions{config_.mqtt_url, config_.mqtt_username,
                                                                                      config_.mqtt_password, config_.mqtt_client_id});
    if (auto s = mqtt_->start(); !s.ok()) return s.error();
  }
  if (port.ok() && !config_.coal_dir.empty()) coal_->watch(config_.coal_dir);
  if (port.ok()) {
    jobs_ = std::thread([this] {
      std::unique_lock lock(jobs_mu_);
      // Every 5 s: a point silent for 3 periods (10 s by default) is reported within 5 s more.
      // Every minute: compaction of the readings log; every hour: retention.
      int ticks = 0;
      // Scores made by another model version (or none yet): all recomputed first, after the risk
      // points are levelled by the model's cut-offs (a new version may have moved them).
      if (auto stale = enterprise_risk_->stale_model(); stale.ok() && *stale) {
        lock.unlock();
        if (auto moved = risk_points_->relevel_all(auth::system_principal("risk-model")); !moved.ok())
          spdlog::error("risk points not levelled by model {}: {}", risk::RiskModel::standard().version(), moved.error().message);
        else if (*moved > 0)
          spdlog::info("{} risk point(s) levelled anew by model {}", *moved, risk::RiskModel::standard().version());
        const Millis start = now_ms();
        auto n = enterprise_risk_->recompute_all(start, "model");
        if (!n.ok()) spdlog::error("risk recomputation failed: {}", n.error().message);
        else spdlog::info("risk of {} enterprise(s) computed by model {} in {} ms", *n, risk::RiskModel::standard().version(), now_ms() - start);
        lock.lock();
      }
      if (auto w = enterprise_risk_->snapshot_week(now_ms()); !w.ok()) spdlog::error("regional risk snapshot failed: {}", w.error().message);
      while (!jobs_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return jobs_stop_; })) {
        lock.unlock();
        // Every 5 s: the enterprises whose facts changed; every hour: all (time-based factors).
        const bool hourly = ticks % 720 == 719;
        auto risk = hourly ? enterprise_risk_->recompute_all(now_ms(), "periodic") : enterprise_risk_->recompute_marked(now_ms());
        if (!risk.ok()) spdlog::error("risk recomputation failed: {}", risk.error().message);
        if (hourly)
          if (auto w = enterprise_risk_->snapshot_week(now_ms()); !w.ok()) spdlog::error("regional risk snapshot failed: {}", w.error().message);
        auto n = pipeline_->check_offline(now_ms());
        if (!n.ok()) spdlog::error("offline check failed: {}", n.error().message);
        else if (*n > 0) spdlog::info("{} point(s) went offline", *n);
        auto up = alarms_->escalate(now_ms(), config_.escalate_after_ms);
        if (!up.ok()) spdlog::error("escalation failed: {}", up.error().message);
        else if (*up > 0) spdlog::warn("{} alarm(s) unacknowledged for {} min went to the next level", *up, config_.escalate_after_ms / 60000);
        if (++ticks % 12 == 0) {
          auto c = readings_->compact(now_ms());
          if (!c.ok()) spdlog::error("compaction failed: {}", c.error().message);
          else if (c->readings > 0)
            spdlog::info("compacted {} readings into {} chunks ({} bytes) and {} rollups", c->readings, c->chunks, c->chunk_bytes, c->rollups);
        }
        if (ticks % 720 == 0) {
          auto r = readings_->apply_retention(now_ms());
          if (!r.ok()) spdlog::error("retention failed: {}", r.error().message);
        }
        lock.lock();
      }
    });
  }
  return port;
}

void App::stop_http() {
  if (mqtt_) mqtt_->stop();
  if (coal_) coal_->stop_watching();
  if (server_) server_->stop();
  {
    std::lock_guard lock(jobs_mu_);
    jobs_stop_ = true;
  }
  jobs_cv_.notify_all();
  if (jobs_.joinable()) jobs_.join();
}


}  // namespace anjian::app
