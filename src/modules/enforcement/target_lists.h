#pragma once
// 检查对象名录库: a regulator's named target lists, each defined by a filter over the registry
// (region subtree, industry, risk level, licence state, not inspected in N months) and frozen as a
// numbered snapshot when used — by a draw, or on request — with the SHA-256 of its sorted USCCs
// (one per line, "\n" between), so that what a draw drew from can be shown and checked later.
#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"

namespace anjian::enforcement {

class DrawService;

struct TargetSnapshot {
  std::string list_id;
  std::int64_t version = 0;
  std::vector<std::string> usccs;  // sorted
  std::string digest;              // SHA-256 hex of the USCCs joined by "\n"
  std::string frozen_by, reason;   // reason: draw | manual
  Millis frozen_at = 0;
};

struct TargetList {
  std::string id, region_code, name, created_by;
  boost::json::object filter;
  Millis created_at = 0;
  std::vector<TargetSnapshot> snapshots;  // newest first, without their USCCs
};

class TargetListService {
 public:
  TargetListService(db::Database& db, const codes::RegionTable& regions, DrawService& draws, AuditSink& audit)
      : db_(db), regions_(regions), draws_(draws), audit_(audit) {}

  // {name, filter}. Errors: forbidden (not a regulator), invalid_field (the filter as a draw's).
  Result<TargetList> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  Result<std::vector<TargetList>> list(const auth::Principal& who);
  // Errors: not_found (absent, or not of the caller's region or below).
  Result<TargetList> get(const auth::Principal& who, const std::string& id);
  // Freezes the list now (the filter evaluated in the caller's scope) as its next version.
  Result<TargetSnapshot> snapshot(const auth::Principal& who, const std::string& id, std::string_view reason);
  Result<TargetSnapshot> snapshot_at(const auth::Principal& who, const std::string& id, std::int64_t version);

 private:
  db::Database& db_;
  const codes::RegionTable& regions_;
  DrawService& draws_;
  AuditSink& audit_;
};

boost::json::object to_json(const TargetList& l);
boost::json::object to_json(const TargetSnapshot& s, bool with_usccs);
// The digest of a snapshot: SHA-256 (hex) of the sorted USCCs joined by "\n".
std::string target_digest(const std::vector<std::string>& sorted_usccs);

}  // namespace anjian::enforcement
