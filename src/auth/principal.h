#pragma once
// Who is asking: the user of a session, with their organization and jurisdiction.
#include <string>
#include <vector>

#include "auth/roles.h"
#include "base/result.h"
#include "auth/scope.h"

namespace anjian::auth {

struct Principal {
  std::string user_id;
  std::string username;
  std::string display_name;
  std::string org_id;
  std::string org_name;
  std::string org_kind;     // regulator | enterprise
  std::string org_level;    // national | province | city | county (regulators)
  std::string regulator_kind;  // safety | coal_mine_inspection | emergency | member_department (regulators)
  std::string region_code;  // the org's region; an enterprise org: the enterprise's county
  std::string uscc;         // enterprise orgs
  std::vector<std::string> roles;
  Scope scope = Scope::none();
  std::string session_hash;  // the session this request came with
  bool must_change_password = false;
  bool must_enrol_second_factor = false;  // a platform administrator without TOTP in force

  bool can(Action action) const {
    for (const auto& r : roles)
      if (role_allows(r, action)) return true;
    return false;
  }
};

// The principal the program acts as on its own (a watched folder, a reaction to an event): an
// administrator of everything, named in the audit log by `name`.
// Whether a user may act at all: one who must change the password may only change it (and see who
// they are, and log out). Every path that accepts a session asks this — the HTTP pipeline for every
// route, public ones included, and the stream before it accepts a connection.
// A platform administrator must also enrol a second factor before anything else (and may then
// reach only what enrolment needs: `enrolling`).
inline Status may_act(const Principal& p, bool enrolling = false) {
  if (p.must_change_password) return Error{"password_change_required", "请先修改初始密码", ""};
  if (p.must_enrol_second_factor && !enrolling)
    return Error{"second_factor_required", "平台管理员须先绑定动态口令（两步验证）", ""};
  return {};
}

inline Principal system_principal(const std::string& name) {
  Principal p;
  p.user_id = name;
  p.username = name;
  p.display_name = "系统";
  p.org_kind = "regulator";
  p.org_level = "national";
  p.roles = {"admin"};
  p.scope = Scope::all();
  return p;
}

}  // namespace anjian::auth
