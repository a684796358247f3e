#pragma once
#include "http/router.h"
#include "modules/audit/audit_log.h"

namespace anjian::audit {
// /api/v1/audit: the log for administrators, within their jurisdiction.
void register_routes(http::Router& router, AuditLog& log);
}  // namespace anjian::audit
