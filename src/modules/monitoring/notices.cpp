#include "modules/monitoring/notices.h"

#include <fmt/format.h>

namespace anjian::monitoring {

notification::Notification escalation_notice(const Alarm& a) {
  notification::Notification n;
  n.region_code = a.escalated_to;  // the regulator above the enterprise's county
  n.kind = "alarm.escalated";
  n.enterprise_uscc = a.enterprise_uscc;
  n.title = "报警升级：" + a.enterprise_name + " 超时未确认";
  n.body = fmt::format("{}（{}）测点 {}（{}）的报警于 {} 发生，超时未确认，已报上一级监管部门。", a.enterprise_name, a.enterprise_uscc,
                       a.point_name.empty() ? a.point_code : a.point_name, a.point_code, format_iso(a.raised_at).substr(0, 19));
  n.link = "/alarms?enterprise_uscc=" + a.enterprise_uscc;
  return n;
}

}  // namespace anjian::monitoring
