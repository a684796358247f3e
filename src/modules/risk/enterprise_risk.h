#pragma once
// The dynamic risk of every enterprise, kept current: the facts the platform holds (its industry
// and licence, major hazard sources, risk points, alarms open and recent) are read set-wise for the
// enterprises asked, scored by the versioned model (score_rules.h) and stored with the breakdown; a
// change of level is recorded in a history and announced (the stream tells regulators in scope).
// Recomputation follows events (mark() from the event bus; a worker calls recompute_marked()), and
// a periodic full pass keeps time-based factors (the 7/30-day windows, licence dates) current.
//
// A read model: it reads other modules' tables directly (one GROUP BY per table for thousands of
// enterprises, where calling each module per enterprise would take minutes for a province).
#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "db/database.h"
#include "modules/enterprise/service.h"
#include "modules/risk/region_rules.h"
#include "modules/risk/score_rules.h"

namespace anjian::risk {

struct LevelChange {
  std::string uscc, region_code, enterprise_name;
  EnterpriseScore score;
  std::optional<RiskLevel> previous;
};

class EnterpriseRiskService {
 public:
  // The country as a region of the drill-down: its children are the provinces.
  static constexpr std::string_view kNation = "100000";

  EnterpriseRiskService(db::Database& db, enterprise::Service& enterprises, const codes::RegionTable& regions,
                        const RiskModel& model = RiskModel::standard())
      : db_(db), enterprises_(enterprises), regions_(regions), model_(model) {}

  // Called after each commit that changed a level.
  void on_level_change(std::function<void(const LevelChange&)> fn) { announce_ = std::move(fn); }
  // Called inside the transaction that changes a level (a failure rolls the change back): what
  // must be kept exactly when the change is — a notification — is written here.
  void on_level_change_in(std::function<Status(db::Connection&, const LevelChange&)> fn) { record_ = std::move(fn); }
  // An enterprise whose facts changed: recomputed by the next recompute_marked().
  void mark(const std::string& uscc);
  // Recomputes the marked enterprises. Returns how many.
  Result<size_t> recompute_marked(Millis now);
  // Recomputes these enterprises now (`reason` goes into the history). Returns how many.
  Result<size_t> recompute(const std::vector<std::string>& usccs, Millis now, std::string_view reason);
  // Every enterprise, in batches. Returns how many.
  Result<size_t> recompute_all(Millis now, std::string_view reason);
  // Whether any stored score was made by another model version (or none is stored).
  Result<bool> stale_model();

  // The enterprise's current risk with its breakdown and its level history (newest first).
  // Errors: not_found (outside the scope, or not computed yet).
  Result<boost::json::object> get(const auth::Scope& scope, const std::string& uscc);

  // Regions (region_rules.h): loaded from the stored scores, then moved by each recomputation.
  Status load_regions();
  // A region's risk: {code, name, score, level, colour, enterprises, distribution} and, with
  // `trend`, its last 12 weekly rows. Errors: not_found (not a region in the user's jurisdiction).
  Result<boost::json::object> region(const auth::Scope& scope, const std::string& code, bool trend);
  // The same for each child region (drill-down).
  Result<boost::json::array> children(const auth::Scope& scope, const std::string& code);
  // Enterprises most at risk first (level, then score), with the reason, in a region of the scope.
  Result<boost::json::object> ranked(const auth::Scope& scope, const std::string& code, std::int64_t limit);
  // Every scored enterprise of the scope (optionally within a region's subtree) as compact rows
  // [uscc, level, score], for the map's colours. Errors: unknown_region.
  Result<boost::json::object> levels(const auth::Scope& scope, const std::optional<std::string>& region_code);
  // This week's row of every region that has enterprises (the trend).
  Status snapshot_week(Millis now);

 private:
  // An enterprise being recomputed: its facts, and what the pass needs besides (where it is, what
  // it was), read in the same queries.
  struct Subject {
    EnterpriseFacts facts;
    std::string region, name;
    std::optional<RiskLevel> level;  // stored before this pass
    double score = 0;
  };
  Result<std::map<std::string, Subject>> subjects(db::Connection& c, const std::vector<std::string>& usccs, Millis now);
  Result<size_t> recompute_locked(const std::vector<std::string>& usccs, Millis now, std::string_view reason);  // REQUIRES: recompute_mu_
  // A region code's subtree; 100000 (全国, not a row of GB/T 2260's table) is every code.
  std::optional<codes::CodeRange> range_of(const std::string& code) const;
  bool visible(const auth::Scope& scope, const std::string& code) const;
  RegionHistogram histogram_of(const std::string& code) const;  // REQUIRES: regions_mu_ held, visible(code)
  boost::json::object summary(const std::string& code, const RegionHistogram& h) const;
  db::Database& db_;
  enterprise::Service& enterprises_;
  const codes::RegionTable& regions_;
  const RiskModel& model_;
  mutable std::mutex regions_mu_;
  std::map<std::string, RegionHistogram> by_region_;  // enterprise region code → its enterprises' scores
  std::function<void(const LevelChange&)> announce_;
  std::function<Status(db::Connection&, const LevelChange&)> record_;
  std::mutex recompute_mu_;  // one recomputation at a time: each reads the level it may change
  std::mutex marked_mu_;
  std::set<std::string> marked_;
};

}  // namespace anjian::risk
