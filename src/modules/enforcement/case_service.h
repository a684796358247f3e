#pragma once
// Administrative penalty cases (行政处罚案件) through their procedure (case_rules.h): 立案 issues
// the 立案审批表, 告知 the 行政处罚告知书 (陈述、申辩 within 3 days, 听证 when asked), 决定 the
// 行政处罚决定书 of the party's kind, 结案 the 结案审批表 — each in the transaction of its step. Only
// the regulator that filed the case acts on it (its documents carry that regulator's 文号); the
// levels above see it.
#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"
#include "modules/enforcement/documents.h"
#include "modules/enforcement/settings.h"
#include "modules/enterprise/service.h"

namespace anjian::enforcement {

struct CaseStep {
  std::int64_t seq = 0;
  std::string action, from_state, to_state, note, document_id, actor;
  Millis at = 0;
};

struct Case {
  std::string id, enterprise_uscc, enterprise_name, region_code, owner_region, org_id, inspection_id;
  std::string party_kind;  // unit | person
  std::string party_name, cause, facts, violated, legal_basis, penalty;
  std::int64_t fine_yuan = 0;
  std::string state, created_by;
  Millis state_at = 0, created_at = 0;
  std::optional<Millis> closed_at;
  std::int64_t version = 0;
  std::vector<CaseStep> steps;          // filled by get
  std::vector<Document> documents;      // filled by get
  std::vector<std::string> actions;     // what the caller may do now
};

struct CasePage {
  std::vector<Case> items;
  std::int64_t total = 0;
};

class CaseService {
 public:
  // settings: the fines from which a party may ask for a hearing (听证).
  CaseService(db::Database& db, DocumentService& documents, enterprise::Service& enterprises, AuditSink& audit, const Settings& settings)
      : db_(db), documents_(documents), enterprises_(enterprises), audit_(audit), hearing_unit_yuan_(settings.hearing_fine_unit_yuan),
        hearing_person_yuan_(settings.hearing_fine_person_yuan) {}

  // {enterprise_uscc, party_kind, party_name?, cause, facts?, inspection_id?}. Errors: forbidden,
  // not_found, invalid_field, unknown_field.
  Result<Case> file(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // One step at `version`. Errors: not_found, forbidden (not the filing regulator),
  // precondition_failed (stale version), invalid_transition (with the actions allowed),
  // statement_period (a decision inside the 3 days of 陈述、申辩, not waived), invalid_field.
  Result<Case> act(const auth::Principal& who, const std::string& id, std::string_view action, std::int64_t version,
                   const boost::json::object& fields, std::string_view source);
  Result<Case> get(const auth::Principal& who, const std::string& id);
  // Called after each step is committed (the module tells the bus: a decision moves the risk).
  void on_change(std::function<void(const Case&, std::string_view action)> f) { changed_ = std::move(f); }
  Result<CasePage> list(const auth::Principal& who, const std::optional<std::string>& state, const std::optional<std::string>& uscc,
                        std::int64_t page, std::int64_t page_size);

 private:
  db::Database& db_;
  DocumentService& documents_;
  enterprise::Service& enterprises_;
  AuditSink& audit_;
  std::int64_t hearing_unit_yuan_, hearing_person_yuan_;
  std::function<void(const Case&, std::string_view)> changed_;
};

boost::json::object to_json(const Case& c, bool full);
std::string_view case_state_label(std::string_view state);
std::string_view case_action_label(std::string_view action);

}  // namespace anjian::enforcement
