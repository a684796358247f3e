#include "modules/emergency/incident_rules.h"

#include <algorithm>
#include <map>

namespace anjian::emergency {

const std::vector<std::string_view>& dispatch_statuses() {
  static const std::vector<std::string_view> list = {"assigned", "accepted", "en_route", "on_site", "done", "cancelled"};
  return list;
}

std::string_view dispatch_status_label(std::string_view status) {
  static const std::map<std::string_view, std::string_view> labels = {{"assigned", "已指派"}, {"accepted", "已接受"}, {"en_route", "在途"},
                                                                      {"on_site", "已到场"},  {"done", "已完成"},     {"cancelled", "已撤回"}};
  auto it = labels.find(status);
  return it == labels.end() ? status : it->second;
}

bool dispatch_may_move(std::string_view from, std::string_view to) {
  const auto& s = dispatch_statuses();
  const auto f = std::find(s.begin(), s.end(), from), t = std::find(s.begin(), s.end(), to);
  if (f == s.end() || t == s.end()) return false;
  if (from == "done" || from == "cancelled") return false;
  if (to == "cancelled") return true;
  return t > f;
}

bool dispatch_active(std::string_view status) { return status != "done" && status != "cancelled"; }

std::string_view incident_source_label(std::string_view source) {
  if (source == "accident") return "事故";
  if (source == "alarm") return "报警";
  return "手动";
}

std::string_view incident_event_label(std::string_view kind) {
  static const std::map<std::string_view, std::string_view> labels = {
      {"opened", "启动响应"}, {"instruction", "领导批示"}, {"report", "现场报告"},   {"note", "记录"},
      {"dispatch", "调派"},   {"dispatch_status", "调派进展"}, {"closed", "响应结束"}};
  auto it = labels.find(kind);
  return it == labels.end() ? kind : it->second;
}

}  // namespace anjian::emergency
