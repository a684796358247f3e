#pragma once
// The exchange's batch file: what one node sends another, the same bytes over HTTPS and through a
// folder that a 网闸 (one-way gateway) carries. Self-contained and checkable without a database:
//
//   ANJIAN-BATCH/1\n
//   {manifest JSON}\n            sender, receiver, lane, sequence range, count, payload digests
//   base64(signature)\n          the sender's key over the two lines above (Ed25519 or SM2)
//   zstd(NDJSON of changes)      one change per line
//
// The signature covers the manifest, the manifest the payload's SHA-256 and SM3 and the SM3 of the
// compressed bytes: changing one byte anywhere is detected. Opening a batch checks all of it before a single change is returned.
#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace anjian::exchange {

// Accident reports travel in their own lane, ahead of everything else (issue 17 §2).
enum class Lane { priority, bulk };
std::string_view lane_name(Lane lane);
std::optional<Lane> parse_lane(std::string_view name);

// One changed record: its state at the owner's `version`, or a tombstone (`deleted`).
struct Change {
  std::int64_t seq = 0;      // the sender's outbox position
  std::string type;          // "enterprise", "accident", …: a shared type of the registry
  std::string id;            // the record's key within its type
  std::string owner;         // the node where the record is made (一数一源)
  std::int64_t version = 0;  // the owner's; a higher one replaces a lower one
  bool deleted = false;
  std::string region_code;   // where the record belongs: a receiver checks it lies in the sender's region
  boost::json::object data;  // the shared fields (empty for a tombstone)
};

// The sender's audit chain: its head now, and its hash today at the position of the head it sent
// before (the anchor). The receiver keeps the heads; an anchor that differs from the head it kept
// for that position means the chain was rewritten below, even if the head was rewritten with it.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;
  std::int64_t anchor_seq = 0;  // 0: no earlier head sent
  std::string anchor_hash;
};

struct Manifest {
  std::string sender, receiver;
  Lane lane = Lane::bulk;
  std::int64_t from_seq = 0, to_seq = 0;  // the outbox range the batch covers (inclusive)
  std::int64_t count = 0;                 // changes in the payload (≤ the range: a record changed
                                          // twice in the range travels once)
  Millis created_at = 0;
  std::string key;                        // fingerprint of the signing key
  std::optional<AuditHead> audit_head;    // the sender's audit chain head when the batch was made
  std::string payload_sha256, payload_sm3;  // of the NDJSON; filled by seal_batch
  std::string compressed_sm3;               // of the bytes as sent: no bit of the file goes unchecked
  std::int64_t payload_bytes = 0;           // uncompressed
};

// Seals changes into a batch file signed with `private_pem`. Fills the manifest's digests, count
// and key. REQUIRES: changes' seqs lie in [from_seq, to_seq].
Result<std::string> seal_batch(Manifest manifest, const std::vector<Change>& changes, std::string_view private_pem);

// What the receiver knows of a sender's key, by fingerprint.
struct KnownKey {
  enum class State { unknown, active, revoked } state = State::unknown;
  std::string public_key;
};
using KeyLookup = std::function<KnownKey(const std::string& sender, const std::string& fingerprint)>;

struct OpenedBatch {
  Manifest manifest;
  std::vector<Change> changes;
};

// Checks and opens a batch file. Refuses (code in brackets): not a batch or damaged
// [batch_malformed], a key the receiver does not hold [batch_unknown_key], a revoked one
// [batch_revoked_key], a signature that does not verify [batch_bad_signature], a payload that does
// not match its digests [batch_digest_mismatch], more than `max_payload` bytes uncompressed
// [batch_too_large].
Result<OpenedBatch> open_batch(std::string_view file, const KeyLookup& keys,
                               std::int64_t max_payload = 512ll << 20);

// The changes of an opened payload (NDJSON), each checked to lie in the manifest's range; the count
// must match. Exposed for the fuzzer: open_batch calls it after every signature and digest check.
Result<std::vector<Change>> parse_changes(std::string_view ndjson, const Manifest& manifest);

// Reads only the manifest (no checks beyond its syntax): for listings and file names.
Result<Manifest> peek_manifest(std::string_view file);

boost::json::object manifest_json(const Manifest& m);

// A child asking its parent for what waits for it (the HTTPS pull, for what travels down): signed
// with the child's key, so that the parent hands a region's data only to that region's node, and
// dated, so that a captured request is useless after a few minutes. JSON on the wire.
struct PullRequest {
  std::string sender, receiver;
  Lane lane = Lane::bulk;
  std::int64_t after = 0;  // the last position the child holds from the parent in this lane
  Millis at = 0;
  std::string key;         // fingerprint of the signing key
  std::string signature;   // base64
};
// The request as the JSON body to send, signed with `private_pem` (request.signature is filled).
Result<std::string> sign_pull(PullRequest request, std::string_view private_pem);
// Parses and checks a pull request: the shape [batch_malformed], the key [batch_unknown_key /
// batch_revoked_key], the signature [batch_bad_signature], the date within `max_skew_ms` of `now`
// [batch_stale].
Result<PullRequest> open_pull(std::string_view body, const KeyLookup& keys, Millis now, Millis max_skew_ms = 300'000);

}  // namespace anjian::exchange
