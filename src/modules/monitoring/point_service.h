#pragma once
// Monitoring points: CRUD scoped through their enterprise (a point is visible where its
// enterprise is), every write audited in its transaction.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"
#include "modules/enterprise/service.h"
#include "modules/monitoring/point.h"

namespace anjian::monitoring {

struct PointFilter {
  std::optional<std::string> enterprise_uscc, indicator, hazard_source_id, code;
  std::vector<std::string> ids;  // these points only (when not empty)
  std::vector<std::string> enterprise_usccs;  // of these enterprises only (when not empty)
  bool with_findings = false;    // only points whose settings break a rule
  std::int64_t page = 1, page_size = 50;
};

struct PointPage {
  std::vector<Point> items;
  std::int64_t total = 0;
};

class PointService {
 public:
  PointService(db::Database& db, enterprise::Service& enterprises, AuditSink& audit)
      : db_(db), enterprises_(enterprises), audit_(audit) {}

  // Errors: invalid_field…, not_found (enterprise outside the scope, field enterprise_uscc),
  // conflict (code exists in that enterprise).
  // `looser`: a setting looser than a mandatory rule is refused (the API) or recorded (a mine's file).
  Result<Point> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source,
                       Looser looser = Looser::refuse);
  // What create() would check, without writing (an import's dry run). Errors as create().
  Status validate(const auth::Principal& who, const boost::json::object& fields);
  Result<Point> get(const auth::Scope& scope, const std::string& id);
  Result<PointPage> list(const auth::Scope& scope, const PointFilter& filter);
  // Errors: not_found, precondition_failed, conflict.
  Result<Point> update(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                       const boost::json::object& fields, std::string_view source, Looser looser = Looser::refuse);
  // Called with the enterprise's code after a point of it was created or changed (the pipeline
  // reloads its configuration).
  void on_change(std::function<void(const std::string& uscc)> fn) { on_change_ = std::move(fn); }

 private:
  AuditEvent event(const auth::Principal& who, const char* action, const Point& p, std::string_view source,
                   const std::string& region) const;
  db::Database& db_;
  enterprise::Service& enterprises_;
  AuditSink& audit_;
  std::function<void(const std::string&)> on_change_;
};

}  // namespace anjian::monitoring
