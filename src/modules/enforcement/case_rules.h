#pragma once
// The procedure of an administrative penalty case (安全生产执法程序规定; 行政处罚法 2021): 立案 →
// 调查取证 → 告知 (陈述、申辩 within 3 days) → (听证) → 决定 → 送达 → 执行, or 复议 / 诉讼 after
// 送达 → 结案; a case may end without a penalty (不予处罚 / 撤销立案) before the decision. Pure, so
// that the console offers exactly the actions the server accepts and every pair is tested.
#include <string>
#include <string_view>
#include <vector>

namespace anjian::enforcement {

inline constexpr std::string_view kCaseStates[] = {"filed",  "investigating", "notified", "hearing",    "decided",
                                                   "served", "executed",      "review",   "litigation", "closed"};
inline constexpr std::string_view kCaseActions[] = {"investigate", "notify", "request_hearing", "decide", "serve", "execute",
                                                    "apply_review", "sue", "revoke", "close", "drop"};

// The actions possible from a state, in kCaseActions' order.
std::vector<std::string> case_actions(std::string_view state);
// The state an action leads to; "" when the action is not possible from `state`.
std::string case_next_state(std::string_view state, std::string_view action);
// The document an action issues ("" for none): notify → penalty_notice, decide → the decision of
// the party's kind (unit | person), close → case_closing.
std::string_view case_action_document(std::string_view action, std::string_view party_kind);

// 陈述、申辩 (行政处罚法第四十四、四十五条): a decision comes no earlier than 3 days after the
// notice unless the party waived the right.
inline constexpr int kStatementDays = 3;

}  // namespace anjian::enforcement
