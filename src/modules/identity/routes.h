#pragma once
#include "auth/api_keys.h"
#include "auth/identity.h"
#include "http/router.h"
#include "modules/enterprise/service.h"

namespace anjian::identity {
// /api/v1/auth/…, /api/v1/orgs…, /api/v1/users…, /api/v1/enterprises/{uscc}/api-keys…
void register_routes(http::Router& router, auth::Identity& identity, auth::ApiKeys& keys, enterprise::Service& enterprises);
}  // namespace anjian::identity
