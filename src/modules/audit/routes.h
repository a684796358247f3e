#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/router.h"
#include "modules/audit/audit_log.h"

namespace anjian::audit {
// The names of enterprises by code, those of them the scope sees (the list shows names, not codes).
using EnterpriseNames = std::function<std::map<std::string, std::string>(const auth::Scope&, const std::vector<std::string>&)>;
// /api/v1/audit: the log for administrators, within their jurisdiction, with each action's Chinese
// name and the enterprise's name.
void register_routes(http::Router& router, AuditLog& log, EnterpriseNames names);
}  // namespace anjian::audit
