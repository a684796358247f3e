#pragma once
// The rules of the enterprise registry: validation of every field (one path for the API and the
// import), jurisdiction, optimistic concurrency, history of every change, and the unified view.
#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "base/event_bus.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/enterprise/counts.h"
#include "modules/enterprise/model.h"
#include "modules/enterprise/repo.h"

namespace anjian::enterprise {

// A section of the unified view (企业一张表) contributed by a module: name and a function that
// returns its JSON for one enterprise, already known to be in the caller's scope.
struct ViewSection {
  std::string name;
  std::function<Result<boost::json::value>(const auth::Principal&, const Enterprise&)> build;
};

class Service {
 public:
  Service(db::Database& db, const codes::RegionTable& regions, AuditSink& audit, EnterpriseOptions options = {});

  // Validates `fields` (the API's JSON shape) onto `e`. creating: uscc, name, region_code and
  // industry are required; otherwise only the fields present change and null clears a field.
  Status apply_fields(Enterprise& e, const boost::json::object& fields, bool creating) const;

  // Errors: invalid_field / invalid_uscc / unknown_region, forbidden (region outside scope),
  // conflict (uscc exists).
  Result<Enterprise> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // Errors: not_found (outside scope), precondition_failed (stale version). `also` writes what must
  // commit with the edit or not at all (a correction's decision), also when nothing changed.
  Result<Enterprise> update(const auth::Principal& who, const std::string& uscc, std::int64_t expected_version,
                            const boost::json::object& fields, std::string_view source,
                            const std::function<Status(db::Connection&)>& also = nullptr);
  // Soft delete: status closed; the record and its history stay.
  Result<Enterprise> close(const auth::Principal& who, const std::string& uscc, std::int64_t expected_version,
                           std::string_view source);
  Result<Enterprise> get(const auth::Scope& scope, const std::string& uscc);
  Result<ListPage> list(const auth::Scope& scope, ListFilter filter);
  Result<std::vector<HistoryEntry>> history(const auth::Scope& scope, const std::string& uscc);
  // The record plus each registered section.
  Result<boost::json::object> view(const auth::Principal& who, const std::string& uscc);
  Result<boost::json::object> summary(const auth::Scope& scope);
  // The names of those of `usccs` the scope sees.
  Result<std::map<std::string, std::string>> names(const auth::Scope& scope, const std::vector<std::string>& usccs);
  // The map's points in the scope, optionally within a region's subtree. Errors: unknown_region.
  Result<std::vector<MapPoint>> points(const auth::Scope& scope, const std::optional<std::string>& region_code);
  // The points in the scope within `radius_m` of a place, nearest first, with their distances, at
  // most `limit` (an incident's surroundings).
  Result<std::vector<std::pair<MapPoint, double>>> points_near(const auth::Scope& scope, double lon, double lat, double radius_m,
                                                               size_t limit);
  static constexpr std::int64_t kMaxMapPoints = 200'000;

  // Modules add their sections at start-up (before serving).
  void register_section(ViewSection section);

  boost::json::object to_json(const Enterprise& e, bool mask_personal) const;
  std::int64_t today() const;
  const EnterpriseOptions& options() const { return options_; }
  const codes::RegionTable& regions() const { return regions_; }

  // Inserts a batch of validated records with history and one audit record, in one transaction
  // on `tx` (the import's). REQUIRES: tx in a transaction.
  Status insert_batch(db::Connection& tx, const auth::Principal& who, std::vector<Enterprise>& batch);
  db::Database& database() { return db_; }
  AuditSink& audit() { return audit_; }
  // After each create, update and import commits: "enterprise.changed" ({enterprise_uscc}) on the bus.
  void set_bus(const EventBus* bus) { bus_ = bus; }
  // Asked before an edit: an error when the record is another node's replica (一数一源).
  void set_replica_guard(std::function<Status(const std::string& uscc)> guard) { replica_guard_ = std::move(guard); }
  // Called inside the transaction that moves an enterprise to another region (a failure rolls the
  // move back): what must move with it — its organization's region, which scopes its users — does.
  void on_moved_in(std::function<Status(db::Connection&, const std::string& uscc, const std::string& region_code)> fn) {
    moved_in_ = std::move(fn);
  }
  void announce_changed(const std::string& uscc) const;
  // Many at once, one event per few thousand (an import, a batch received from a county).
  void announce_changed(const std::vector<std::string>& usccs) const;

 private:
  Status check_region(const auth::Principal& who, const std::string& region_code) const;
  AuditEvent event(const auth::Principal& who, std::string action, const Enterprise& e, std::string_view source,
                   std::string detail) const;

  db::Database& db_;
  const codes::RegionTable& regions_;
  AuditSink& audit_;
  EnterpriseOptions options_;
  EnterpriseCounts counts_;
  std::function<Status(db::Connection&, const std::string&, const std::string&)> moved_in_;
  const EventBus* bus_ = nullptr;
  std::vector<ViewSection> sections_;
  std::function<Status(const std::string&)> replica_guard_;
};

// The changes between two versions of a record: {"field": {"from": …, "to": …}}.
boost::json::object diff(const boost::json::object& before, const boost::json::object& after);

}  // namespace anjian::enterprise
