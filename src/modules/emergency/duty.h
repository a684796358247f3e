#pragma once
// 应急值守 (issue 16 §2): each regulator's duty shifts — generated for a month from a rotation,
// edited by hand — with who is on duty now in one call; and the duty log (值班日志): reports
// received and sent (written by the accident chain's events), calls, 领导批示 and their
// transmission, handovers with what is still open.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/identity.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"

namespace anjian::emergency {

struct Shift {
  std::string id, org_id, region_code, day, name;
  Millis starts_at = 0, ends_at = 0;
  std::string officer_id, officer_name, leader_id, leader_name, phone;
  std::int64_t version = 1;
};

struct LogEntry {
  std::string id, org_id, region_code;
  Millis at = 0;
  std::string kind;  // report_in | report_out | call | instruction | handover | note
  std::string text, author, accident_id;
};

class DutyService {
 public:
  DutyService(db::Database& db, const codes::RegionTable& regions, auth::Identity& identity, AuditSink& audit)
      : db_(db), regions_(regions), identity_(identity), audit_(audit) {}

  // {month: "2026-12", shifts: [{name, start: "08:30", end: "17:30"}], officers: [user ids],
  // leaders: [user ids], phone, replace?}: the caller's org's month. Errors: forbidden, invalid_field
  // (a person not of the org), conflict (the month has shifts and replace is not set).
  Result<std::int64_t> generate(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  // The shifts of the caller's org (or of the regulator of `region_code` in scope) in a month.
  Result<std::vector<Shift>> month(const auth::Principal& who, const std::string& month, const std::optional<std::string>& region_code);
  // {officer_id?, leader_id?, phone?} at `version`. Errors: not_found, precondition_failed, invalid_field.
  Result<Shift> update(const auth::Principal& who, const std::string& id, std::int64_t version, const boost::json::object& fields,
                       std::string_view source);
  // Who is on duty now at the caller's org (or the regulator of `region_code`); none when no shift.
  Result<std::optional<Shift>> now(const auth::Principal& who, const std::optional<std::string>& region_code);
  // {kind: call | instruction | handover | note, text, accident_id?}. Errors: forbidden, invalid_field.
  Result<LogEntry> log(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  Result<std::vector<LogEntry>> entries(const auth::Principal& who, std::optional<Millis> from, std::optional<Millis> to, std::int64_t limit);
  // What the accident chain did at a level (received, forwarded), in that level's log.
  Status record_report(const std::string& region_code, std::string_view kind, const std::string& text, const std::string& accident_id);

 private:
  // The regulator org whose duty the caller reads: its own, or the one of `region_code` in scope.
  Result<auth::Org> org_for(const auth::Principal& who, const std::optional<std::string>& region_code);
  db::Database& db_;
  const codes::RegionTable& regions_;
  auth::Identity& identity_;
  AuditSink& audit_;
};

boost::json::object to_json(const Shift& s);
boost::json::object to_json(const LogEntry& e);

}  // namespace anjian::emergency
