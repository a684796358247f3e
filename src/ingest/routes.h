#pragma once
#include "auth/api_keys.h"
#include "http/router.h"
#include "ingest/coal_files.h"
#include "modules/monitoring/pipeline.h"

namespace anjian::ingest {

// POST /api/v1/monitoring/readings, POST /api/v1/monitoring/coal-files,
// GET|PUT /api/v1/enterprises/{uscc}/coal-mine
void register_routes(http::Router& router, monitoring::Pipeline& pipeline, CoalFiles& coal, auth::ApiKeys& keys);

}  // namespace anjian::ingest
