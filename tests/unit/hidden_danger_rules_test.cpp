// The hidden-danger lifecycle, every role in every state (安监总局令第16号, DOMAIN.md §5).
#include <gtest/gtest.h>

#include <map>

#include "modules/hidden_danger/transition_rules.h"

using namespace anjian::hidden_danger;

namespace {
const Actor kEnterprise{"u-ent", "org-ent", true, true};
const Actor kOtherEnterpriseUser{"u-ent2", "org-ent", true, true};
const Actor kStaff{"u-staff", "org-ent", true, false};  // reads only
const Actor kCounty{"u-county", "org-county", false, true};
const Actor kCity{"u-city", "org-city", false, true};
const Actor kDuty{"u-duty", "org-county", false, false};

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}
Snapshot snap(std::string state, std::string grade, bool supervised = false) {
  return Snapshot{std::move(state), std::move(grade), supervised, supervised ? "org-city" : "", "u-ent"};
}
}  // namespace

TEST(HiddenDangerRules, EveryRoleInEveryState) {
  // state, grade, supervised → actor → the actions offered.
  struct Case { Snapshot s; const Actor* a; const char* expected; };
  const Case cases[] = {
      {snap("reported", "general"), &kEnterprise, "plan,withdraw"},
      {snap("reported", "general"), &kCounty, "withdraw,regrade"},
      {snap("reported", "major"), &kEnterprise, "plan"},  // a 重大 one is not the enterprise's to withdraw
      {snap("reported", "major"), &kCounty, "withdraw,supervise,regrade"},
      {snap("planned", "general"), &kEnterprise, "plan,start,withdraw"},
      {snap("planned", "major"), &kCity, "withdraw,supervise,regrade"},
      {snap("rectifying", "general"), &kEnterprise, "rectify,withdraw"},
      {snap("rectifying", "major"), &kEnterprise, "rectify"},
      // Verification: not by who rectified a 一般 one; a 重大 one by a regulator only.
      {snap("rectified", "general"), &kEnterprise, ""},
      {snap("rectified", "general"), &kOtherEnterpriseUser, "verify"},
      {snap("rectified", "general"), &kCounty, "verify,regrade"},
      {snap("rectified", "major"), &kOtherEnterpriseUser, ""},
      {snap("rectified", "major"), &kCounty, "verify,supervise,regrade"},
      // 挂牌督办 by the city: only the city writes it off (核销) or withdraws it; nobody regrades it.
      {snap("rectified", "major", true), &kCounty, ""},
      {snap("rectified", "major", true), &kCity, "verify"},
      {snap("rectifying", "major", true), &kCity, "withdraw"},
      {snap("rectifying", "major", true), &kEnterprise, "rectify"},
      // Ended: nothing more.
      {snap("closed", "major"), &kCounty, ""},
      {snap("closed", "general"), &kEnterprise, ""},
      {snap("withdrawn", "general"), &kCounty, ""},
      // Read-only users act on nothing.
      {snap("reported", "general"), &kStaff, ""},
      {snap("rectified", "major"), &kDuty, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.s.state + "/" + c.s.grade + (c.s.supervised ? "/督办" : "") + " as " + c.a->user_id);
    EXPECT_EQ(joined(allowed_actions(c.s, *c.a)), c.expected);
  }
}

TEST(HiddenDangerRules, NextStates) {
  const Snapshot s = snap("rectified", "general");
  EXPECT_EQ(next_state(s, "verify", true), "closed");
  EXPECT_EQ(next_state(s, "verify", false), "rectifying");
  EXPECT_EQ(next_state(snap("reported", "general"), "plan"), "planned");
  EXPECT_EQ(next_state(snap("planned", "general"), "start"), "rectifying");
  EXPECT_EQ(next_state(snap("rectifying", "general"), "rectify"), "rectified");
  EXPECT_EQ(next_state(snap("planned", "general"), "withdraw"), "withdrawn");
  EXPECT_EQ(next_state(snap("planned", "major"), "supervise"), "planned");
  EXPECT_FALSE(allowed(snap("reported", "general"), kEnterprise, "unknown"));
}
