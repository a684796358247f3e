#pragma once
// GB 18218 assessments of the hazard sources on record: computed from a source's inventory
// (substances, design maximum quantities) and the people exposed within 500 m, stored with their
// inputs, the table edition and the breakdown, and the source's grade set from the result (an
// audited edit). A change of inventory re-grades an assessed source and records why.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "auth/principal.h"
#include "db/database.h"
#include "modules/hazard/service.h"

namespace anjian::risk {

class HazardAssessments {
 public:
  HazardAssessments(db::Database& db, hazard::Service& hazards) : db_(db), hazards_(hazards) {}

  // The assessment as stored: {id, hazard_source_id, assessed_at, assessed_by, reason, previous_grade,
  // table, ...the evaluation (s, is_major, alpha, r, grade, substances)}.
  // reason: "assessed" (asked for) | "inventory_changed". Errors: not_found (no such source in
  // scope), invalid_field (people_exposed not recorded, no substances), unknown_substance,
  // ambiguous_substance, precondition_failed (the source changed meanwhile: retry).
  Result<boost::json::object> assess(const auth::Principal& who, const std::string& id, std::string_view reason,
                                     std::string_view source);
  // The latest assessment, and the grades before it (newest first).
  // Errors: not_found (no source in scope, or never assessed).
  Result<boost::json::object> latest(const auth::Scope& scope, const std::string& id);
  // The bus's "hazard_source.changed": re-grades a source already assessed when its inventory
  // changed. Failures are logged (the change itself is committed).
  void on_changed(const Event& e);

 private:
  db::Database& db_;
  hazard::Service& hazards_;
};

}  // namespace anjian::risk
