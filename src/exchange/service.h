#pragma once
// The change feed between nodes (issue 17 §3): batches cut from the outbox for each link, opened
// and applied on the other side, and the state of every link.
//
// Sending: the outbox (filled by triggers on the shared tables, in the writer's transaction) is
// read after a link's cursor, lane by lane; a record changed several times in a range travels
// once, in its current state. Records this node owns carry the outbox position as their version;
// replicas carry their owner's, unchanged.
//
// Receiving: a batch is applied whole in one transaction, or not at all. Applying is idempotent by
// (owner, type, id, version): a duplicated, replayed or reordered batch changes nothing. A batch
// that starts after the next expected position waits (it is not applied until the gap is filled).
// Refused whole, recorded and reported to the administrators (audit and inbox): a batch the
// signature check refuses, one sent by a peer that is not registered in that direction, one whose
// changes are not the sender's to send (outside its region, or owned by another node).
#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/scope.h"
#include "base/event_bus.h"
#include "codes/regions.h"
#include "db/database.h"
#include "exchange/nodes.h"
#include "exchange/registry.h"

namespace anjian::exchange {

struct ExchangeSettings {
  std::int64_t batch_changes = 10'000;         // the most changes in one batch
  std::int64_t max_batch_bytes = 256ll << 20;  // the largest batch file accepted
  Millis keep_sent_ms = 7 * 86'400'000LL;      // sent changes stay in the outbox this long
};

struct LinkState {
  std::string node_id, name, relation, direction;  // direction: up (to the parent) | down (to a child)
  std::string region_code;
  std::optional<Millis> last_contact_at, last_sent_at, last_received_at;
  std::int64_t lag_s = 0;          // age of the oldest change not yet sent on this link
  std::int64_t backlog = 0;        // outbox changes not yet sent on this link
  std::int64_t refused_batches = 0;
  std::int64_t applied_changes = 0;
  std::string last_error;
  struct Lane {
    std::string lane;
    std::int64_t sent_seq = 0, received_seq = 0;
  };
  std::vector<Lane> lanes;
};

// What applying one batch did.
struct ApplyReport {
  std::string sender;
  std::string lane;
  std::int64_t from_seq = 0, to_seq = 0;
  std::int64_t applied = 0;     // changes written
  std::int64_t unchanged = 0;   // already held at that version or newer
  std::int64_t conflicts = 0;   // records this node holds as its own (reported, not applied)
  std::int64_t skipped = 0;     // types this node does not know
  bool duplicate = false;       // the whole range was applied before
  bool waiting = false;         // starts after a gap: kept until the gap is filled
  std::int64_t expected_from = 0;
};

class ExchangeService {
 public:
  // The audit chain's head now, with the hash at `anchor_seq` (when > 0) as the chain holds it today.
  using AuditHeadFn = std::function<Result<AuditHead>(std::int64_t anchor_seq)>;
  using NotifyFn = std::function<Status(db::Connection&, const std::string& title, const std::string& body)>;

  ExchangeService(db::Database& db, const codes::RegionTable& regions, const ShareRegistry& registry, Nodes& nodes,
                  AuditSink& audit, EventBus& bus, AuditHeadFn audit_head, NotifyFn notify, ExchangeSettings settings = {});

  // Creates (or re-creates) the outbox triggers of every shared table. Idempotent.
  Status install_triggers();
  // Puts every existing record of the types that travel to `peer` into the outbox: what a new
  // link must send first.
  Status enqueue_snapshot(const std::string& peer);

  // The next batch for `peer` in `lane` after `after_seq` (default: the link's cursor), or an
  // empty string when nothing is pending. Does not move the cursor.
  Result<std::string> next_batch(const std::string& peer, Lane lane, std::optional<std::int64_t> after_seq = std::nullopt);
  // The peer holds the batch: the cursor moves to its end (never back), and its audit head becomes
  // the anchor of the next batch.
  Status mark_sent(const Manifest& sent);

  // A child's signed pull (the HTTPS transport downward): the child holds everything up to
  // `after`, so the link's cursor moves there (back too: a restored child is sent again), and the
  // next batch for it is returned ("" when nothing waits). Errors: open_pull's, batch_wrong_receiver,
  // batch_not_child (the sender is not registered here as a child).
  Result<std::string> serve_pull(std::string_view body);
  // The last position received from `peer` in `lane` (0 before the first batch).
  Result<std::int64_t> received_seq(const std::string& peer, Lane lane);

