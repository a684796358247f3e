#pragma once
// 现场检查 records. An inspection is the record of one task, filled by one of its inspectors (on
// the phone, often offline, sent when the network returns): start and end, place, the unit's
// people present, each checklist item pass / fail / not applicable with its note and photos, free
// findings, GPS position, the signatures drawn on the phone. Each failure and finding becomes a
// hidden danger (重大 when the item is) in the same transaction; the 现场检查记录 is issued with
// its 文号 in it too. Sending it again is harmless: the client's id names the record, and a resend
// answers with what was kept. A 复查 task's inspection also says whether the measure it follows
// was complied with.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"
#include "modules/enforcement/documents.h"
#include "modules/enforcement/measures.h"
#include "modules/enforcement/task_service.h"
#include "modules/enterprise/service.h"
#include "modules/hidden_danger/checklists.h"
#include "modules/hidden_danger/service.h"

namespace anjian::enforcement {

struct InspectionResult {
  std::int64_t seq = 0;
  std::string number, text, result, note;  // result: pass | fail | not_applicable
  bool major = false;
  boost::json::array files;
  std::optional<std::string> hidden_danger_id;
};

struct Inspection {
  std::string id, client_id, task_id, enterprise_uscc, enterprise_name, region_code, owner_region, template_id;
  Millis started_at = 0, ended_at = 0;
  std::string place, summary, created_by;
  boost::json::array present;     // [{name, title, phone}]
  boost::json::object position;   // {lon, lat, accuracy_m} or empty
  boost::json::object signatures; // {inspectors: [{user_id, name, file}], unit: {name, file}}
  boost::json::array findings;    // [{description, grade, place, files, hidden_danger_id}]
  boost::json::object recheck;    // {measure_id, rectified, note} for a 复查
  std::int64_t passed = 0, failed = 0, not_applicable = 0;
  // The enterprise record's version when the phone downloaded the task (0: not told) and when the
  // record arrived; they differ when the enterprise was changed while the inspector was out.
  std::int64_t seen_enterprise_version = 0, enterprise_version = 0;
  Millis created_at = 0;
  std::vector<InspectionResult> results;  // filled by get
  std::vector<TaskInspector> inspectors;  // the task's
  std::string document_id, document_number;  // its 现场检查记录
};

struct InspectionSubmitted {
  Inspection inspection;
  bool created = false;  // false: a resend of what was kept
};

class InspectionService {
 public:
  InspectionService(db::Database& db, TaskService& tasks, MeasureService& measures, DocumentService& documents,
                    enterprise::Service& enterprises, hidden_danger::ChecklistService& checklists, hidden_danger::Service& hidden_dangers,
                    AuditSink& audit)
      : db_(db), tasks_(tasks), measures_(measures), documents_(documents), enterprises_(enterprises), checklists_(checklists),
        hidden_dangers_(hidden_dangers), audit_(audit) {}

  // Errors: not_found (task outside the scope), forbidden (the caller is not one of the task's
  // inspectors: refused and audited), conflict (the task is done by another record, or cancelled;
  // client_id used for another task), invalid_field, unknown_field.
  Result<InspectionSubmitted> submit(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // Errors: not_found. Regulators in scope and the inspected enterprise see it.
  Result<Inspection> get(const auth::Principal& who, const std::string& id);
  Result<std::vector<Inspection>> list(const auth::Principal& who, const std::optional<std::string>& uscc, std::int64_t limit);

 private:
  Result<Inspection> kept(const std::string& client_id);
  db::Database& db_;
  TaskService& tasks_;
  MeasureService& measures_;
  DocumentService& documents_;
  enterprise::Service& enterprises_;
  hidden_danger::ChecklistService& checklists_;
  hidden_danger::Service& hidden_dangers_;
  AuditSink& audit_;
};

boost::json::object to_json(const Inspection& i, bool with_results);

}  // namespace anjian::enforcement
