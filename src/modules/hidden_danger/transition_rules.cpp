#include "modules/hidden_danger/transition_rules.h"

#include <algorithm>

namespace anjian::hidden_danger {

namespace {
bool open(const Snapshot& s) { return s.state != "closed" && s.state != "withdrawn"; }
}  // namespace

bool allowed(const Snapshot& s, const Actor& a, std::string_view action) {
  if (!a.can_write) return false;
  const bool regulator = !a.enterprise;
  const bool major = s.grade == "major";
  if (action == "plan") return a.enterprise && (s.state == "reported" || s.state == "planned");
  if (action == "start") return a.enterprise && s.state == "planned";
  if (action == "rectify") return a.enterprise && s.state == "rectifying";
  if (action == "verify") {
    if (s.state != "rectified") return false;
    // A supervised one is written off (核销) by its supervising authority only; another 重大 by a
    // regulator; a 一般 one by the enterprise — someone other than who rectified it — or a regulator.
    if (s.supervised) return regulator && a.org_id == s.authority_org_id;
    if (major) return regulator;
    return regulator || a.user_id != s.rectified_by;
  }
  if (action == "withdraw") {
    if (!(s.state == "reported" || s.state == "planned" || s.state == "rectifying")) return false;
    if (s.supervised) return regulator && a.org_id == s.authority_org_id;
    return regulator || !major;  // the enterprise withdraws its own 一般 ones only
  }
  if (action == "supervise") return regulator && major && !s.supervised && open(s);
  if (action == "regrade") return regulator && open(s) && !s.supervised;
  return false;
}

std::vector<std::string> allowed_actions(const Snapshot& s, const Actor& a) {
  std::vector<std::string> out;
  for (auto action : kActions)
    if (allowed(s, a, action)) out.emplace_back(action);
  return out;
}

std::string next_state(const Snapshot& s, std::string_view action, bool accepted) {
  if (action == "plan") return "planned";
  if (action == "start") return "rectifying";
  if (action == "rectify") return "rectified";
  if (action == "verify") return accepted ? "closed" : "rectifying";
  if (action == "withdraw") return "withdrawn";
  return s.state;  // supervise, regrade: the state stays
}

}  // namespace anjian::hidden_danger
