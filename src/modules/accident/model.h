#pragma once
// An accident report (事故快报) with its chain of hops up the levels and its timeline.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "modules/accident/grade_rules.h"
#include "modules/accident/report_rules.h"

namespace anjian::accident {

// One level of the chain: the regulator of `region_code` ('' = the national level) must have the
// report by `due_at`.
struct Hop {
  std::int64_t seq = 0;
  Level level = Level::county;
  std::string region_code;
  std::string org_id, org_name;  // the regulator there, when the platform has one (filled on reads)
  Millis due_at = 0;
  std::optional<Millis> received_at, acknowledged_at, forwarded_at;
  std::string via;              // report | forward | direct (较大+, to the province) | auto: how it arrived
  std::string acknowledged_by;  // who took it (display name)
  bool skipped = false;         // passed over by a forward to a level above
};

struct TimelineEntry {
  std::int64_t seq = 0;
  Millis at = 0;
  std::string action;  // reported | received | acknowledged | forwarded | follow_up | supplement | regraded | stable
  std::string actor, actor_name, org_region;
  boost::json::object detail;
};

struct Accident {
  std::string id, region_code, reported_by_region;
  std::string enterprise_uscc, party_name, party_uscc, party_address;
  std::optional<double> lon, lat;
  Millis occurred_at = 0;
  std::string industry, kind;  // kind: the GB 6441 code
  bool road_traffic = false;
  Casualties casualties;
  std::int64_t minor_injuries = 0;
  Grade grade = Grade::general;
  std::string criterion;
  bool provisional = false, larger_endangerment = false;
  bool late_report = false;  // 迟报: it reached the first regulator after the hour
  std::string description, measures, reporter_name, reporter_phone;
  std::optional<Millis> stable_at;
  std::string created_by;
  Millis created_at = 0, updated_at = 0;
  std::int64_t version = 1;
  std::vector<Hop> hops;
  std::vector<TimelineEntry> timeline;  // filled by get

  Grading grading() const { return {grade, criterion, provisional, larger_endangerment}; }
};

}  // namespace anjian::accident
