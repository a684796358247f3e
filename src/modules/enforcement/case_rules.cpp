#include "modules/enforcement/case_rules.h"

#include <array>

namespace anjian::enforcement {
namespace {
struct Edge {
  std::string_view from, action, to;
};
constexpr std::array<Edge, 18> kEdges = {{
    {"filed", "investigate", "investigating"},
    {"investigating", "notify", "notified"},
    {"notified", "request_hearing", "hearing"},
    {"notified", "decide", "decided"},
    {"hearing", "decide", "decided"},
    {"decided", "serve", "served"},
    {"served", "execute", "executed"},
    {"served", "apply_review", "review"},
    {"served", "sue", "litigation"},
    {"review", "execute", "executed"},
    {"litigation", "execute", "executed"},
    {"review", "revoke", "closed"},
    {"litigation", "revoke", "closed"},
    {"executed", "close", "closed"},
    {"filed", "drop", "closed"},
    {"investigating", "drop", "closed"},
    {"notified", "drop", "closed"},
    {"hearing", "drop", "closed"},  // a hearing may also end without a penalty
}};
}  // namespace

std::vector<std::string> case_actions(std::string_view state) {
  std::vector<std::string> out;
  for (auto action : kCaseActions)
    if (!case_next_state(state, action).empty()) out.emplace_back(action);
  return out;
}

std::string case_next_state(std::string_view state, std::string_view action) {
  for (const auto& e : kEdges)
    if (e.from == state && e.action == action) return std::string(e.to);
  return "";
}

std::string_view case_action_document(std::string_view action, std::string_view party_kind) {
  if (action == "notify") return "penalty_notice";
  if (action == "decide") return party_kind == "person" ? "penalty_decision_person" : "penalty_decision_unit";
  if (action == "close") return "case_closing";
  return "";
}

}  // namespace anjian::enforcement
