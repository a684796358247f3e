#pragma once
// 执法措施 taken on an inspection's findings, each issued as its document in the same transaction:
// 责令限期整改 (rectify: a deadline per item, the others at once → 责令限期整改指令书), 现场处理措施
// and 责令暂时停产停业 (on_site, suspend → 现场处理措施决定书), 查封/扣押 (coercive → 强制措施决定书),
// by 安全生产法 (2021) 第六十五条. Each creates its 复查 task, due `recheck_days` after the deadline
// (DOMAIN.md §11: within 10 days, a setting) with the inspection's inspectors; the 复查's
// inspection says whether it was complied with, which issues the 整改复查意见书.
#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"
#include "modules/enforcement/documents.h"
#include "modules/enforcement/task_service.h"
#include "modules/enterprise/service.h"

namespace anjian::enforcement {

struct MeasureItem {
  std::string text, deadline;  // deadline YYYY-MM-DD, '' = at once
};

struct Measure {
  std::string id, inspection_id, enterprise_uscc, enterprise_name, region_code, owner_region, kind;
  std::vector<MeasureItem> items;
  std::string deadline;     // the latest item's ('' = all at once)
  std::string state;        // in_force | complied | not_complied
  std::string recheck_due;  // YYYY-MM-DD
  std::string recheck_task_id, document_id, document_number, note, created_by;
  Millis created_at = 0;
  std::int64_t version = 0;
};

class MeasureService {
 public:
  MeasureService(db::Database& db, TaskService& tasks, DocumentService& documents, enterprise::Service& enterprises, AuditSink& audit,
                 int recheck_days)
      : db_(db), tasks_(tasks), documents_(documents), enterprises_(enterprises), audit_(audit), recheck_days_(recheck_days) {}

  // {kind, items: [{text, deadline?}], note?} on an inspection in scope. Errors: forbidden (not a
  // regulator), not_found, invalid_field (a deadline in the past or over a year away, no items).
  Result<Measure> issue(const auth::Principal& who, const std::string& inspection_id, const boost::json::object& fields,
                        std::string_view source);
  Result<Measure> get(const auth::Principal& who, const std::string& id);
  Result<std::vector<Measure>> of_inspection(const auth::Principal& who, const std::string& inspection_id);
  // The 复查 of a measure on the recheck inspection's transaction: the measure's new state and
  // the 整改复查意见书 that follows its document. Errors: conflict (rechecked already).
  Result<Document> recheck_in(db::Connection& c, const auth::Principal& who, const std::string& measure_id, bool complied,
                              const std::string& note, Millis at, const std::vector<TaskInspector>& inspectors, std::string_view source);

 private:
  db::Database& db_;
  TaskService& tasks_;
  DocumentService& documents_;
  enterprise::Service& enterprises_;
  AuditSink& audit_;
  int recheck_days_;
};

boost::json::object to_json(const Measure& m);
std::string_view measure_kind_label(std::string_view kind);
// 如不服本决定… — the 行政复议 (60 days) and 行政诉讼 (6 months) notice of an order or decision,
// naming the people's government, the upper department and the court of the issuer's region.
std::string appeal_notice(const codes::RegionTable& regions, const std::string& issuer_region);

}  // namespace anjian::enforcement
