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
  user_manage,
  audit_read,
};

// Known role names: admin | leader | inspector | duty_officer | enterprise_manager | enterprise_staff.
const std::vector<std::string_view>& role_names();
bool is_role(std::string_view name);
bool is_enterprise_role(std::string_view name);
bool role_allows(std::string_view role, Action action);
std::string_view action_name(Action action);

}  // namespace anjian::auth
