#pragma once
// Self-inspections (排查记录): an enterprise answers every item of a checklist template — 符合,
// 不符合 or 不涉及, with a note and photos — and each 不符合 becomes a hidden danger linked to the
// item (a 重大 item makes a 重大 one, naming its 判定标准 item), all in one transaction.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/enterprise/service.h"
#include "modules/hidden_danger/checklists.h"
#include "modules/hidden_danger/service.h"

namespace anjian::hidden_danger {

struct ItemResult {
  std::int64_t seq = 0;
  std::string number, text, result, note;  // result: pass | fail | not_applicable
  bool major = false;
  boost::json::array files;
  std::optional<std::string> hidden_danger_id;
};

struct SelfInspection {
  std::string id, enterprise_uscc, enterprise_name, region_code, template_id, template_name;
  std::int64_t template_version = 0;
  Millis inspected_at = 0;
  std::string inspector, note;
  std::int64_t passed = 0, failed = 0, not_applicable = 0;
  std::string created_by;
  Millis created_at = 0;
  std::vector<ItemResult> results;  // filled by get() and run()
};

struct SelfInspectionPage {
  std::vector<SelfInspection> items;
  std::int64_t total = 0;
};

class SelfInspectionService {
 public:
  SelfInspectionService(db::Database& db, const codes::RegionTable& regions, enterprise::Service& enterprises,
                        ChecklistService& checklists, Service& hidden_dangers, AuditSink& audit)
      : db_(db), regions_(regions), enterprises_(enterprises), checklists_(checklists), hidden_dangers_(hidden_dangers), audit_(audit) {}

  // {enterprise_uscc, template_id, inspected_at, inspector?, note?, results: [{seq, result, note?,
  // files?, place?}]} — every item of the template answered once; a 不符合 needs no note (the
  // item's text describes it) but may say more. By an enterprise's own users only.
  // Errors: invalid_field, unknown_field, not_found (the enterprise or the template), forbidden
  // (a regulator: its inspections are enforcement's), template_not_applicable (another industry's).
  Result<SelfInspection> run(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // Errors: not_found (absent or outside the scope).
  Result<SelfInspection> get(const auth::Principal& who, const std::string& id);
  Result<SelfInspectionPage> list(const auth::Principal& who, const std::optional<std::string>& enterprise_uscc,
                                  const std::optional<std::string>& region_code, std::int64_t page, std::int64_t page_size);

 private:
  db::Database& db_;
  const codes::RegionTable& regions_;
  enterprise::Service& enterprises_;
  ChecklistService& checklists_;
  Service& hidden_dangers_;
  AuditSink& audit_;
};

boost::json::object to_json(const SelfInspection& s, bool with_results);

}  // namespace anjian::hidden_danger
