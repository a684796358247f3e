#pragma once
// What a node shares with others, declared by the module that owns each record type in one place
// (its module.cpp): the tables whose rows make up a record, the fields that travel, which way, in
// which lane, and how the module reads a record for sending and applies one received. The exchange
// reads this registry and the catalog publishes it; the exchange never holds a module's SQL.
#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "base/event_bus.h"
#include "base/result.h"
#include "db/database.h"
#include "exchange/batch_format.h"

namespace anjian::exchange {

enum class Direction { up, down };

// A field as the catalog describes it (信息项: 名称, 数据类型). Personal data is marked so that
// open resources leave it out.
struct SharedField {
  std::string name, label, type;  // type: "string" | "integer" | "number" | "boolean" | "date" | "json"
  bool personal = false;
  // An enumeration's Chinese name of a value (major → 重大事故隐患): a record read by row_read then
  // carries "<name>_label" beside the code, for the people and departments that read it.
  std::function<std::string_view(std::string_view)> value_label = nullptr;
};

// A table whose row changes change the record: the outbox trigger names the record by
// `key_column` (the record's id, or the id of the record a child row belongs to).
struct SourceTable {
  std::string table, key_column;
};

struct SharedType {
  std::string type;   // "enterprise"
  std::string label;  // 企业基本信息
  Direction direction = Direction::up;
  Lane lane = Lane::bulk;
  // A condition on a row of tables[0] that sends its record in the priority lane instead (重大隐患
  // at once, the others with the bulk), in SQL with `{row}.` before each column: "{row}.grade = 'major'".
  std::string priority_when;
  std::vector<SourceTable> tables;
  // SQL over a row of tables[0], aliased `r`, giving a record's region ("region_code", or a
  // subquery to the enterprise's): the catalog lists a region's records by it (a department's
  // grant, open data). Empty: the type is not served by the catalog.
  std::string region_column;
  std::vector<SharedField> fields;
  // The current state of records by id, for sending; absent ids are deleted records. Runs in the
  // exchange's read; returns the region code and the shared fields.
  struct Read {
    std::string region_code;
    boost::json::object data;
  };
  std::function<Result<std::vector<std::pair<std::string, Read>>>(db::Connection&, const std::vector<std::string>& ids)> read;
  // Writes a received record (or its deletion) into the module's own tables, inside the
  // exchange's transaction, keeping what the module derives from them (counts, search text).
  // Returns the events to publish after the commit. Unset: the record is kept as a replica only
  // (the exchange's own table), for a view that reads replicas.
  std::function<Result<std::vector<Event>>(db::Connection&, const Change&)> apply;
  // The same for a batch's worth of records at once, in their order (no record twice), when the
  // module can write many faster than one by one. Set: used instead of apply.
  std::function<Result<std::vector<Event>>(db::Connection&, const std::vector<const Change*>&)> apply_many;
  // A correction requested above and accepted here, at the record's owner (一数一源): applied as
  // `who`'s own edit of record `id`, through the module's rules (validation, history, audit), so
  // that it travels up again like any other change; `decided` is written in the edit's transaction
  // (the request is accepted exactly when the record changed). Unset: the type takes no corrections.
  std::function<Status(const auth::Principal& who, const std::string& id, const boost::json::object& fields, std::string_view source,
                       const std::function<Status(db::Connection&)>& decided)>
      correct;
  // Fields a correction may not touch: the record's identity and what the owner's system stamps.
  std::vector<std::string> fixed_fields;
  // How long a node keeps replicas of this type after receiving them (0: as long as the owner
  // keeps the record). For records the owner drops by retention without a deletion (rollups).
  Millis keep_replicas_ms = 0;
};

// A record held here as a copy of another node's (一数一源): who owns it, and since when.
struct ReplicaInfo {
  std::string owner_node, owner_name;  // owner_name: the node's name when it is a peer, else its id
  std::string received_from;
  std::int64_t version = 0;
  Millis updated_at = 0;
};

// REQUIRES: every add() happens while modules open, before the exchange starts.
class ShareRegistry {
 public:
  using ReplicaLookup = std::function<Result<std::optional<ReplicaInfo>>(const std::string& type, const std::string& id)>;
  // The exchange answers; until it opens (or in a process without it) nothing is a replica.
  void set_replica_lookup(ReplicaLookup lookup) { lookup_ = std::move(lookup); }
  // Whether the record is a replica, and of whose. A module asks before letting a user edit it.
  Result<std::optional<ReplicaInfo>> replica_of(const std::string& type, const std::string& id) const {
    if (!lookup_) return std::optional<ReplicaInfo>();
    return lookup_(type, id);
  }

  // The names of enterprises by their codes, for the people reading replicas (上城某化工有限公司,
  // not 91330102…): the registry's module answers; unset, none are known.
  using NameLookup = std::function<Result<std::map<std::string, std::string>>(const std::vector<std::string>& usccs)>;
  void set_name_lookup(NameLookup lookup) { names_ = std::move(lookup); }
  Result<std::map<std::string, std::string>> enterprise_names(const std::vector<std::string>& usccs) const {
    if (!names_ || usccs.empty()) return std::map<std::string, std::string>();
    return names_(usccs);
  }

  void add(SharedType type) { types_.push_back(std::move(type)); }
  const SharedType* find(std::string_view type) const {
    for (const auto& t : types_)
      if (t.type == type) return &t;
    return nullptr;
  }
  const std::vector<SharedType>& all() const { return types_; }

 private:
  std::vector<SharedType> types_;
  ReplicaLookup lookup_;
  NameLookup names_;
};

std::string_view direction_name(Direction d);

// Whether records of `t` may travel in `lane`: its own, or the priority lane for the rows it names.
inline bool travels_in(const SharedType& t, Lane lane) { return t.lane == lane || (lane == Lane::priority && !t.priority_when.empty()); }

}  // namespace anjian::exchange
