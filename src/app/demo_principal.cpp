#include "app/demo_principal.h"

namespace anjian::app {

auth::Principal principal_of(App& app, const auth::User& u, const std::map<std::string, auth::Org>& orgs) {
  const auth::Org& org = orgs.at(u.org_id);
  auth::Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.org_id = org.id;
  p.org_name = org.name;
  p.org_kind = org.kind;
  p.org_level = org.level;
  p.region_code = org.region_code;
  p.roles = u.roles;
  p.scope = org.region_code.empty() ? auth::Scope::all() : auth::Scope::region(app.regions(), org.region_code);
  return p;
}

Result<DemoDirectory> demo_directory(App& app) {
  const auto system = auth::system_principal("demo");
  auto orgs = app.identity().list_orgs(system.scope);
  if (!orgs.ok()) return orgs.take_error();
  auto users = app.identity().list_users(system.scope);
  if (!users.ok()) return users.take_error();
  DemoDirectory d;
  for (auto& o : *orgs) d.orgs.emplace(o.id, std::move(o));
  d.users = std::move(*users);
  return d;
}

}  // namespace anjian::app
