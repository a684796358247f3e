#pragma once
// 公开 (DOMAIN.md §7): the results of 双随机 inspections, published by the regulator within 20
// working days of the conclusion (those near or past the deadline flagged), then read by anyone —
// the future public portal — as a JSON or CSV feed, each with its draw's record so that the draw
// can be checked too. Only what was published is public; nothing else is reachable without a
// session.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"

namespace anjian::enforcement {

struct Pending {
  std::string inspection_id, enterprise_uscc, enterprise_name, region_code, draw_id, draw_name;
  Millis concluded_at = 0;
  std::string deadline;  // YYYY-MM-DD
  int working_days_left = 0;
  std::string flag;  // ok | due_soon | overdue
};

struct PublishedResult {
  std::string inspection_id, enterprise_uscc, enterprise_name, region_code, item, result, draw_id;
  Millis inspected_at = 0, published_at = 0;
};

struct Feed {
  std::vector<PublishedResult> items;
  std::string next;  // '' at the end
};

class PublicationService {
 public:
  PublicationService(db::Database& db, AuditSink& audit) : db_(db), audit_(audit) {}
  // The jurisdiction's 双随机 results not yet published, the most urgent first.
  Result<std::vector<Pending>> pending(const auth::Principal& who);
  // Errors: forbidden (not a regulator), not_found, conflict (published already; not a 双随机 result).
  Status publish(const auth::Principal& who, const std::string& inspection_id, std::string_view source);
  // Anyone: the published results after `after` (a cursor from an earlier page), oldest first.
  // Errors: invalid_field (a cursor that is not one).
  Result<Feed> feed(const std::string& after, std::int64_t limit);
  // Anyone: a draw's record once one of its results is published. Errors: not_found.
  Result<boost::json::object> public_record(const std::string& draw_id);

 private:
  db::Database& db_;
  AuditSink& audit_;
};

boost::json::object to_json(const Pending& p);
boost::json::object to_json(const PublishedResult& r);

}  // namespace anjian::enforcement
