#pragma once
// 双随机 draws as records (issue 15's contract): a regulator draws targets from a list of
// enterprises in its scope (given, or by a filter over the registry and the risk levels), then
// inspectors for each; the seed comes from the OS CSPRNG; the self-contained record is kept and
// can be verified by the server or by anyone (`anjian draw verify`). A second draw for the same
// plan item is recorded with its reason; both stay visible.
#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/identity.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/enforcement/draw_rules.h"
#include "modules/enforcement/inspectors.h"
#include "modules/enterprise/service.h"
#include "modules/risk/enterprise_risk.h"

namespace anjian::enforcement {

class TargetListService;
class InspectionItemService;

struct Draw {
  std::string id, name, region_code, org_id, plan_item_id, reason, created_by;
  Millis created_at = 0;
  DrawRecord record;
  std::map<std::string, std::string> names;  // the drawn enterprises' names (filled by get and create)
  std::int64_t tasks_issued = 0;              // its tasks once issued: the draw is final then
};

class DrawService {
 public:
  DrawService(db::Database& db, const codes::RegionTable& regions, auth::Identity& identity, enterprise::Service& enterprises,
              risk::EnterpriseRiskService& risk, InspectorRegistry& registry, AuditSink& audit)
      : db_(db), regions_(regions), identity_(identity), enterprises_(enterprises), risk_(risk), registry_(registry), audit_(audit) {}

  // The contract's POST /api/v1/draws. Errors: forbidden (not a regulator), invalid_field naming
  // why (targets outside the scope, inspectors who are not active inspectors in the scope, too few
  // for the recusals and per_target, count or proportion out of range, a second draw for a plan
  // item without a reason), unknown_field, draw_failed.
  Result<Draw> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // The operating enterprises of the scope a filter selects ({region_code?, industry?, risk_level?,
  // licence_state?, not_inspected_months?}), sorted by USCC. Errors: invalid_field (under `field`),
  // also when none is left.
  Result<std::vector<std::string>> select(const auth::Principal& who, const boost::json::object& filter, const std::string& field);
  // Draws may take a target list's snapshot (targets: {target_list_id}).
  void use_target_lists(TargetListService& lists) { target_lists_ = &lists; }
  // A plan item's 抽查事项 sets the yearly caps of its draws.
  void use_inspection_items(InspectionItemService& items) { items_ = &items; }
  // Errors: not_found (absent or outside the scope).
  Result<Draw> get(const auth::Principal& who, const std::string& id);
  Result<std::vector<Draw>> list(const auth::Principal& who, std::int64_t limit);

 private:
  Result<std::vector<DrawTarget>> targets_of(const auth::Principal& who, const boost::json::object& spec,
                                             const std::optional<boost::json::object>& weights);
  db::Database& db_;
  const codes::RegionTable& regions_;
  auth::Identity& identity_;
  enterprise::Service& enterprises_;
  risk::EnterpriseRiskService& risk_;
  InspectorRegistry& registry_;
  AuditSink& audit_;
  TargetListService* target_lists_ = nullptr;
  InspectionItemService* items_ = nullptr;
};

boost::json::object to_json(const Draw& d);

}  // namespace anjian::enforcement
