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
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "db/database.h"
#include "modules/enterprise/service.h"
#include "modules/risk/score_rules.h"

namespace anjian::risk {

struct LevelChange {
  std::string uscc, region_code, enterprise_name;
  EnterpriseScore score;
  std::optional<RiskLevel> previous;
};

class EnterpriseRiskService {
 public:
  EnterpriseRiskService(db::Database& db, enterprise::Service& enterprises, const RiskModel& model = RiskModel::standard())
      : db_(db), enterprises_(enterprises), model_(model) {}

  // Called after each commit that changed a level.
  void on_level_change(std::function<void(const LevelChange&)> fn) { announce_ = std::move(fn); }
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

 private:
  Result<std::vector<std::pair<std::string, EnterpriseFacts>>> facts(db::Connection& c, const std::vector<std::string>& usccs,
                                                                     Millis now);
  db::Database& db_;
  enterprise::Service& enterprises_;
  const RiskModel& model_;
  std::function<void(const LevelChange&)> announce_;
  std::mutex recompute_mu_;  // one recomputation at a time: each reads the level it may change
  std::mutex marked_mu_;
  std::set<std::string> marked_;
};

}  // namespace anjian::risk
