#pragma once
#include "codes/regions.h"
#include "http/router.h"

namespace anjian::region {
// /api/v1/regions…: the GB/T 2260 tree (public data, but only for signed-in users).
void register_routes(http::Router& router, const codes::RegionTable& regions);
// Loads the table from the database (the one source of regions, editions included).
Result<codes::RegionTable> load(db::Database& db);
}  // namespace anjian::region
