#pragma once
// The audit log's actions in the words of the people who read it (关闭报警, 修改企业), and back:
// a search for 报警 finds every alarm action.
#include <string>
#include <string_view>
#include <vector>

namespace anjian::audit {

// The Chinese name of an action; the action itself when it has none (a new one: a test keeps the
// table complete).
std::string_view action_label(std::string_view action);
// The actions whose code or Chinese name contains `text` (a code given whole is itself).
std::vector<std::string> actions_matching(std::string_view text);
// Every action the program records, with its name.
const std::vector<std::pair<std::string_view, std::string_view>>& action_labels();

}  // namespace anjian::audit
