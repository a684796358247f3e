#include "modules/hidden_danger/share.h"

#include "exchange/row_read.h"
#include "modules/hidden_danger/labels.h"

namespace anjian::hidden_danger {

std::vector<exchange::SharedType> shared_types() {
  using exchange::RowShape;
  auto t = exchange::row_type("hidden_danger", "生产安全事故隐患排查治理记录",
                              RowShape{"hidden_dangers", "id", "r.region_code",
                                       {{"id", "隐患编号", "string", false},
                                        {"enterprise_uscc", "企业统一社会信用代码", "string", false},
                                        {"region_code", "所在行政区划代码", "string", false},
                                        {"description", "隐患描述", "string", false},
                                        {"place", "隐患部位", "string", false},
                                        {"category", "隐患类别", "string", false, category_label},
                                        {"grade", "隐患等级（一般、重大）", "string", false, grade_label},
                                        {"found_by", "发现途径", "string", false, found_by_label},
                                        {"found_at", "发现时间", "date", false},
                                        {"standard", "判定依据", "string", false},
                                        {"standard_item", "判定依据条款", "string", false},
                                        {"major_reason", "重大隐患判定理由", "string", false},
                                        {"risk_point_id", "所属风险点", "string", false},
                                        {"hazard_source_id", "所属重大危险源", "string", false},
                                        {"state", "治理状态", "string", false, state_label},
                                        {"plan", "治理方案", "string", false},
                                        {"deadline", "整改期限", "date", false},
                                        {"supervised", "是否挂牌督办", "boolean", false},
                                        {"supervision", "督办情况", "string", false},
                                        {"created_at", "登记时间", "date", false},
                                        {"updated_at", "更新时间", "date", false},
                                        {"closed_at", "销号时间", "date", false}}});
  // 重大事故隐患 at once (priority lane); the others with the bulk, well within the day.
  t.priority_when = "{row}.grade = 'major'";
  return {std::move(t)};
}

}  // namespace anjian::hidden_danger
