#pragma once
// Major hazard sources: CRUD scoped through their enterprise (visible where the enterprise is),
// every write audited in its transaction. After each commit: "hazard_source.changed" on the event
// bus ({id, enterprise_uscc, inventory_changed: substances, people exposed or kind changed}).
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "base/event_bus.h"
#include "db/database.h"
#include "modules/enterprise/service.h"
#include "modules/hazard/model.h"

namespace anjian::hazard {

struct Filter {
  std::optional<std::string> enterprise_uscc, kind, code;
  std::optional<int> grade;
  std::vector<std::string> enterprise_usccs;  // of these enterprises only (when not empty)
  std::int64_t page = 1, page_size = 50;
};

struct Page {
  std::vector<HazardSource> items;
  std::int64_t total = 0;
};

class Service {
 public:
  Service(db::Database& db, enterprise::Service& enterprises, AuditSink& audit, const EventBus* bus = nullptr)
      : db_(db), enterprises_(enterprises), audit_(audit), bus_(bus) {}

  // Errors: invalid_field…, not_found (enterprise outside the scope), conflict (code exists there).
  Result<HazardSource> create(const auth::Principal& who, const boost::json::object& fields, std::string_view source);
  Result<HazardSource> get(const auth::Scope& scope, const std::string& id);
  Result<Page> list(const auth::Scope& scope, const Filter& filter);
  // Errors: not_found, precondition_failed, conflict; forbidden (an enterprise's user setting the
  // grade: it is the GB 18218 assessment's or a regulator's to set).
  Result<HazardSource> update(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                              const boost::json::object& fields, std::string_view source);
  // The grade a GB 18218 assessment computed (whoever asked for the assessment).
  Result<HazardSource> set_assessed_grade(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                                          std::optional<int> grade, std::string_view source);

 private:
  Result<HazardSource> update_fields(const auth::Principal& who, const std::string& id, std::int64_t expected_version,
                                     const boost::json::object& fields, std::string_view source);
  void announce(const HazardSource& h, bool inventory_changed) const;
  db::Database& db_;
  enterprise::Service& enterprises_;
  AuditSink& audit_;
  const EventBus* bus_;
};

}  // namespace anjian::hazard
