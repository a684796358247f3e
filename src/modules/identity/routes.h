#pragma once
#include "auth/identity.h"
#include "http/router.h"
#include "modules/enterprise/service.h"

namespace anjian::identity {
// /api/v1/auth/…, /api/v1/orgs…, /api/v1/users…
void register_routes(http::Router& router, auth::Identity& identity, enterprise::Service& enterprises);
}  // namespace anjian::identity
