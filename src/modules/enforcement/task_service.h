#pragma once
// Inspection tasks (检查任务): what an inspector goes to do — an enterprise, the inspectors (at
// least two, none recused for it: 行政处罚法第四十二、四十三条), the due date and the checklist. A
// task comes from a plan item, a 双随机 draw (issued whole: the draw is then final), a complaint, a
// referral, an accident, a hidden danger's follow-up, or the 复查 of a measure (made by the
// measure itself). It belongs to the enterprise's county (what scope filters on) and to the
// regulator that made it (who issues its documents).
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/enforcement/inspectors.h"
#include "modules/enterprise/service.h"

namespace anjian::enforcement {

struct TaskInspector {
  std::string user_id, name, badge_number;  // as they were when assigned
};

struct Task {
  std::string id, enterprise_uscc, enterprise_name, region_code, owner_region, org_id;
  std::string source;  // plan | draw | complaint | referral | accident | hidden_danger | recheck | other
  std::string plan_item_id, draw_id, follows_measure_id, template_id;
  std::string due_date;  // YYYY-MM-DD
  std::string state;     // issued | done | cancelled
  std::string note, inspection_id, created_by;
  std::vector<TaskInspector> inspectors;
  Millis created_at = 0;
  std::int64_t version = 0;
};

struct TaskFilter {
  bool mine = false;                     // assigned to the caller
  std::optional<std::string> state;      // issued | done | cancelled
  std::optional<std::string> source;
  std::optional<std::string> enterprise_uscc;
  std::optional<std::string> due_before;  // YYYY-MM-DD inclusive
  std::int64_t page = 1, page_size = 20;
};

struct TaskPage {
  std::vector<Task> items;
  std::int64_t total = 0;
};

class TaskService {
 public:
  TaskService(db::Database& db, const codes::RegionTable& regions, enterprise::Service& enterprises, InspectorRegistry& registry,
              AuditSink& audit)
      : db_(db), regions_(regions), enterprises_(enterprises), registry_(registry), audit_(audit) {}

  // {enterprise_uscc, source, inspectors, due_date, template_id?, note?, plan_item_id?}. Errors:
  // forbidden (not a regulator), not_found (enterprise outside the scope), invalid_field
  // (inspectors: fewer than two distinct, not on duty, recused for the enterprise; due_date).
  Result<Task> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // The tasks of a draw's result, one per target with its drawn inspectors; the draw is final
  // afterwards. {due_date, template_id?}. Errors: not_found, conflict (issued already).
  Result<std::vector<Task>> issue_draw(const auth::Principal& who, const std::string& draw_id, const boost::json::object& fields,
                                       std::string_view source);
  // Writes a task on the caller's transaction (a measure's 复查). REQUIRES: fields checked.
  Status insert_in(db::Connection& c, Task& t);
  // {inspectors?, due_date?, note?} at `version` (改派). Errors: not_found, precondition_failed,
  // invalid_transition (done or cancelled), invalid_field.
  Result<Task> update(const auth::Principal& who, const std::string& id, std::int64_t version, const boost::json::object& fields,
                      std::string_view source);
  Result<Task> cancel(const auth::Principal& who, const std::string& id, std::int64_t version, const boost::json::object& fields,
                      std::string_view source);
  // Errors: not_found (absent or outside the scope).
  Result<Task> get(const auth::Principal& who, const std::string& id);
  Result<TaskPage> list(const auth::Principal& who, const TaskFilter& f);
  // Marks the task done by its inspection, on the inspection's transaction.
  Status complete_in(db::Connection& c, const std::string& task_id, const std::string& inspection_id);
  // Today's date as the tasks count it (Asia/Shanghai).
  static std::string today();

 private:
  Result<std::vector<TaskInspector>> staff(const auth::Principal& who, const std::vector<std::string>& ids, const std::string& uscc);
  Result<Task> load(db::Connection& c, const std::string& id);
  db::Database& db_;
  const codes::RegionTable& regions_;
  enterprise::Service& enterprises_;
  InspectorRegistry& registry_;
  AuditSink& audit_;
};

boost::json::object to_json(const Task& t);
std::string_view task_source_label(std::string_view source);

}  // namespace anjian::enforcement
