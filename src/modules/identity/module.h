#pragma once
// Identity's wiring: orgs, users, sessions and API keys (auth::Identity, auth::ApiKeys), and the
// /auth, /orgs, /users and API-key routes.
#include "auth/identity.h"
#include "modules/module.h"

namespace anjian::identity {
class IdentityModule : public modules::Module {
 public:
  explicit IdentityModule(auth::SecurityOptions security) : security_(security) {}
  std::string_view name() const override { return "identity"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  auth::SecurityOptions security_;
};
}  // namespace anjian::identity
