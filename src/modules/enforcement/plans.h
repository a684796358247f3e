#pragma once
// 安全生产年度监督检查计划 (安监总政法〔2017〕150号) and its monthly plans: a regulator's items of
// kind 重点检查 (key: chosen enterprises, staffed as needed), 一般检查 (general: drawn 双随机) and
// 专项检查 (special), each with its planned count per quarter. The share drawn 双随机 is shown
// against the setting (local practice: 70 %, DOMAIN.md §11); each item's progress is its tasks.
// A key item's tasks are made here; a general item's come from a draw made for it.
#include <boost/json/object.hpp>

#include <array>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/enforcement/inspection_items.h"
#include "modules/enforcement/task_service.h"

namespace anjian::enforcement {

struct PlanItem {
  std::string id, kind, name, legal_basis, template_id, note;  // kind: key | general | special
  std::string inspection_item_id;                                // the 抽查事项 it carries out ('' none)
  std::vector<std::string> enterprises;                          // key items
  boost::json::object filter;                                    // general items: what the draw takes
  std::array<std::int64_t, 4> planned{};                         // per quarter
  std::int64_t cap_per_year = 0;                                 // 0: the setting's
  std::array<std::int64_t, 4> issued{}, done{};                  // its tasks by the quarter of their due date
};

struct Plan {
  std::string id, region_code, org_id, name, state, created_by;
  std::int64_t year = 0, month = 0;  // month 0: the annual plan
  Millis created_at = 0;
  std::int64_t version = 0;
  std::vector<PlanItem> items;
  std::int64_t planned_total = 0, planned_double_random = 0;
};

class PlanService {
 public:
  PlanService(db::Database& db, const codes::RegionTable& regions, enterprise::Service& enterprises, TaskService& tasks, AuditSink& audit,
              int required_share_percent)
      : db_(db), regions_(regions), enterprises_(enterprises), tasks_(tasks), audit_(audit), required_share_(required_share_percent) {}

  // {name, year, month?, items: [{kind, name, legal_basis?, template_id?, enterprises?, filter?, q1..q4, cap_per_year?, note?}]}.
  // Errors: forbidden (not a regulator), invalid_field (a key item without enterprises, or one
  // outside the scope; counts out of range), unknown_field.
  Result<Plan> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // Errors: not_found (absent, or not of the caller's region or below).
  Result<Plan> get(const auth::Principal& who, const std::string& id);
  Result<std::vector<Plan>> list(const auth::Principal& who, std::int64_t year);
  // A key (or special) item's tasks, one per chosen enterprise: {inspectors, due_date}. Errors:
  // not_found, invalid_field (a general item: it is drawn), as TaskService::create.
  Result<std::vector<Task>> issue(const auth::Principal& who, const std::string& item_id, const boost::json::object& fields,
                                  std::string_view source);
  int required_share_percent() const { return required_share_; }
  void use_inspection_items(InspectionItemService& items) { items_ = &items; }

 private:
  Status fill(db::Connection& c, Plan& p);
  db::Database& db_;
  const codes::RegionTable& regions_;
  enterprise::Service& enterprises_;
  TaskService& tasks_;
  AuditSink& audit_;
  int required_share_;
  InspectionItemService* items_ = nullptr;
};

boost::json::object to_json(const Plan& p, int required_share_percent);

}  // namespace anjian::enforcement
