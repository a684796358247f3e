#pragma once
// The demo acts through the same services a user does: a user as the server would see them after
// logging in.
#include <map>
#include <string>
#include <vector>

#include "app/app.h"

namespace anjian::app {
auth::Principal principal_of(App& app, const auth::User& u, const std::map<std::string, auth::Org>& orgs);

// Every org (by id) and every user, as the system sees them.
struct DemoDirectory {
  std::map<std::string, auth::Org> orgs;
  std::vector<auth::User> users;
};
Result<DemoDirectory> demo_directory(App& app);
}  // namespace anjian::app
