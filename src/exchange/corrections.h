#pragma once
// Corrections between nodes (issue 17 §2, 一数一源): a record is edited only where it was made.
// A node that holds a replica and finds it wrong sends a request down to the owner — who, why,
// the fields it proposes — and the owner accepts it (the change is made there, by the user who
// accepted, under the module's own rules, and travels up like any other) or rejects it with a
// reason. Requests and decisions are shared records themselves: requests travel down (toward the
// record's region only), decisions up; both sides' administrators are told through the inbox.
#include <boost/json/object.hpp>

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "exchange/nodes.h"
#include "exchange/registry.h"
#include "exchange/service.h"

namespace anjian::exchange {

struct CorrectionChange {
  std::string field, label;
  boost::json::value current, proposed;
};

struct Correction {
  std::string id, record_type, record_id, record_name, owner_node, region_code;
  std::string requester_node, requester_node_name, requester_org, requested_by, reason;
  std::vector<CorrectionChange> changes;
  Millis requested_at = 0;
  std::string status = "pending";  // pending | accepted | rejected
  std::string decided_by, decider_org, note;
  std::optional<Millis> decided_at;
};

class Corrections {
 public:
  // Which requests a list shows: those this node decides (it owns the record), those it sent, or
  // every one it holds (a city sees the requests passing through it).
  enum class Box { incoming, outgoing, all };
  struct Page {
    std::vector<Correction> items;
    std::int64_t total = 0;
  };

  // Tells the administrators of this node (its own region's regulator) about a request or a
  // decision, in the inbox, on the writer's connection.
  using NotifyFn = std::function<Status(db::Connection&, const std::string& title, const std::string& body, const std::string& uscc)>;

  Corrections(db::Database& db, const codes::RegionTable& regions, const ShareRegistry& registry, Nodes& nodes,
              AuditSink& audit, NotifyFn notify);

  // The two shared types (requests down, decisions up), for the registry.
  SharedType request_type();
  SharedType decision_type();

  // Asks the owner of replica `record_id` to change `fields` (name → proposed value). Errors:
  // not_found (no such replica in the scope), forbidden (not a regulator), not_replica (409: the
  // record is this node's own — edit it), invalid_field (type takes no corrections; reason empty
  // or over 500 characters; a field unknown, fixed, oversized or already of that value).
  Result<Correction> request(const auth::Principal& who, const std::string& record_type, const std::string& record_id,
                             const std::string& reason, const boost::json::object& fields, std::string_view source);
  // Accepts (the fields are written through the module's rules, as `who`'s edit) or rejects (a
  // note is required) a pending request for a record this node owns. Errors: not_found (outside
  // the scope), forbidden (another node owns the record), conflict (already decided), the
  // module's own errors when the proposed values do not pass its checks.
  Result<Correction> decide(const auth::Principal& who, const std::string& id, bool accept, const std::string& note,
                            std::string_view source);
  Result<Correction> get(const auth::Scope& scope, const std::string& id);
  struct Filter {
    Box box = Box::all;
    std::optional<std::string> status;                // pending | accepted | rejected
    std::optional<std::string> record_type, record_id;  // one record's requests
  };
  Result<Page> list(const auth::Scope& scope, const Filter& filter, std::int64_t page, std::int64_t page_size);

 private:
  Result<std::vector<Correction>> load(db::Connection& c, const std::string& where, std::vector<db::Value> params);

  db::Database& db_;
  const codes::RegionTable& regions_;
  const ShareRegistry& registry_;
  Nodes& nodes_;
  AuditSink& audit_;
  NotifyFn notify_;
  std::mutex decide_mu_;  // one decision at a time: a request is accepted once
};

std::string_view correction_status_label(std::string_view status);

}  // namespace anjian::exchange
