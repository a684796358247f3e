#pragma once
// The wiring of anjian: opens storage, migrates, and builds every service and route. One App per
// process (or per test).
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "app/backup_schedule.h"
#include "app/config.h"
#include "auth/stream_tickets.h"
#include "auth/api_keys.h"
#include "auth/identity.h"
#include "codes/regions.h"
#include "db/database.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/service.h"
#include "http/static_files.h"
#include "exchange/nodes.h"
#include "exchange/corrections.h"
#include "exchange/service.h"
#include "modules/module.h"
#include "modules/accident/service.h"
#include "modules/audit/audit_log.h"
#include "modules/emergency/duty.h"
#include "modules/emergency/incident.h"
#include "modules/emergency/plans.h"
#include "modules/emergency/resources.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/service.h"
#include "modules/risk/hazard_assessment.h"
#include "modules/risk/enterprise_risk.h"
#include "modules/risk/risk_point_service.h"
#include "modules/enforcement/case_service.h"
#include "modules/enforcement/documents.h"
#include "modules/enforcement/inspection_service.h"
#include "modules/enforcement/plans.h"
#include "modules/enforcement/publication.h"
#include "modules/enforcement/draw_service.h"
#include "modules/hidden_danger/self_inspection.h"
#include "modules/hidden_danger/service.h"
#include "modules/monitoring/alarm_service.h"
#include "modules/notification/service.h"
#include "ingest/coal_files.h"
#include "ingest/mqtt_door.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/point_service.h"
#include "modules/monitoring/reading_store.h"

namespace anjian::app {

// Where the personal-data keys are: [security] keys_file, else DATA/keys/personal.keys.
std::string keys_file_of(const Config& config);
// [audit] with its folders filled in: DATA/audit-archive and DATA/keys/audit-archive.pem.
audit::ArchiveSettings audit_archive_of(const Config& config);

class App {
 public:
  // Opens the database, runs migrations, loads regions and opens the modules in order (each
  // builds its services, subscriptions and jobs), then registers their routes.
  static Result<std::unique_ptr<App>> open(const Config& config);
  // The nightly backup's schedule (its run() makes one now).
  BackupSchedule& backups() { return *backups_; }
  ~App();

  // Starts the HTTP server on config.listen (port 0: a free one), the modules' doors and the jobs
  // thread. Returns the bound port.
  Result<std::uint16_t> start_http();
  void stop_http();

  const Config& config() const { return config_; }
  db::Database& db() { return *db_; }
  const codes::RegionTable& regions() const { return regions_; }
  // The services of the modules (found in the modules' context).
  audit::AuditLog& audit() { return ctx_->need<audit::AuditLog>(); }
  auth::Identity& identity() { return ctx_->need<auth::Identity>(); }
  auth::ApiKeys& api_keys() { return ctx_->need<auth::ApiKeys>(); }
  enterprise::Service& enterprises() { return ctx_->need<enterprise::Service>(); }
  monitoring::PointService& points() { return ctx_->need<monitoring::PointService>(); }
  hazard::Service& hazards() { return ctx_->need<hazard::Service>(); }
  EventBus& bus() { return bus_; }
  risk::HazardAssessments& assessments() { return ctx_->need<risk::HazardAssessments>(); }
  risk::RiskPointService& risk_points() { return ctx_->need<risk::RiskPointService>(); }
  risk::EnterpriseRiskService& enterprise_risk() { return ctx_->need<risk::EnterpriseRiskService>(); }
  notification::NotificationService& notifications() { return ctx_->need<notification::NotificationService>(); }
  monitoring::Pipeline& pipeline() { return ctx_->need<monitoring::Pipeline>(); }
  monitoring::ReadingStore& readings() { return ctx_->need<monitoring::ReadingStore>(); }
  monitoring::AlarmService& alarms_service() { return ctx_->need<monitoring::AlarmService>(); }
  hidden_danger::Service& hidden_dangers() { return ctx_->need<hidden_danger::Service>(); }
  hidden_danger::ChecklistService& checklists() { return ctx_->need<hidden_danger::ChecklistService>(); }
  hidden_danger::SelfInspectionService& self_inspections() { return ctx_->need<hidden_danger::SelfInspectionService>(); }
  enforcement::DrawService& draws() { return ctx_->need<enforcement::DrawService>(); }
  enforcement::InspectorRegistry& inspectors() { return ctx_->need<enforcement::InspectorRegistry>(); }
  enforcement::DocumentService& enforcement_documents() { return ctx_->need<enforcement::DocumentService>(); }
  enforcement::TaskService& inspection_tasks() { return ctx_->need<enforcement::TaskService>(); }
  enforcement::InspectionService& inspections() { return ctx_->need<enforcement::InspectionService>(); }
  enforcement::MeasureService& measures() { return ctx_->need<enforcement::MeasureService>(); }
  enforcement::CaseService& cases() { return ctx_->need<enforcement::CaseService>(); }
  enforcement::PlanService& plans() { return ctx_->need<enforcement::PlanService>(); }
  enforcement::PublicationService& publication() { return ctx_->need<enforcement::PublicationService>(); }
  accident::AccidentService& accidents() { return ctx_->need<accident::AccidentService>(); }
  emergency::ResourceService& resources() { return ctx_->need<emergency::ResourceService>(); }
  emergency::DutyService& duty() { return ctx_->need<emergency::DutyService>(); }
  emergency::PlanService& emergency_plans() { return ctx_->need<emergency::PlanService>(); }
  emergency::IncidentService& incidents() { return ctx_->need<emergency::IncidentService>(); }
  ingest::MqttDoor* mqtt() { return ctx_->find<ingest::MqttDoor>(); }
  ingest::CoalFiles& coal_files() { return ctx_->need<ingest::CoalFiles>(); }
  exchange::Nodes& nodes() { return ctx_->need<exchange::Nodes>(); }
  exchange::ExchangeService& exchange() { return ctx_->need<exchange::ExchangeService>(); }
  exchange::Corrections& corrections() { return ctx_->need<exchange::Corrections>(); }
  http::Router& router() { return router_; }
  http::Metrics& metrics() { return metrics_; }
  http::StreamHub& hub() { return hub_; }

 private:
  App() = default;
  // The process's own routes: health, metrics, the stream's plain GET.
  void register_routes();

  Config config_;
  std::unique_ptr<db::Database> db_;
  codes::RegionTable regions_;
  EventBus bus_;
  http::StreamHub hub_;
  auth::StreamTickets stream_tickets_;
  modules::Jobs jobs_;
  std::unique_ptr<BackupSchedule> backups_;  // [backup]: the nightly backup
  std::unique_ptr<modules::Context> ctx_;  // the modules' services: destroyed after the server
  std::vector<std::unique_ptr<modules::Module>> modules_;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::StaticFiles> files_;
  std::unique_ptr<http::RateLimiter> rate_limiter_;
  std::unique_ptr<http::HttpService> service_;
  std::unique_ptr<http::Server> server_;
  // Background jobs (the modules'), running while the HTTP server runs.
  std::thread jobs_thread_;
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
