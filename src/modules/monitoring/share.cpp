#include "modules/monitoring/share.h"

#include "exchange/row_read.h"

namespace anjian::monitoring {

namespace {
// The console's names (web/src/utils/labels.ts alarmTypes, alarmLevels, alarmStates).
std::string_view in(std::initializer_list<std::pair<std::string_view, std::string_view>> table, std::string_view key) {
  for (const auto& [k, v] : table)
    if (k == key) return v;
  return key;
}
std::string_view type_label(std::string_view t) {
  return in({{"threshold", "超限"}, {"rate", "变化率"}, {"offline", "通信中断"}, {"fault", "传感器故障"}, {"power_off", "断电"},
             {"no_power_off", "超限未断电"}, {"reported_alarm", "监控系统报警"}, {"reported_power_off", "监控系统断电"},
             {"feed_abnormal", "馈电异常"}, {"network_down", "联网中断"}},
            t);
}
std::string_view level_label(std::string_view l) {
  return in({{"high", "高报"}, {"high_high", "高高报"}, {"low", "低报"}, {"low_low", "低低报"}, {"offline", "通信中断"}, {"fault", "故障"},
             {"power_off", "断电"}, {"rate", "变化率"}, {"no_power_off", "超限未断电"}, {"reported_alarm", "监控系统报警"},
             {"reported_power_off", "监控系统断电"}, {"feed_abnormal", "馈电异常"}, {"network_down", "联网中断"}},
            l);
}
std::string_view state_label(std::string_view s) {
  return in({{"raised", "未确认"}, {"acknowledged", "已确认"}, {"recovered", "已恢复"}, {"closed", "已处置"}}, s);
}
}  // namespace

// Alarms travel, readings do not: a province watches what went wrong and how it was handled; the
// readings stay at the node that receives them (the plan asks at most 1-minute rollups above).
std::vector<exchange::SharedType> shared_types() {
  using exchange::RowShape;
  auto t = exchange::row_type("alarm", "监测预警报警记录",
                              RowShape{"alarms", "id", exchange::kEnterpriseRegionSql,
                                       {{"id", "报警编号", "string", false},
                                        {"enterprise_uscc", "企业统一社会信用代码", "string", false},
                                        {"point_code", "监测点位编码", "string", false},
                                        {"type", "报警类型", "string", false, type_label},
                                        {"level", "报警级别", "string", false, level_label},
                                        {"reason", "报警原因", "string", false},
                                        {"state", "处置状态", "string", false, state_label},
                                        {"value", "报警值", "number", false},
                                        {"raised_at", "报警时间", "date", false},
                                        {"acknowledged_at", "确认时间", "date", false},
                                        {"recovered_at", "恢复时间", "date", false},
                                        {"closed_at", "关闭时间", "date", false},
                                        {"disposal", "处置情况", "string", false}}});
  // Past the outer limits (高高、低低) an alarm reaches the province's duty room at once.
  t.priority_when = "{row}.level IN ('high_high', 'low_low')";
  return {std::move(t)};
}

}  // namespace anjian::monitoring
