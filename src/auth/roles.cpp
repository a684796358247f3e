#include "auth/roles.h"

#include <algorithm>
#include <utility>

namespace anjian::auth {
namespace {
using enum Action;
// The permission table: one row per role.
const std::vector<std::pair<std::string_view, std::vector<Action>>>& table() {
  static const std::vector<std::pair<std::string_view, std::vector<Action>>> t = {
      // 单位管理员: a regulator's own administrator — its business, its units and its staff's accounts
      // within its jurisdiction; not the audit log, not passwords, lockouts or sessions (三权分立).
      {"admin", {enterprise_read, enterprise_create, enterprise_write, enterprise_import, org_manage,
                 user_manage, user_read}},
      {"leader", {enterprise_read, enterprise_create, enterprise_write, enterprise_import}},
      {"inspector", {enterprise_read, enterprise_create, enterprise_write}},
      {"duty_officer", {enterprise_read}},
      {"enterprise_manager", {enterprise_read, enterprise_write}},
      {"enterprise_staff", {enterprise_read}},
      // The platform's three administrators: none reads business data; none does another's part.
      {"sys_admin", {org_manage, user_manage, user_read, system_manage}},
      {"sec_admin", {user_read, security_manage}},
      {"audit_admin", {audit_read}},
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

bool is_platform_role(std::string_view name) {
  return name == "sys_admin" || name == "sec_admin" || name == "audit_admin";
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
    case user_read: return "user.read";
    case security_manage: return "security.manage";
    case system_manage: return "system.manage";
  }
  return "unknown";
}

}  // namespace anjian::auth
