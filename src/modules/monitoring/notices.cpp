#include "modules/monitoring/notices.h"

#include <fmt/format.h>

namespace anjian::monitoring {

notification::Notification escalation_notice(const Alarm& a) {
  notification::Notification n;
  n.region_code = a.escalated_to;  // the regulator above the enterprise's county
  n.kind = "alarm.escalated";
  n.enterprise_uscc = a.enterprise_uscc;
  // Why it went up: a severe condition that lasts (acknowledged or not), or nobody acknowledged it.
  const bool lasting = a.type != "threshold" && !(a.type == "power_off" && a.state == "raised");
  const std::string why = a.type == "no_power_off" ? "超限未断电" : lasting ? "持续未恢复" : "超时未确认";
  const std::string where = a.type == "network_down" ? "联网中断（全部测点无数据）"
                            : "测点 " + (a.point_name.empty() ? a.point_code : a.point_name) + "（" + a.point_code + "）的报警";
  n.title = "报警升级：" + a.enterprise_name + " " + why;
  n.body = fmt::format("{}（{}）{}于 {} 发生，{}，已报上一级监管部门。", a.enterprise_name, a.enterprise_uscc, where,
                       format_iso(a.raised_at).substr(0, 19).replace(10, 1, " "), why);
  n.link = "/alarms?enterprise_uscc=" + a.enterprise_uscc;
  return n;
}

}  // namespace anjian::monitoring
