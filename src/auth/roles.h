#pragma once
// Roles and the actions each may take. Enforced on the server (router and services), whatever the
// console shows.
#include <string>
#include <string_view>
#include <vector>

namespace anjian::auth {

enum class Action {
  enterprise_read,
  enterprise_create,
  enterprise_write,  // edit a record in scope (an enterprise manager: its own)
  enterprise_import,
  org_manage,
  user_manage,      // accounts' existence: create, rename, disable
  audit_read,
  user_read,        // see the accounts (both administrators of accounts need to)
  security_manage,  // passwords reset, lockouts lifted, sessions ended, second factors reset, platform roles granted
  system_manage,    // the running system: metrics, settings
};

// Known role names: admin | leader | inspector | duty_officer | enterprise_manager | enterprise_staff
// and the platform's three administrators (三权分立, DOMAIN §10): sys_admin | sec_admin | audit_admin.
const std::vector<std::string_view>& role_names();
// One of the three platform administrators: held alone, by an account that holds no other role.
bool is_platform_role(std::string_view name);
bool is_role(std::string_view name);
bool is_enterprise_role(std::string_view name);
bool role_allows(std::string_view role, Action action);
std::string_view action_name(Action action);

}  // namespace anjian::auth
