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

}  // namespace anjian::app
