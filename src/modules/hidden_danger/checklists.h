#pragma once
// Checklist templates (排查表), versioned. The shipped ones (checklist_rules.h) are written at
// start when missing; administrators and regulators add their own. A template that a
// self-inspection used is never changed: revising it makes the next version, and the
// self-inspection keeps pointing at the version it answered.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "base/json_fields.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/hidden_danger/checklist_rules.h"

namespace anjian::hidden_danger {

struct ChecklistTemplate {
  std::string id, code;
  std::int64_t version = 1;
  std::string name;
  std::vector<std::string> industries;
  std::string source;
  bool builtin = false;
  std::string region_code, owner_org_id;  // the owner's region ('' for the shipped ones: everywhere)
  std::string created_by;
  Millis created_at = 0;
  bool latest = true;                      // no later version exists
  std::int64_t used = 0;                   // self-inspections that answered it
  std::vector<ChecklistItem> items;        // filled by get()
};

class ChecklistService {
 public:
  ChecklistService(db::Database& db, const codes::RegionTable& regions, AuditSink& audit) : db_(db), regions_(regions), audit_(audit) {}

  // Writes the shipped templates that are missing (at start; idempotent).
  Status install_builtins();
  // The templates this user may use or see: the shipped ones, those of the user's region and the
  // regions above it, and (for a regulator) those of the regions below. Latest versions only unless
  // `all_versions`; `industry` keeps those that apply to it.
  Result<std::vector<ChecklistTemplate>> list(const auth::Principal& who, const std::optional<std::string>& industry,
                                              bool all_versions);
  // With its items. Errors: not_found (absent or not visible).
  Result<ChecklistTemplate> get(const auth::Principal& who, const std::string& id);
  // A new template owned by the caller's org. Errors: invalid_field, unknown_field, forbidden (not a regulator).
  Result<ChecklistTemplate> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // A revision of `id` (which must be its latest version): changed in place while no
  // self-inspection used it, else written as the next version. `made_version` tells which.
  // Errors: as create, not_found, forbidden (a shipped template, or another org's),
  // conflict (not the latest version).
  Result<ChecklistTemplate> revise(const auth::Principal& who, const std::string& id, const boost::json::object& fields,
                                   std::string_view source, bool& made_version);

 private:
  bool visible(const auth::Principal& who, const ChecklistTemplate& t) const;
  Result<ChecklistTemplate> parse(const boost::json::object& fields);
  db::Database& db_;
  const codes::RegionTable& regions_;
  AuditSink& audit_;
};

boost::json::object to_json(const ChecklistTemplate& t, bool with_items);

// One item's answer on a filled checklist (a self-inspection, an inspector's on-site check).
struct ChecklistAnswer {
  std::int64_t seq = 0;
  std::string result;  // pass | fail | not_applicable
  std::string note, place;
  boost::json::object raw;  // {"files": …} as sent, for the file store to check
};
// Reads `results` ([{seq, result, note?, place?, files?}]) into `out`.
void read_answers(JsonFields& f, const boost::json::object& fields, bool required, std::vector<ChecklistAnswer>& out);
// The answers in the template's order, every item answered exactly once. Errors: invalid_field
// (results[i].seq naming an item the template lacks or one answered twice; results naming the
// first item not answered).
Result<std::vector<const ChecklistAnswer*>> answers_in_order(const ChecklistTemplate& t, const std::vector<ChecklistAnswer>& answers);

}  // namespace anjian::hidden_danger