  // Opens and applies a batch file. A refused batch returns its error after being recorded.
  Result<ApplyReport> receive(std::string_view file, const std::string& via);

  // A file in the drop folder too large to be any batch (it is not even opened): recorded and told
  // to the administrators like a refused batch (as one from an unverified sender: at most once a
  // minute). Returns the error to report.
  Error refuse_file(const std::string& via, std::int64_t bytes);

  // A transport could not reach the peer or was refused: shown on the link until it next succeeds.
  void note_link_error(const std::string& peer, const std::string& message);

  // The replicas of a type held here, newest first, within `scope` (by the record's region; an
  // enterprise's users see only their own enterprise's). Errors: invalid_field (type unknown).
  struct Replica {
    std::string type, id, owner_node, owner_name, region_code, received_from;
    std::int64_t version = 0;
    Millis updated_at = 0;
    boost::json::object data;
  };
  struct ReplicaPage {
    std::vector<Replica> items;
    std::int64_t total = 0;
  };
  Result<ReplicaPage> replicas(const auth::Scope& scope, const std::string& type, std::int64_t page, std::int64_t page_size);

  // The replicas of a type held here within `scope`, counted by the values of up to three of its
  // enumerations or yes/no fields (or "region_code", the record's region): what the nodes below
  // reported, summed up (重大隐患 not yet closed, by county). Most numerous first, at most 1,000
  // groups. Booleans as "true"/"false", absent values as "". Errors: invalid_field (type unknown;
  // `by` empty, repeated, more than three, or not an enumeration or boolean field of the type).
  struct ReplicaCount {
    std::vector<std::string> values;  // in the order of `by`
    std::int64_t count = 0;
  };
  // Fills the facets of the replicas kept before migration 45 (once, at start).
  Status fill_facets();
  Result<std::vector<ReplicaCount>> replica_counts(const auth::Scope& scope, const std::string& type, const std::vector<std::string>& by);

  // Every record of a type held here — this node's own and the replicas alike, one table — within
  // `scope` by the record's region, in id order, as the type's read gives it (all its fields; the
  // caller keeps those it may show). For the catalog's grants and open data. Errors: invalid_field
  // (type unknown or not listable: no region_column).
  struct SharedRecord {
    std::string id, region_code;
    boost::json::object data;
  };
  struct RecordPage {
    std::vector<SharedRecord> items;
    std::int64_t total = 0;
  };
  Result<RecordPage> shared_records(const auth::Scope& scope, const std::string& type, std::int64_t page, std::int64_t page_size);

  // Every link with its lag, backlog and counters.
  Result<std::vector<LinkState>> links();
  // The links as Prometheus gauges (lag, backlog, refused batches, last contact), for /metrics.
  std::string metrics_text();
  // Removes outbox rows every link they travel on has sent, once older than `keep_sent_ms`: kept a
  // while so that a batch lost on the way can be written again (`export --from`, a parent's
  // "waiting" answer).
  Status prune_outbox(Millis keep_sent_ms);
  // Drops the replicas of the types that keep them for a time (SharedType::keep_replicas_ms) once
  // that time has passed since they arrived. Returns how many went.
  Result<size_t> prune_replicas(Millis now);

  const ExchangeSettings& settings() const { return settings_; }

 private:
  struct Pending;
  Result<std::vector<Change>> collect(db::Connection& c, const NodeInfo& me, const Peer& peer, Lane lane,
                                      std::int64_t after, std::int64_t& to_seq);
  Result<ApplyReport> apply(const OpenedBatch& batch, const Peer& peer, const NodeInfo& me);
  void refuse(const std::string& peer, const Error& e, std::string_view manifest, const std::string& via, bool verified);
  bool report_allowed(const std::string& claimed);

  db::Database& db_;
  const codes::RegionTable& regions_;
  const ShareRegistry& registry_;
  Nodes& nodes_;
  AuditSink& audit_;
  EventBus& bus_;
  AuditHeadFn audit_head_;
  NotifyFn notify_;
  ExchangeSettings settings_;
  std::mutex apply_mu_;  // one batch opened and applied at a time: cursors move in order, memory bounded
  std::mutex report_mu_;
  std::map<std::string, Millis> last_report_;  // unverified refusals reported, by claimed sender
};

std::string_view change_type_label(const ShareRegistry& registry, std::string_view type);

}  // namespace anjian::exchange
