#include "modules/enterprise/module.h"

#include <spdlog/spdlog.h>

#include "auth/identity.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/replica_repo.h"
#include "modules/enterprise/routes.h"
#include "modules/enterprise/service.h"
#include "modules/enterprise/share.h"
#include "auth/personal_data.h"

namespace anjian::enterprise {

Status EnterpriseModule::open(modules::Context& ctx) {
  auto& s = ctx.provide(std::make_unique<Service>(ctx.db, ctx.regions, ctx.need<audit::AuditLog>(), options_));
  s.set_bus(&ctx.bus);
  // Personal data sealed at rest: the safety manager's phone, and the history that records its changes.
  auth::PersonalData::instance().add_column({"enterprises", "id", "safety_manager_phone", true});
  auth::PersonalData::instance().add_column({"enterprise_history", "id", "changes", true});
  // Shared with the nodes above; a replica held here is shown as such and not edited here (一数一源).
  auto& shares = ctx.need<exchange::ShareRegistry>();
  shares.add(shared_type(s));
  shares.set_name_lookup([&db = ctx.db](const std::vector<std::string>& usccs) -> Result<std::map<std::string, std::string>> {
    ANJIAN_ASSIGN(auto lease, db.read());
    ANJIAN_ASSIGN(auto found, repo::by_usccs(*lease, usccs));
    std::map<std::string, std::string> out;
    for (const auto& e : found) out.emplace(e.uscc, e.name);
    return out;
  });
  s.set_replica_guard([&shares](const std::string& uscc) -> Status {
    ANJIAN_ASSIGN(auto replica, shares.replica_of("enterprise", uscc));
    if (!replica) return {};
    return Error{"replica_read_only", "该企业由" + replica->owner_name + "录入和维护（一数一源），本级保存的是副本，不能在此修改；请向其提出更正", ""};
  });
  s.register_section({"replica", [&shares](const auth::Principal&, const Enterprise& e) -> Result<boost::json::value> {
    ANJIAN_ASSIGN(auto replica, shares.replica_of("enterprise", e.uscc));
    if (!replica) return boost::json::value(nullptr);
    return boost::json::value(boost::json::object{{"owner_node", replica->owner_node}, {"owner_name", replica->owner_name},
                                                  {"received_from", replica->received_from}, {"version", replica->version},
                                                  {"updated_at", format_iso(replica->updated_at)}});
  }});
  // Its organization moves with an enterprise (identity scopes the users by it).
  s.on_moved_in([&identity = ctx.need<auth::Identity>()](db::Connection& tx, const std::string& uscc, const std::string& region) {
    return identity.move_enterprise_org_in(tx, uscc, region);
  });
  // The home page's counts are taken once when the server starts, not by its first visitor.
  ctx.jobs.at_start([&s](Millis) {
    const Millis start = now_ms();
    if (auto c = s.summary(auth::Scope::all()); !c.ok()) spdlog::error("enterprise counts not taken: {}", c.error().message);
    else spdlog::info("enterprise counts taken in {} ms", now_ms() - start);
  });
  return {};
}

void EnterpriseModule::routes(http::Router& router, modules::Context& ctx) { register_routes(router, ctx.need<Service>()); }

}  // namespace anjian::enterprise
