#pragma once
// This node and the nodes it trusts. A node is initialised once (`anjian node init`): its id,
// level, region and name in the database, its signing key in a file beside the database that only
// the service user reads. A peer (the parent above, children below) is registered by the
// administrators of both sides exchanging public keys (`anjian node register`); a peer's keys can
// be added (rotation) and revoked, and a batch is trusted only under an active key of its sender.
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "base/signature.h"
#include "codes/regions.h"
#include "db/database.h"
#include "exchange/batch_format.h"

namespace anjian::exchange {

struct NodeInfo {
  std::string node_id, level, region_code, name;
  std::string public_key, algorithm, fingerprint;
  Millis created_at = 0;
};

struct PeerKey {
  std::string fingerprint, public_key, algorithm, state;  // state: active | revoked
  Millis added_at = 0;
  std::optional<Millis> revoked_at;
};

struct Peer {
  std::string node_id, relation;  // relation: parent | child
  std::string name, level, region_code, url;
  Millis registered_at = 0;
  std::string registered_by;
  std::vector<PeerKey> keys;
};

struct PeerRegistration {
  std::string node_id, relation, name, region_code, url, public_key;
};

class Nodes {
 public:
  // `key_file`: where this node's private key lives (DATA/node.key).
  Nodes(db::Database& db, const codes::RegionTable& regions, AuditSink& audit, std::string key_file);

  // Makes this database a node. Refuses a second init [conflict], an unknown region
  // [invalid_field region_code], an id that is not 1–64 of [A-Za-z0-9._-] [invalid_field node_id].
  Result<NodeInfo> init(std::string node_id, const std::string& region_code, std::string name,
                        SignatureAlgorithm algorithm, const std::string& by);
  // This node, or not_initialised when `node init` has not run.
  Result<NodeInfo> self() const;
  // Registers a peer with its public key, or adds the key to a known peer (rotation). A parent
  // must be the region above ours, a child within ours [invalid_field region_code]; one parent.
  Result<Peer> register_peer(const PeerRegistration& r, const std::string& by);
  Status revoke_key(const std::string& node_id, const std::string& fingerprint, const std::string& by);
  // A new signing key for this node; the old one stays in key_file + ".old" until peers hold the new.
  Result<NodeInfo> rotate_key(const std::string& by);
  Result<std::vector<Peer>> peers() const;
  Result<Peer> peer(const std::string& node_id) const;
  // For open_batch: the state of a sender's key by fingerprint.
  KnownKey lookup(const std::string& sender, const std::string& fingerprint) const;
  Result<std::string> private_key() const;

 private:
  db::Database& db_;
  const codes::RegionTable& regions_;
  AuditSink& audit_;
  std::string key_file_;
};

std::string_view level_label(std::string_view level);  // county → 县级

}  // namespace anjian::exchange
