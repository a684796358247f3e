#pragma once
// The HTTP routes of hidden dangers (the public contract and the statistics) and of checklists
// and self-inspections: HTTP to service calls and back, nothing else.
#include "http/router.h"
#include "modules/hidden_danger/self_inspection.h"
#include "modules/hidden_danger/service.h"
#include "modules/hidden_danger/stats.h"

namespace anjian::hidden_danger {
void add_hidden_danger_routes(http::Router& router, Service& service, StatsService& stats, db::Database& db, AuditSink& audit);
void add_checklist_routes(http::Router& router, ChecklistService& checklists, SelfInspectionService& inspections);
// The statistics query of GET /hidden-dangers/stats (also the report's). Errors: invalid_field.
Result<StatsQuery> stats_query(const http::Request& req);
// The optional ?region_code= of a list (six digits; whether it exists is the service's to say).
Result<std::optional<std::string>> region_param(const http::Request& req);
}  // namespace anjian::hidden_danger
