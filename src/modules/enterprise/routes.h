#pragma once
#include "http/router.h"
#include "modules/enterprise/service.h"

namespace anjian::enterprise {
// /api/v1/enterprises…
void register_routes(http::Router& router, Service& service);
}  // namespace anjian::enterprise
