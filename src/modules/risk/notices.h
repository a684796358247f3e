#pragma once
// The notices the risk module sends (their texts live here, with the rule that raises them).
#include "modules/notification/service.h"
#include "modules/risk/enterprise_risk.h"

namespace anjian::risk {

// An enterprise rose to 重大风险 (红): to its county's regulator, linking to the risk tab.
notification::Notification rose_to_red_notice(const LevelChange& ch);

}  // namespace anjian::risk
