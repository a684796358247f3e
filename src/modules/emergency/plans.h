#pragma once
// 应急预案 (issue 16 §3): enterprises' plans (综合/专项/现场处置) and governments' (总体/专项/部门),
// each with the accident kinds it covers (GB 6441), its file in the file store, its 备案 (filed by
// the regulator with a number) and its review every three years (overdue flagged); and the plans
// that fit an accident: the enterprise's own, then its region's government plans, those naming the
// accident's kind first.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "files/service.h"
#include "modules/enterprise/service.h"

namespace anjian::emergency {

struct Plan {
  std::string id, owner;  // owner: enterprise | government
  std::string enterprise_uscc, owner_name, org_id, region_code;
  std::string name, level;
  std::vector<std::string> scenarios;  // GB 6441 codes
  std::string file_id;
  std::string filing_state = "pending";  // pending 待备案 | filed 已备案
  std::string filing_number, filed_by;
  std::optional<Millis> filed_at;
  std::int64_t issued_on = 0;                // 发布日期, days since the epoch
  std::optional<std::int64_t> reviewed_on;   // 最近一次评估
  std::string created_by;
  Millis created_at = 0, updated_at = 0;
  std::int64_t version = 1;
  // The date of the next review, three years after the last one (or the issue).
  std::int64_t review_due() const;
};

struct PlanFilter {
  std::optional<std::string> owner, enterprise_uscc, filing_state;
  bool overdue = false;  // only those past their review date
  std::int64_t limit = 500;
};

// A plan that fits an accident and why.
struct Suggestion {
  Plan plan;
  std::string reason;
};

class PlanService {
 public:
  PlanService(db::Database& db, const codes::RegionTable& regions, enterprise::Service& enterprises, files::FileService& files, AuditSink& audit)
      : db_(db), regions_(regions), enterprises_(enterprises), files_(files), audit_(audit) {}

  // {owner, enterprise_uscc (enterprise plans), region_code (government plans), name, level,
  // scenarios: [kinds by name or code], file_id?, issued_on, reviewed_on?}. An enterprise's user
  // registers its own; a regulator its own government's and those of enterprises in scope.
  // Errors: forbidden, invalid_field, unknown_field, not_found (outside the scope).
  Result<Plan> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // {name?, level?, scenarios?, file_id?, issued_on?, reviewed_on?} at `version`; a changed file
  // makes it 待备案 again. Errors: as create, precondition_failed.
  Result<Plan> update(const auth::Principal& who, const std::string& id, std::int64_t version, const boost::json::object& fields,
                      std::string_view source);
  // 备案 by a regulator whose area holds the plan: {filing_number}. Errors: forbidden, not_found,
  // invalid_field, conflict (already filed).
  Result<Plan> file(const auth::Principal& who, const std::string& id, const boost::json::object& fields, std::string_view source);
  Result<Plan> get(const auth::Principal& who, const std::string& id);
  Result<std::vector<Plan>> list(const auth::Principal& who, const PlanFilter& f);
  // The plans that fit an accident of `kind` (a GB 6441 code) at `region_code`, of `enterprise_uscc`
  // when registered, visible to the caller, best first.
  Result<std::vector<Suggestion>> suggest(const auth::Principal& who, const std::string& enterprise_uscc, const std::string& region_code,
                                          const std::string& kind);

 private:
  Status validate(const boost::json::object& fields, bool creating, Plan& p);
  bool visible(const auth::Principal& who, const Plan& p) const;
  std::string visible_sql(const auth::Principal& who, std::vector<db::Value>& params) const;
  Result<Plan> read(db::Connection& c, const std::string& id);
  Status write(db::Connection& c, const Plan& p, bool insert);
  db::Database& db_;
  const codes::RegionTable& regions_;
  enterprise::Service& enterprises_;
  files::FileService& files_;
  AuditSink& audit_;
};

boost::json::object to_json(const Plan& p, std::int64_t today);

}  // namespace anjian::emergency
