#pragma once
// The investigation of an accident (事故调查, 493号令 第十九条 on): started by the level its grade
// names (or one above) with its team; the report due 60 days after the accident, once extendable
// by at most 60; the report's findings, causes, responsible parties and measures; the government's
// 批复 within 15 days (特别重大: 30, once extendable by 30); 结案. Deadlines past are flagged.
#include <boost/json/object.hpp>

#include <optional>
#include <string>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "db/database.h"
#include "files/service.h"
#include "modules/accident/service.h"

namespace anjian::accident {

struct Investigation {
  std::string accident_id;
  Level lead_level = Level::county;
  boost::json::array team;  // [{name, org, role}]
  std::string started_by;
  Millis started_at = 0;
  std::string report_due;  // YYYY-MM-DD
  std::int64_t extension_days = 0;
  std::string extension_reason;
  std::optional<Millis> report_at;
  std::string findings, causes, measures;
  boost::json::array responsible;  // [{name, role, handling}]
  std::string reply_due;           // set when the report is in
  std::int64_t reply_extension_days = 0;
  std::optional<Millis> replied_at;
  std::string reply_number;
  std::optional<Millis> closed_at;
  boost::json::array documents;  // [{file_id, name, kind, kind_label, attached_by, attached_at}]
  std::int64_t version = 1;
};

class InvestigationService {
 public:
  InvestigationService(db::Database& db, AccidentService& accidents, files::FileService& files, AuditSink& audit)
      : db_(db), accidents_(accidents), files_(files), audit_(audit) {}

  // The accident's investigation, if started. Errors: not_found (the accident outside the scope).
  Result<std::optional<Investigation>> get(const auth::Principal& who, const std::string& accident_id);
  // start {team: [{name, org, role}]} · extend {days, reason} · report {findings, causes,
  // responsible: [{name, role, handling}], measures} · extend_reply {days, reason} (特别重大) ·
  // reply {number, note?} · close {} · attach {file_id, kind: team | report | reply | evidence |
  // other} (a document from the file store, any time between start and 结案). Errors: not_found, forbidden (below the leading level),
  // invalid_transition (out of order, with what is allowed), conflict (extended already),
  // invalid_field, unknown_field.
  Result<Investigation> act(const auth::Principal& who, const std::string& accident_id, std::string_view action,
                            const boost::json::object& fields, std::string_view source);

 private:
  db::Database& db_;
  AccidentService& accidents_;
  files::FileService& files_;
  AuditSink& audit_;
};

boost::json::object to_json(const Investigation& i, const Accident& a, Millis now);

}  // namespace anjian::accident
