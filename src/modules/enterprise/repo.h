#pragma once
// The only place that holds the SQL of enterprises. Every read takes the caller's Scope.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "db/database.h"
#include "modules/enterprise/model.h"

namespace anjian::enterprise {

struct ListFilter {
  std::optional<std::string> region_code;   // a subtree, intersected with the scope
  std::optional<codes::CodeRange> region_range;
  std::optional<std::string> industry, status, licence_state;
  std::string q;                              // full-text query
  // name | -name | uscc | -uscc | updated_at | -updated_at | region_code | licence_expires_on;
  // empty: by name, or with q in registration order (a search answers its first page without
  // sorting every match).
  std::string sort;
  std::int64_t page = 1, page_size = 20;
};

// Full-text matches are counted up to this many: beyond it the total is a lower bound, so that a
// search for a common word over a million records answers in milliseconds.
inline constexpr std::int64_t kSearchCountLimit = 1000;

struct ListPage {
  std::vector<Enterprise> items;
  std::int64_t total = 0;
  bool total_exact = true;  // false when a search had more than kSearchCountLimit matches
};

struct HistoryEntry {
  std::int64_t id = 0;
  Millis at = 0;
  std::string user_id, username, action, changes;  // changes: JSON text {field: {from, to}}
  std::int64_t version = 0;
};

// A point of the map (一张图): enough to draw and label it.
struct MapPoint {
  std::string uscc, name, industry, region_code, status;
  double lon = 0, lat = 0;
};

// A box of longitudes and latitudes (a place's surroundings, narrowed by distance afterwards).
struct GeoBox {
  double lon_lo = 0, lon_hi = 0, lat_lo = 0, lat_hi = 0;
};

// The registry counted by county, industry, status and licence expiry (for EnterpriseCounts).
struct TallyRow {
  std::string region_code, industry, status;
  std::optional<std::string> expires_on;
  std::int64_t n = 0;
};

namespace repo {
// Every write of enterprises bumps the generation in its transaction: the next number.
Result<std::int64_t> bump_generation(db::Connection& c);
Result<std::int64_t> generation(db::Connection& c);
// The names of those of `usccs` (at most 500) the scope sees.
Result<std::map<std::string, std::string>> names(db::Connection& c, const auth::Scope& scope, const std::vector<std::string>& usccs);
// The generation and the tally, from one snapshot.
Result<std::pair<std::int64_t, std::vector<TallyRow>>> tally(db::Connection& c);
Result<Enterprise> get(db::Connection& c, const auth::Scope& scope, const std::string& uscc);
// Ignores scope: for the duplicate check only; never shown to a caller.
Result<bool> exists(db::Connection& c, const std::string& uscc);
// REQUIRES: in a transaction. Sets e.id.
Status insert(db::Connection& c, Enterprise& e);
// Writes e where the stored version is `expected_version`; precondition_failed otherwise.
Status update(db::Connection& c, const Enterprise& e, std::int64_t expected_version);
Result<ListPage> list(db::Connection& c, const auth::Scope& scope, const ListFilter& f, std::int64_t today,
                      const EnterpriseOptions& options);
// Every enterprise with coordinates in the scope (and the optional subtree), at most `limit`.
Result<std::vector<MapPoint>> points(db::Connection& c, const auth::Scope& scope,
                                     const std::optional<codes::CodeRange>& range, std::int64_t limit,
                                     const std::optional<GeoBox>& box = std::nullopt);
Status add_history(db::Connection& c, const HistoryEntry& h, const std::string& uscc);
Result<std::vector<HistoryEntry>> history(db::Connection& c, const std::string& uscc);
// Counts for the home page: by industry, status and licence state.
Result<std::vector<std::pair<std::string, std::int64_t>>> count_by(db::Connection& c, const auth::Scope& scope,
                                                                   const std::string& column);
}  // namespace repo

}  // namespace anjian::enterprise
