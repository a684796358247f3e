#pragma once
#include "http/router.h"
#include "modules/hazard/service.h"

namespace anjian::hazard {
// /api/v1/hazard-sources…
void register_routes(http::Router& router, Service& service);
}  // namespace anjian::hazard
