#include "modules/monitoring/share.h"

#include <boost/json.hpp>

#include <charconv>
#include <map>

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

// A rollup as it travels: the point named as people know it, the minute's figures.
exchange::SharedType rollup_type(Millis keep_rollups_ms) {
  exchange::SharedType t;
  t.type = std::string(kRollupType);
  t.label = "重大危险源监测数据（1分钟统计）";
  t.fields = {{"point_code", "监测点位编码", "string", false},
              {"point_name", "监测点位名称", "string", false},
              {"enterprise_uscc", "企业统一社会信用代码", "string", false},
              {"hazard_source_id", "重大危险源编号", "string", false},
              {"indicator", "监测指标", "string", false},
              {"unit", "计量单位", "string", false},
              {"minute", "统计时间（分钟）", "date", false},
              {"count", "读数个数", "integer", false},
              {"min", "最小值", "number", false},
              {"max", "最大值", "number", false},
              {"avg", "平均值", "number", false},
              {"last", "末值", "number", false}};
  // No table trigger: compaction notes the minutes it writes (a rollup has no key of its own).
  t.keep_replicas_ms = keep_rollups_ms;
  t.read = [](db::Connection& c, const std::vector<std::string>& ids) -> Result<std::vector<std::pair<std::string, exchange::SharedType::Read>>> {
    std::map<std::string, std::vector<Millis>> minutes;  // point → minutes asked
    for (const auto& id : ids)
      if (auto p = parse_rollup_record_id(id)) minutes[p->first].push_back(p->second);
    std::vector<std::pair<std::string, exchange::SharedType::Read>> out;
    for (const auto& [point, asked] : minutes) {
      std::vector<db::Value> params{point};
      params.insert(params.end(), asked.begin(), asked.end());
      ANJIAN_ASSIGN(auto rows, c.query("SELECT r.minute, r.count, r.min, r.max, r.sum, r.last, p.code, p.name, p.enterprise_uscc, "
                                       "p.hazard_source_id, p.indicator, p.unit, e.region_code FROM reading_rollups r "
                                       "JOIN monitoring_points p ON p.id = r.point_id JOIN enterprises e ON e.uscc = p.enterprise_uscc "
                                       "WHERE r.point_id = ? AND r.minute IN (" + db::placeholders(asked.size()) + ")",
                                       params));
      for (const auto& r : rows) {
        exchange::SharedType::Read rd;
        rd.region_code = r.str(12);
        const auto n = r.i64(1);
        rd.data = {{"point_code", r.str(6)},     {"point_name", r.str(7)}, {"enterprise_uscc", r.str(8)},
                   {"hazard_source_id", r.str(9)}, {"indicator", r.str(10)}, {"unit", r.str(11)},
                   {"minute", format_iso(r.i64(0))}, {"count", n},           {"min", r.f64(2)},
                   {"max", r.f64(3)},             {"avg", n > 0 ? r.f64(4) / static_cast<double>(n) : 0.0},
                   {"last", r.f64(5)}};
        out.emplace_back(rollup_record_id(point, r.i64(0)), std::move(rd));
      }
    }
    return out;
  };
  return t;
}
}  // namespace

std::string rollup_record_id(const std::string& point_id, Millis minute) { return point_id + "@" + std::to_string(minute); }

std::optional<std::pair<std::string, Millis>> parse_rollup_record_id(std::string_view id) {
  const auto at = id.rfind('@');
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  Millis minute = 0;
  const auto* end = id.data() + id.size();
  auto [p, ec] = std::from_chars(id.data() + at + 1, end, minute);
  if (ec != std::errc() || p != end) return std::nullopt;
  return std::make_pair(std::string(id.substr(0, at)), minute);
}

// Alarms travel, readings do not: a province watches what went wrong and how it was handled; the
// readings stay at the node that receives them (the plan asks at most 1-minute rollups above,
// which go when [readings] share_rollups sends them: the type is declared either way, so that a
// parent keeps and shows what a child sends, whatever its own setting).
std::vector<exchange::SharedType> shared_types(Millis keep_rollups_ms) {
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
  std::vector<exchange::SharedType> out;
  out.push_back(std::move(t));
  out.push_back(rollup_type(keep_rollups_ms));
  return out;
}

}  // namespace anjian::monitoring
