#include "modules/region/module.h"

#include "modules/region/routes.h"

namespace anjian::region {
void RegionModule::routes(http::Router& router, modules::Context& ctx) { register_routes(router, ctx.regions); }
}  // namespace anjian::region
