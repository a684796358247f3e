#pragma once
// 随机抽查事项清单 (DOMAIN.md §7): what may be checked, with its legal basis and the checklist to
// use, and how often: at most `cap_per_year` inspections a year of one enterprise for the item,
// or per risk level (caps_by_risk_level: {major, larger, general, low}). A regulator's items are
// seen in its subtree; a plan item names one, and the item's draws leave out the enterprises that
// reached their cap.
#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"

namespace anjian::enforcement {

struct InspectionItem {
  std::string id, region_code, name, legal_basis, template_id, created_by;
  std::int64_t cap_per_year = 2;
  std::map<std::string, std::int64_t> caps_by_risk_level;  // contract level (major | larger | general | low) → cap
  Millis created_at = 0;
};

class InspectionItemService {
 public:
  InspectionItemService(db::Database& db, const codes::RegionTable& regions, AuditSink& audit) : db_(db), regions_(regions), audit_(audit) {}
  // {name, legal_basis, template_id?, cap_per_year?, caps_by_risk_level?}. Errors: forbidden,
  // invalid_field, unknown_field.
  Result<InspectionItem> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // The items of the caller's region, of its ancestors (a province's list applies to its counties)
  // and below.
  Result<std::vector<InspectionItem>> list(const auth::Principal& who);
  // Errors: not_found.
  Result<InspectionItem> get(const auth::Principal& who, const std::string& id);
  // An item's cap for an enterprise at `level` (the contract's word; "" when unknown).
  static std::int64_t cap_for(const InspectionItem& item, const std::string& level);

 private:
  db::Database& db_;
  const codes::RegionTable& regions_;
  AuditSink& audit_;
};

boost::json::object to_json(const InspectionItem& i);

}  // namespace anjian::enforcement
