#pragma once
// The notices the monitoring module sends (their texts live here, with the rule that raises them).
#include "modules/monitoring/alarm_service.h"
#include "modules/notification/service.h"

namespace anjian::monitoring {

// An alarm unacknowledged too long went up a level: to the regulator it went up to.
notification::Notification escalation_notice(const Alarm& a);

}  // namespace anjian::monitoring
