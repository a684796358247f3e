#pragma once
// The HTTP routes of inspection tasks, inspections, measures, cases and documents (JSON; the PDF
// is the document layer's): HTTP to service calls and back, nothing else.
#include "http/router.h"
#include "modules/enforcement/case_service.h"
#include "modules/enforcement/inspection_service.h"
#include "modules/enforcement/inspection_items.h"
#include "modules/enforcement/plans.h"
#include "modules/enforcement/publication.h"
#include "modules/enforcement/target_lists.h"

namespace anjian::enforcement {
void add_inspection_routes(http::Router& router, TaskService& tasks, InspectionService& inspections, MeasureService& measures,
                           hidden_danger::ChecklistService& checklists, hidden_danger::Service& hidden_dangers,
                           enterprise::Service& enterprises);
void add_case_routes(http::Router& router, CaseService& cases, DocumentService& documents);
void add_publication_routes(http::Router& router, PublicationService& publication);
void add_plan_routes(http::Router& router, PlanService& plans);
void add_target_list_routes(http::Router& router, TargetListService& lists);
void add_inspection_item_routes(http::Router& router, InspectionItemService& items);
}  // namespace anjian::enforcement
