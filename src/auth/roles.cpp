#include "auth/roles.h"

#include <algorithm>
#include <utility>

namespace anjian::auth {
namespace {
using enum Action;
// The permission table: one row per role.
const std::vector<std::pair<std::string_view, std::vector<Action>>>& table() {
  static const std::vector<std::pair<std::string_view, std::vector<Action>>> t = {
      {"admin", {enterprise_read, enterprise_create, enterprise_write, enterprise_import, org_manage,
                 user_manage, audit_read}},
      {"leader", {enterprise_read, enterprise_create, enterprise_write, enterprise_import, audit_read}},
      {"inspector", {enterprise_read, enterprise_create, enterprise_write}},
      {"duty_officer", {enterprise_read}},
      {"enterprise_manager", {enterprise_read, enterprise_write}},
      {"enterprise_staff", {enterprise_read}},
  };
  return t;
}
}  // namespace

const std::vector<std::string_view>& role_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& [name, actions] : table()) v.push_back(name);
    return v;
  }();
  return names;
}

bool is_role(std::string_view name) {
  const auto& n = role_names();
  return std::find(n.begin(), n.end(), name) != n.end();
}

bool is_enterprise_role(std::string_view name) {
  return name == "enterprise_manager" || name == "enterprise_staff";
}

bool role_allows(std::string_view role, Action action) {
  for (const auto& [name, actions] : table())
    if (name == role) return std::find(actions.begin(), actions.end(), action) != actions.end();
  return false;
}

std::string_view action_name(Action action) {
  switch (action) {
    case enterprise_read: return "enterprise.read";
    case enterprise_create: return "enterprise.create";
    case enterprise_write: return "enterprise.write";
    case enterprise_import: return "enterprise.import";
    case org_manage: return "org.manage";
    case user_manage: return "user.manage";
    case audit_read: return "audit.read";
  }
  return "unknown";
}

}  // namespace anjian::auth
