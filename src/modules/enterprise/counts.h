#pragma once
// The registry's counts for the home page (GET /enterprises/summary): by industry, by status and
// by licence state, for any scope, in milliseconds at a million enterprises. Counted once from the
// database, then kept in step with the writes: each write bumps a generation number in its own
// transaction (repo::bump_generation) and hands its change here after commit. A summary first
// reads the generation: when it is one this process has not seen in full (another process's
// write, an import, a write still between commit and hand-over), the counts are taken anew from
// the database, so that what is shown is never older than what was committed before the request.
// Licence states are counted from expiry dates at the time of the request (they change with the
// calendar, not with writes). Thread-safe.
#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>

#include "auth/scope.h"
#include "db/database.h"
#include "modules/enterprise/model.h"

namespace anjian::enterprise {

class EnterpriseCounts {
 public:
  // After a write of generation `generation` committed: what it removed and what it added
  // (none for a create's "before").
  void apply(std::int64_t generation, const Enterprise* before, const Enterprise* after);

  // {total, by_industry, by_status, by_licence_state}. REQUIRES: scope is a region or all.
  Result<boost::json::object> summary(db::Database& db, const auth::Scope& scope, std::int64_t today,
                                      const EnterpriseOptions& options);

 private:
  struct Key {
    std::string region_code, industry, status;
    std::optional<std::int64_t> expires;  // the licence's expiry day, when it has one
  };
  struct County {
    std::map<std::string, std::int64_t> industry, status;
    std::map<std::int64_t, std::int64_t> expiry;  // day → enterprises
    std::int64_t total = 0, no_licence = 0;
  };
  void add(const Key& k, std::int64_t n);
  static Key key_of(const Enterprise& e);
  Status rebuild(db::Database& db);

  std::shared_mutex mu_;
  bool loaded_ = false;
  std::int64_t generation_ = 0;  // every write up to this one is counted
  // Writes after generation_ already counted, with their keys, so that a rebuild from a snapshot
  // older than them can count them again.
  std::map<std::int64_t, std::pair<std::optional<Key>, std::optional<Key>>> ahead_;
  std::map<std::string, County> counties_;
};

}  // namespace anjian::enterprise
