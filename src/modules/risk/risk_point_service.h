#pragma once
// Risk points: CRUD scoped through their enterprise, every write audited in its transaction; the
// level recomputed on each write (and raised to 重大 when the point's hazard source is 一级/二级).
// The enterprise's inventory (风险清单) is the list with its four-colour distribution.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "base/event_bus.h"
#include "db/database.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/service.h"
#include "modules/risk/risk_point.h"
#include "modules/risk/score_rules.h"

namespace anjian::risk {

struct RiskPointFilter {
  std::optional<std::string> enterprise_uscc, kind;
  std::optional<RiskLevel> level;
  bool active_only = false;
  std::int64_t page = 1, page_size = 50;
};

struct RiskPointPage {
  std::vector<RiskPoint> items;
  std::int64_t total = 0;
  std::array<std::int64_t, 4> by_level{};  // over the whole filter, indexed by RiskLevel
};

class RiskPointService {
 public:
  // After each commit: "risk_point.changed" ({id, enterprise_uscc}) on the bus.
  // Levels by the model's risk point cut-offs.
  RiskPointService(db::Database& db, enterprise::Service& enterprises, hazard::Service& hazards, AuditSink& audit,
                   const EventBus* bus = nullptr, const RiskModel& model = RiskModel::standard())
      : db_(db), enterprises_(enterprises), hazards_(hazards), audit_(audit), bus_(bus), model_(model) {}

  // Errors: invalid_field…, not_found (enterprise or hazard source outside the scope), conflict (code).
  Result<RiskPoint> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // Creates many in the caller's transaction with one audit record (a bulk load: the demo, an
  // import), each validated as create() does. Returns the enterprises they belong to: announce
  // them with announce_enterprises() once the transaction has committed.
  // Errors: as create(), the message naming the point by its position.
  Result<std::vector<std::string>> insert_batch(db::Connection& tx, const auth::Principal& who,
                                                const std::vector<boost::json::object>& batch, std::string_view source);
  void announce_enterprises(const std::vector<std::string>& usccs) const;
  // Levels every stored point again by the model's cut-offs and its hazard source's grade (after a
  // new model version), in one transaction with one audit record; announces the enterprises whose
  // points changed. Returns how many changed.
  Result<size_t> relevel_all(const auth::Principal& who);
  // The fact hidden_danger.major_open: {risk_point_id?, risk_point_open_major?, hazard_source_id?,
  // hazard_source_open_major?} — how many 重大 hidden dangers of the point (of the hazard source,
  // for its points) are unrectified now; the points concerned are levelled again (DOMAIN.md §4).
  Status hidden_dangers_changed(const boost::json::object& fact);
  Result<RiskPoint> get(const auth::Scope& scope, const std::string& id);
  Result<RiskPointPage> list(const auth::Scope& scope, const RiskPointFilter& filter);
  // Errors: not_found, precondition_failed, conflict, invalid_field.
  Result<RiskPoint> update(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                           const boost::json::object& fields, std::string_view source);

 private:
  // Levels again the points matching `where` (over risk_points p), as relevel_all does.
  Result<size_t> relevel(const auth::Principal& who, const std::string& where, const std::vector<db::Value>& params);
  // The hazard source must be of the point's enterprise; its grade may override the level.
  Status check_hazard_source(const auth::Principal& who, RiskPoint& p);
  void announce(const RiskPoint& p) const;
  db::Database& db_;
  enterprise::Service& enterprises_;
  hazard::Service& hazards_;
  AuditSink& audit_;
  const EventBus* bus_;
  const RiskModel& model_;
};

}  // namespace anjian::risk
