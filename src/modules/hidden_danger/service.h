#pragma once
// Hidden dangers (隐患, 安监总局令第16号): recorded for an enterprise, seen where the enterprise is,
// moved through their lifecycle by the actions transition_rules.h allows this user now; each
// transition kept with who, when, the note and the files, in the transaction of the change and
// its audit record. A 重大 one reaches the county regulator's inbox in that same transaction.
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/identity.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "files/service.h"
#include "modules/enterprise/service.h"
#include "modules/hidden_danger/checklists.h"
#include "modules/hazard/service.h"
#include "modules/notification/notifier.h"
#include "modules/risk/risk_point_service.h"

namespace anjian::hidden_danger {

struct Event {
  std::string action, from_state, to_state, actor, actor_name, note;
  Millis at = 0;
  boost::json::array files;     // [{id, name, content_type}]
  boost::json::object detail;   // the action's fields
};

struct HiddenDanger {
  std::string id, enterprise_uscc, enterprise_name, region_code, industry, description, place, category, grade, found_by, finder;
  Millis found_at = 0;
  std::string standard, standard_item, major_reason;
  std::optional<std::string> risk_point_id, hazard_source_id;
  std::optional<std::string> self_inspection_id;  // the self-inspection whose failed item it is
  std::string checklist_item;                      // that item's number
  std::string state;
  boost::json::object plan, supervision;  // the 治理方案; 挂牌督办 (empty when none)
  std::optional<Millis> deadline, closed_at;
  bool supervised = false;
  std::string authority_org_id, rectified_by, created_by;
  Millis created_at = 0, updated_at = 0;
  std::int64_t version = 0;
  std::vector<Event> timeline;          // filled by get()
  std::vector<std::string> allowed;     // what the asking user may do now
};

struct Filter {
  std::optional<std::string> enterprise_uscc, state, grade, region_code, found_by, industry;
  std::optional<Millis> found_from, found_to;  // [from, to)
  bool overdue = false, supervised = false, open = false;
  std::string sort = "found_at_desc";  // | found_at_asc | deadline_asc | updated_at_desc
  std::int64_t page = 1, page_size = 20;
};

// Counting a province's million rows for every page costs more than the page: the total stops at
// kTotalCap, and `total_capped` says so (the statistics give the exact figures).
inline constexpr std::int64_t kTotalCap = 10'000;

struct Page {
  std::vector<HiddenDanger> items;
  std::int64_t total = 0;
  bool total_capped = false;
};

// A report checked and ready to be written (its enterprise found, its files resolved). An
// imported one (from an earlier system) keeps its state, plan, deadline and closing time, and its
// first step says it was imported; the import writes one audit record for all of them.
struct Prepared {
  HiddenDanger record;
  boost::json::array files;
  bool imported = false;
};

// The hidden danger a failed checklist item is (一般, or 重大 when the item is a major one, with its
// 判定标准 item), found by `found_by` at `found_at`; the caller links it to its record.
HiddenDanger danger_of_failed_item(const enterprise::Enterprise& ent, const ChecklistTemplate& tpl, const ChecklistItem& item,
                                   const ChecklistAnswer& answer, std::string found_by, std::string finder, Millis found_at);

class Service {
 public:
  Service(db::Database& db, const codes::RegionTable& regions, auth::Identity& identity, enterprise::Service& enterprises,
          risk::RiskPointService& risk_points, hazard::Service& hazards, files::FileService& files, notification::Notifier& notifier,
          AuditSink& audit)
      : db_(db), regions_(regions), identity_(identity), enterprises_(enterprises), risk_points_(risk_points), hazards_(hazards),
        files_(files), notifier_(notifier), audit_(audit) {}

  // The contract's POST /api/v1/hidden-dangers. Errors: invalid_field, unknown_field, not_found
  // (the enterprise, or its risk point or hazard source, outside the scope or not its own).
  Result<HiddenDanger> report(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // report() in two steps, for writers that record several in one transaction (a self-inspection):
  // prepare() checks the fields as report() does; insert_in() writes the record, its first step,
  // the tally, the audit record and a 重大 one's notice in the caller's transaction; after the
  // commit the caller calls announce().
  Result<Prepared> prepare(const auth::Principal& who, const boost::json::object& fields);
  Status insert_in(db::Connection& c, const auth::Principal& who, Prepared& p, std::string_view source);
  void announce(const HiddenDanger& h, std::string_view action);
  // How many 重大 hidden dangers of this risk point (column risk_point_id) or hazard source
  // (hazard_source_id) are not closed or withdrawn now.
  Result<std::int64_t> open_major(std::string_view column, const std::string& id);
  // Enterprises moved to another county or industry: their hidden dangers (and the tally) follow.
  Status follow_enterprises(const std::vector<std::string>& usccs);
  Status follow_enterprise(const std::string& uscc);
  // With its timeline and the actions this user may take. Errors: not_found.
  Result<HiddenDanger> get(const auth::Principal& who, const std::string& id);
  Result<Page> list(const auth::Principal& who, const Filter& f);
  // One action of the lifecycle. Errors: not_found, precondition_failed (stale version),
  // invalid_transition (with the actions allowed), invalid_field, unknown_field.
  Result<HiddenDanger> act(const auth::Principal& who, const std::string& id, std::string_view action, std::int64_t version,
                           const boost::json::object& fields, std::string_view source);
  // Rectifications past their deadline (run at start and every hour; `now` a parameter for tests):
  // the enterprise's own users are told once; its county regulator once when a 重大 one is overdue,
  // or a 一般 one overdue by more than `report_general_after`. Returns how many notices were sent.
  Result<size_t> flag_overdue(Millis now, Millis report_general_after);
  // The evidence files named by `key` in `fields` (ids of this enterprise's files), as kept with a
  // step. Errors: invalid_field (an id that is not a file of this enterprise).
  Result<boost::json::array> files_of(const auth::Principal& who, const std::string& uscc, const boost::json::object& fields,
                                      std::string_view key);
  // Called after each committed change (the module publishes it on the bus and the stream).
  void on_change(std::function<void(const HiddenDanger&, std::string_view action)> fn) { on_change_ = std::move(fn); }

 private:
  db::Database& db_;
  const codes::RegionTable& regions_;
  auth::Identity& identity_;
  enterprise::Service& enterprises_;
  risk::RiskPointService& risk_points_;
  hazard::Service& hazards_;
  files::FileService& files_;
  notification::Notifier& notifier_;
  AuditSink& audit_;
  std::function<void(const HiddenDanger&, std::string_view)> on_change_;
};

boost::json::object to_json(const HiddenDanger& h, bool with_timeline);

}  // namespace anjian::hidden_danger
