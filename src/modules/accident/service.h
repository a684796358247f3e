#pragma once
// Accident reports (事故信息报送, issue 16 §1): the 快报 graded by the rule, sent up the chain its
// grade requires with every hop's deadline; each level's duty room receives it (inbox, stream, the
// pending list that rings), takes it and forwards it upward (or skips levels, on record); 续报 and
// 补报 change the numbers, re-grade and, when the grade rises, extend the chain. A report is
// visible wherever the place is in scope: the levels above, and the county of a report made above.
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
#include "exchange/registry.h"
#include "modules/accident/model.h"
#include "modules/enterprise/service.h"
#include "modules/notification/notifier.h"

namespace anjian::accident {

struct Filter {
  std::optional<std::string> region_code, grade, enterprise_uscc;
  std::optional<Millis> from, to;  // occurred_at in [from, to)
  bool pending = false;            // only what waits for the caller's org: to take, or to forward
  std::int64_t page = 1, page_size = 50;
};

struct Page {
  std::vector<Accident> items;
  std::int64_t total = 0;
};

class AccidentService {
 public:
  // auto_forward: a hop received is sent on at once to the next level ([accidents] auto_forward).
  AccidentService(db::Database& db, const codes::RegionTable& regions, auth::Identity& identity, enterprise::Service& enterprises,
                  notification::Notifier& notifier, AuditSink& audit, bool auto_forward)
      : db_(db), regions_(regions), identity_(identity), enterprises_(enterprises), notifier_(notifier), audit_(audit),
        auto_forward_(auto_forward) {}

  // The contract's calculator: {deaths, missing, serious_injuries, direct_loss_yuan, endangered?,
  // trapped?, evacuated?} → the grading. Errors: invalid_field, unknown_field.
  static Result<Grading> grade_of(const boost::json::object& fields, Casualties& out);

  // A 快报. Errors: forbidden (not a regulator or the enterprise's own user), not_found (the
  // enterprise or place outside the scope), invalid_field, unknown_field.
  Result<Accident> report(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // Errors: not_found (outside the reader's visibility).
  Result<Accident> get(const auth::Principal& who, const std::string& id);
  Result<Page> list(const auth::Principal& who, const Filter& f);
  // The duty officer of the hop's org takes it (the ring stops). Errors: not_found, forbidden
  // (nothing addressed to the caller's org has arrived).
  Result<Accident> acknowledge(const auth::Principal& who, const std::string& id, std::string_view source);
  // A regulator's own report is taken and sent on to the next level at once; 较大 and above reach
  // the province at once too (the direct line).
  // {to_level?, note?}: on to the next level, or past it to `to_level` (the levels between are
  // recorded as skipped; a level that has it already keeps its receipt). Errors: not_found,
  // forbidden (not addressed to the caller's org), conflict (forwarded already, or nothing above),
  // invalid_field.
  Result<Accident> forward(const auth::Principal& who, const std::string& id, const boost::json::object& fields, std::string_view source);
  // 续报 / 补报: {kind, deaths?, missing?, serious_injuries?, minor_injuries?, direct_loss_yuan?,
  // note, stable?}. Errors: not_found, forbidden, invalid_field, supplement_window_closed.
  Result<Accident> update(const auth::Principal& who, const std::string& id, const boost::json::object& fields, std::string_view source);

  // The hops of the reports of places in the caller's scope (accidents in [from, to)), by the region
  // of the level that had to receive them: how many, how many late (DOMAIN.md §6: late hops are
  // counted per org).
  struct HopTally {
    std::string region_code, org_name;
    Level level = Level::county;
    std::int64_t hops = 0, late = 0;
  };
  Result<std::vector<HopTally>> late_hops(const auth::Principal& who, std::optional<Millis> from, std::optional<Millis> to);

  // What of a report travels to the nodes above (issue 17): the report with its chain and timeline,
  // in the priority lane, ahead of everything else. Kept there as a replica (their own chain is
  // theirs). share.cpp.
  exchange::SharedType shared_type();

  // Called after a report's commit (new, received, taken, forwarded, updated): the module tells
  // the stream and the bus.
  using Listener = std::function<void(const Accident&, std::string_view what)>;
  void on_change(Listener l) { listeners_.push_back(std::move(l)); }

 private:
  Result<Accident> load(db::Connection& c, const std::string& id);
  Result<Accident> load_visible(db::Connection& c, const auth::Principal& who, const std::string& id);
  Status fill_orgs(db::Connection& c, std::vector<Accident*> list);
  Status save_hops(db::Connection& c, const Accident& a);
  Status add_event(db::Connection& c, Accident& a, const auth::Principal& who, Millis at, std::string action, boost::json::object detail);
  Status receive(db::Connection& c, Accident& a, size_t hop, Millis at, std::string via);
  Status direct_to_province(db::Connection& c, Accident& a, Millis at);
  void changed(const Accident& a, std::string_view what);

  db::Database& db_;
  const codes::RegionTable& regions_;
  auth::Identity& identity_;
  enterprise::Service& enterprises_;
  notification::Notifier& notifier_;
  AuditSink& audit_;
  bool auto_forward_;
  std::vector<Listener> listeners_;
};

boost::json::object to_json(const Accident& a, Millis now, bool with_timeline);
// The region codes whose duty rooms have the report and have not taken it (the ring).
std::vector<std::string> ringing(const Accident& a);

}  // namespace anjian::accident
