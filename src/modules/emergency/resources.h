#pragma once
// Rescue resources (应急资源, issue 16 §3): rescue teams (矿山, 危化, 消防, 医疗, 电力 …), experts,
// depots of materials, shelters and hospitals, each with its place, owner and contact, scoped like
// every record; and the nearest of a kind to a place, with the distance and an estimated travel
// time (distance × a road factor ÷ the kind's speed), from an in-memory R-tree kept in step with
// the table after each commit.
#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "base/geo_index.h"
#include "codes/regions.h"
#include "db/database.h"

namespace anjian::emergency {

struct Settings {
  double road_factor = 1.3;  // roads are longer than the straight line
  // Average speed on the way, km/h, by kind (an expert is driven, a depot's lorry is slower).
  std::map<std::string, double> speed_kmh = {{"rescue_team", 50}, {"expert", 60}, {"depot", 40}, {"shelter", 40}, {"hospital", 50}};
};

struct Resource {
  std::string id, kind, name, region_code, org_id;
  double lon = 0, lat = 0;
  std::string contact_name, contact_phone;
  std::string status = "available";  // available | deployed | unavailable
  std::string team_kind;             // rescue teams: mine | hazchem | fire | medical | power | …
  boost::json::object details;       // the kind's own fields
  std::string created_by;
  Millis created_at = 0, updated_at = 0;
  std::int64_t version = 1;
};

struct Nearby {
  Resource resource;
  double distance_m = 0;
  double eta_min = 0;
};

struct NearestQuery {
  double lon = 0, lat = 0;
  size_t k = 10;
  double radius_m = 0;  // 0: no limit
  std::optional<std::string> kind, team_kind;
};

class ResourceService {
 public:
  ResourceService(db::Database& db, const codes::RegionTable& regions, AuditSink& audit, Settings settings)
      : db_(db), regions_(regions), audit_(audit), settings_(std::move(settings)) {}

  // Reads every resource into the index (at start).
  Status load();
  // The contract's POST. Errors: forbidden (not a regulator), invalid_field, unknown_field,
  // not_found (the region outside the scope).
  Result<Resource> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // The import's two halves of create: the checked record, then its row in the caller's
  // transaction (the caller passes it to `reindex` after the commit).
  Result<Resource> prepare(const auth::Principal& who, const boost::json::object& fields);
  Status insert_in(db::Connection& c, const Resource& r);
  // A change at `version` (status, place, contact, the kind's fields). Errors: not_found,
  // precondition_failed, invalid_field, unknown_field.
  Result<Resource> update(const auth::Principal& who, const std::string& id, std::int64_t version, const boost::json::object& fields,
                          std::string_view source);
  Result<Resource> get(const auth::Principal& who, const std::string& id);
  Result<std::vector<Resource>> list(const auth::Principal& who, const std::optional<std::string>& kind, std::int64_t limit);
  // The nearest in the caller's scope that are not out of service, nearest first.
  Result<std::vector<Nearby>> nearest(const auth::Principal& who, const NearestQuery& q);
  // The same question asked of PostGIS (a geography column with a GiST index, KNN ordering,
  // distances on the same sphere): for PostgreSQL deployments whose other systems query the
  // table, and to check the R-tree. Errors: unavailable (SQLite, or PostGIS not installed).
  Result<std::vector<Nearby>> nearest_in_database(const auth::Principal& who, const NearestQuery& q);
  bool postgis() const { return !postgis_schema_.empty(); }
  size_t indexed() const;
  // A dispatch's change of a resource's status (待命 ↔ 已出动) in the caller's transaction; the
  // caller passes the result to `reindex` after its commit.
  Result<Resource> set_status_in(db::Connection& c, const std::string& id, const std::string& status);
  void reindex(const Resource& r) { index(r); }
  // Minutes to cover `distance_m` (straight) for a resource of `kind`: × the road factor ÷ the speed.
  double eta_min(const std::string& kind, double distance_m) const;
  // Everything within `radius_m` of a point in the scope (any status), nearest first, at most `limit`.
  Result<std::vector<Nearby>> within(const auth::Principal& who, double lon, double lat, double radius_m, size_t limit);

 private:
  // What the index filters by, kept beside it.
  struct Meta {
    std::string kind, team_kind, region_code, status;
  };
  void index(const Resource& r);
  Result<std::vector<Nearby>> hydrate(const std::vector<GeoIndex::Hit>& hits);
  // On PostgreSQL: PostGIS (created when the package is installed and the role may) and the
  // table's geography column and index.
  Status prepare_postgis(db::Connection& c);
  Result<Resource> read(db::Connection& c, const std::string& id);
  Status validate(const boost::json::object& fields, bool creating, Resource& r);

  db::Database& db_;
  const codes::RegionTable& regions_;
  AuditSink& audit_;
  Settings settings_;
  std::string postgis_schema_;  // where PostGIS lives, when the database has it
  mutable std::shared_mutex mu_;
  GeoIndex index_;
  std::map<std::string, Meta> meta_;
};

boost::json::object to_json(const Resource& r);

}  // namespace anjian::emergency
