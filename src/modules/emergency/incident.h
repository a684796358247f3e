#pragma once
// Incidents and dispatch (应急指挥, issue 16 §4): a response opened from an accident report, from
// an alarm or by hand (a drill: 演练, marked everywhere and left out of statistics), at a place;
// its timeline (reports, 领导批示, dispatches and their progress); the teams dispatched to it,
// each through assigned → accepted → en_route → on_site → done with the times. A dispatched
// resource is 已出动 until its dispatch ends. Every change is audited and announced (the module
// puts it on the stream for everyone in scope of the place).
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/accident/service.h"
#include "modules/emergency/resources.h"
#include "modules/enterprise/service.h"
#include "modules/monitoring/alarm_service.h"

namespace anjian::emergency {

struct IncidentEvent {
  std::int64_t seq = 0;
  Millis at = 0;
  std::string kind;  // opened | instruction | report | note | dispatch | dispatch_status | closed
  std::string text, actor_name;
};

struct Dispatch {
  std::string id, incident_id, resource_id, resource_name, resource_kind, team_kind;
  std::string status = "assigned";
  Millis assigned_at = 0;
  std::optional<Millis> accepted_at, en_route_at, on_site_at, done_at, cancelled_at;
  double distance_m = 0, eta_min = 0;  // when assigned
  std::string assigned_by, note;
  std::int64_t version = 1;
};

struct Incident {
  std::string id, title, source, source_id;  // source: accident | alarm | manual
  std::string region_code, enterprise_uscc, enterprise_name, accident_kind;
  double lon = 0, lat = 0;
  bool drill = false;
  std::string status = "open";  // open | closed
  std::string opened_by, org_id;
  Millis opened_at = 0;
  std::optional<Millis> closed_at;
  std::string closing_note;
  std::int64_t version = 1;
  std::vector<IncidentEvent> events;   // filled by get
  std::vector<Dispatch> dispatches;    // filled by get
};

struct IncidentFilter {
  std::optional<std::string> status;
  std::optional<bool> drill;
  std::int64_t limit = 200;
};

class IncidentService {
 public:
  using Listener = std::function<void(const Incident&, std::string_view what)>;
  IncidentService(db::Database& db, const codes::RegionTable& regions, accident::AccidentService& accidents, monitoring::AlarmService& alarms,
                  enterprise::Service& enterprises, ResourceService& resources, AuditSink& audit)
      : db_(db), regions_(regions), accidents_(accidents), alarms_(alarms), enterprises_(enterprises), resources_(resources), audit_(audit) {}

  // {accident_id} | {alarm_id} | {title, region_code, lon, lat, enterprise_uscc?}, with drill? and
  // title? (then it names the response). An open response to the same accident or alarm is
  // returned as it is (`created` false): two duty officers pressing at once start one.
  // Errors: forbidden (not a regulator), invalid_field, unknown_field, not_found (the source or the
  // place outside the scope).
  struct Opened {
    Incident incident;
    bool created = false;
  };
  Result<Opened> open(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  Result<Incident> get(const auth::Principal& who, const std::string& id);
  Result<std::vector<Incident>> list(const auth::Principal& who, const IncidentFilter& f);
  // {kind: instruction | report | note, text}. Errors: not_found, invalid_field, conflict (closed).
  Result<Incident> note(const auth::Principal& who, const std::string& id, const boost::json::object& fields, std::string_view source);
  // {resource_id, note?}: the resource, in scope and not already on a dispatch of this incident.
  // Errors: not_found, invalid_field, conflict (closed; the resource already dispatched here).
  Result<Incident> dispatch(const auth::Principal& who, const std::string& id, const boost::json::object& fields, std::string_view source);
  // {status, note?}: the dispatch's next step. Errors: not_found, invalid_field,
  // invalid_transition (backwards, or after done/cancelled).
  Result<Incident> advance(const auth::Principal& who, const std::string& id, const std::string& dispatch_id, const boost::json::object& fields,
                           std::string_view source);
  // {note?}: ends the response; the dispatches still running are ended as done. Errors: not_found,
  // conflict (already closed).
  Result<Incident> close(const auth::Principal& who, const std::string& id, const boost::json::object& fields, std::string_view source);

  void on_change(Listener l) { listeners_.push_back(std::move(l)); }

 private:
  Result<Incident> load(db::Connection& c, const std::string& id, bool with_details);
  Result<Incident> load_visible(db::Connection& c, const auth::Principal& who, const std::string& id, bool with_details);
  Status add_event(db::Connection& c, Incident& i, const auth::Principal& who, std::string kind, std::string text);
  Status write_dispatch(db::Connection& c, const Dispatch& d, bool insert);
  void announce(const Incident& i, std::string_view what);

  db::Database& db_;
  const codes::RegionTable& regions_;
  accident::AccidentService& accidents_;
  monitoring::AlarmService& alarms_;
  enterprise::Service& enterprises_;
  ResourceService& resources_;
  AuditSink& audit_;
  std::vector<Listener> listeners_;
};

boost::json::object to_json(const Incident& i, bool with_details);
boost::json::object to_json(const Dispatch& d);

}  // namespace anjian::emergency
