#pragma once
// Alarms as records: scoped like their enterprise; raised → acknowledged → recovered → closed
// with a disposal record (处置: cause, measures, person).
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"
#include "modules/monitoring/escalation.h"

namespace anjian::monitoring {

struct Alarm {
  std::string id, enterprise_uscc, point_id, point_code, type, level, reason, state;
  double value = 0;
  Millis raised_at = 0;
  std::optional<Millis> acknowledged_at, recovered_at, closed_at;
  std::string acknowledged_by, closed_by, disposal;  // disposal: JSON text
  std::string enterprise_name, region_code, point_name, unit;  // for people reading the list
  std::optional<Millis> escalated_at;
  std::string escalated_to;  // the region code of the regulator it went up to
  std::optional<double> peak_value;               // furthest past the limit (max; min for low alarms)
  std::optional<Millis> peak_at, power_off_at, power_restored_at;  // coal: when the system cut and restored power
  bool late = false;                              // found in back-filled (补传) readings
  std::optional<std::int64_t> silent_points;      // network_down: how many points went silent
  std::string indicator;                          // the point's
  std::int64_t version = 0;
};

struct AlarmFilter {
  // state: raised | acknowledged | recovered | closed | unhandled (raised, or recovered unacknowledged)
  std::optional<std::string> state, type, enterprise_uscc;
  std::optional<std::string> q;  // part of the enterprise's name
  std::optional<Millis> from, to;
  std::int64_t page = 1, page_size = 50;
};

class AlarmService {
 public:
  AlarmService(db::Database& db, AuditSink& audit) : db_(db), audit_(audit) {}
  Result<std::pair<std::vector<Alarm>, std::int64_t>> list(const auth::Scope& scope, const AlarmFilter& f);
  Result<Alarm> get(const auth::Scope& scope, const std::string& id);
  // Errors: not_found, invalid_state (already acknowledged or closed).
  Result<Alarm> acknowledge(const auth::Principal& who, const std::string& id, std::string_view source);
  // Closes with the disposal {cause, measures, person}. Errors: not_found, invalid_field, invalid_state.
  Result<Alarm> close(const auth::Principal& who, const std::string& id, const boost::json::object& disposal,
                      std::string_view source);
  // Escalation (DOMAIN.md §8), to the next regulator level (recorded, audited, pushed as
  // alarm.escalated, in the inbox of the regulator above): a severe condition that lasts
  // unrecovered — acknowledged or not — for its setting's time; and an alarm of its point's
  // highest level nobody acknowledged in `unacknowledged_ms` (the reminder that acknowledging stops).
  // Returns how many went up. Run periodically by the server.
  Result<size_t> escalate(Millis now, const EscalationSettings& settings);
  using Publish = std::function<void(const std::string& text, const std::string& region_code, const std::string& uscc)>;
  void on_escalate(Publish fn) { escalate_ = std::move(fn); }
  // Called inside the escalation's transaction for each alarm that goes up (a failure rolls it
  // back): what must be kept with it — the notification of the regulator above.
  void on_escalate_in(std::function<Status(db::Connection&, const Alarm&)> fn) { record_ = std::move(fn); }

 private:
  Result<Alarm> transition(const auth::Principal& who, const std::string& id, const char* action, std::string_view source,
                           const std::string& sql, std::vector<db::Value> params, boost::json::object detail = {});
  db::Database& db_;
  AuditSink& audit_;
  Publish escalate_;
  std::function<Status(db::Connection&, const Alarm&)> record_;
};

boost::json::object to_json(const Alarm& a);

}  // namespace anjian::monitoring
