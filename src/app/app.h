#pragma once
// The wiring of anjian: opens storage, migrates, and builds every service and route. One App per
// process (or per test).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "app/config.h"
#include "auth/api_keys.h"
#include "auth/identity.h"
#include "codes/regions.h"
#include "db/database.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/service.h"
#include "http/static_files.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/service.h"
#include "modules/risk/hazard_assessment.h"
#include "modules/risk/enterprise_risk.h"
#include "modules/risk/risk_point_service.h"
#include "modules/monitoring/alarm_service.h"
#include "modules/notification/service.h"
#include "ingest/coal_files.h"
#include "ingest/mqtt_door.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/point_service.h"
#include "modules/monitoring/reading_store.h"

namespace anjian::app {

class App {
 public:
  // Opens the database, runs migrations, loads regions and builds the services and routes.
  static Result<std::unique_ptr<App>> open(const Config& config);
  ~App();

  // Starts the HTTP server on config.listen (port 0: a free one). Returns the bound port.
  Result<std::uint16_t> start_http();
  void stop_http();

  const Config& config() const { return config_; }
  db::Database& db() { return *db_; }
  const codes::RegionTable& regions() const { return regions_; }
  audit::AuditLog& audit() { return *audit_; }
  auth::Identity& identity() { return *identity_; }
  auth::ApiKeys& api_keys() { return *api_keys_; }
  enterprise::Service& enterprises() { return *enterprises_; }
  monitoring::PointService& points() { return *points_; }
  hazard::Service& hazards() { return *hazards_; }
  EventBus& bus() { return bus_; }
  risk::HazardAssessments& assessments() { return *assessments_; }
  risk::RiskPointService& risk_points() { return *risk_points_; }
  risk::EnterpriseRiskService& enterprise_risk() { return *enterprise_risk_; }
  notification::NotificationService& notifications() { return *notifications_; }
  monitoring::Pipeline& pipeline() { return *pipeline_; }
  monitoring::ReadingStore& readings() { return *readings_; }
  monitoring::AlarmService& alarms_service() { return *alarms_; }
  ingest::MqttDoor* mqtt() { return mqtt_.get(); }
  ingest::CoalFiles& coal_files() { return *coal_; }
  http::Router& router() { return router_; }
  http::Metrics& metrics() { return metrics_; }
  http::StreamHub& hub() { return hub_; }

 private:
  App() = default;
  void register_routes();
  // A notification in the caller's transaction, to the nearest regulator the platform has.
  Status notify_in(db::Connection& tx, notification::Notification n);

  Config config_;
  std::unique_ptr<db::Database> db_;
  codes::RegionTable regions_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<auth::Identity> identity_;
  std::unique_ptr<auth::ApiKeys> api_keys_;
  std::unique_ptr<enterprise::Service> enterprises_;
  EventBus bus_;  // before the services that publish on it
  std::unique_ptr<hazard::Service> hazards_;
  std::unique_ptr<risk::HazardAssessments> assessments_;
  std::unique_ptr<risk::RiskPointService> risk_points_;
  std::unique_ptr<risk::EnterpriseRiskService> enterprise_risk_;
  std::unique_ptr<notification::NotificationService> notifications_;
  std::unique_ptr<monitoring::PointService> points_;
  std::unique_ptr<monitoring::Pipeline> pipeline_;
  std::unique_ptr<monitoring::ReadingStore> readings_;
  std::unique_ptr<monitoring::AlarmService> alarms_;
  std::unique_ptr<ingest::CoalFiles> coal_;
  std::unique_ptr<ingest::MqttDoor> mqtt_;  // only with --mqtt
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::StaticFiles> files_;
  std::unique_ptr<http::HttpService> service_;
  std::unique_ptr<http::Server> server_;
  http::StreamHub hub_;
  // Background jobs (the offline check), running while the HTTP server runs.
  std::thread jobs_;
  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  bool jobs_stop_ = false;
};

// Sets up the loggers once per process: the default on stderr, and "access" (asynchronous).
void init_logging(bool quiet = false);
// The access log appended to a file instead of stderr (the demo's, so that the terminal stays
// readable). Errors: invalid_config (the file cannot be opened).
Status log_access_to(const std::string& path);

}  // namespace anjian::app
