#include "modules/monitoring/share.h"

#include "exchange/row_read.h"

namespace anjian::monitoring {

// Alarms travel, readings do not: a province watches what went wrong and how it was handled; the
// readings stay at the node that receives them (the plan asks at most 1-minute rollups above).
std::vector<exchange::SharedType> shared_types() {
  using exchange::RowShape;
  auto t = exchange::row_type("alarm", "监测预警报警记录",
                              RowShape{"alarms", "id", exchange::kEnterpriseRegionSql,
                                       {{"id", "报警编号", "string", false},
                                        {"enterprise_uscc", "企业统一社会信用代码", "string", false},
                                        {"point_code", "监测点位编码", "string", false},
                                        {"type", "报警类型", "string", false},
                                        {"level", "报警级别", "string", false},
                                        {"reason", "报警原因", "string", false},
                                        {"state", "处置状态", "string", false},
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
