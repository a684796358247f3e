#pragma once
// Who may do what to a hidden danger, and when (安监总局令第16号; DOMAIN.md §5): the lifecycle
// reported → planned → rectifying → rectified → closed (or back to rectifying), withdrawn, and the
// regulator's 挂牌督办 and regrading — as a pure function of the record and the user, so that the
// server offers exactly the buttons it will accept, and every role × state is tested.
#include <string>
#include <string_view>
#include <vector>

namespace anjian::hidden_danger {

// The states and actions of the public contract.
inline constexpr std::string_view kStates[] = {"reported", "planned", "rectifying", "rectified", "closed", "withdrawn"};
inline constexpr std::string_view kActions[] = {"plan", "start", "rectify", "verify", "withdraw", "supervise", "regrade"};

// What the rules read of the record.
struct Snapshot {
  std::string state, grade;        // grade: general | major
  bool supervised = false;
  std::string authority_org_id;    // the supervising authority (挂牌督办)
  std::string rectified_by;        // who reported the rectification (user id)
};

// What the rules read of the user (already known to see the record: in scope).
struct Actor {
  std::string user_id, org_id;
  bool enterprise = false;  // a user of the enterprise itself (else a regulator in scope)
  bool can_write = false;   // enterprise.write
};

// The actions this user may take now, in kActions' order.
std::vector<std::string> allowed_actions(const Snapshot& s, const Actor& a);
bool allowed(const Snapshot& s, const Actor& a, std::string_view action);
// The state an action leads to (verify: `accepted` or not).
std::string next_state(const Snapshot& s, std::string_view action, bool accepted = true);

}  // namespace anjian::hidden_danger
