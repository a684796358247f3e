#include "modules/enforcement/share.h"

#include "exchange/row_read.h"
#include "modules/enforcement/case_service.h"

namespace anjian::enforcement {

std::vector<exchange::SharedType> shared_types() {
  using exchange::RowShape;
  std::vector<exchange::SharedType> out;
  auto inspection = exchange::row_type("inspection", "监督检查记录",
                                       RowShape{"inspections", "id", "r.region_code",
                                                {{"id", "检查编号", "string", false},
                                                 {"task_id", "检查任务编号", "string", false},
                                                 {"enterprise_uscc", "被检查企业统一社会信用代码", "string", false},
                                                 {"region_code", "所在行政区划代码", "string", false},
                                                 {"owner_region", "实施检查的监管部门区划", "string", false},
                                                 {"started_at", "检查开始时间", "date", false},
                                                 {"ended_at", "检查结束时间", "date", false},
                                                 {"place", "检查地点", "string", false},
                                                 {"summary", "检查情况", "string", false},
                                                 {"findings", "发现的问题", "json", false},
                                                 {"passed", "符合项数", "integer", false},
                                                 {"failed", "不符合项数", "integer", false},
                                                 {"not_applicable", "不适用项数", "integer", false},
                                                 {"recheck", "复查情况", "string", false}}});
  out.push_back(std::move(inspection));
  auto cases = exchange::row_type("enforcement_case", "行政处罚案件",
                                  RowShape{"enforcement_cases", "id", "r.region_code",
                                           {{"id", "案件编号", "string", false},
                                            {"enterprise_uscc", "当事人统一社会信用代码", "string", false},
                                            {"region_code", "所在行政区划代码", "string", false},
                                            {"owner_region", "办案机关区划", "string", false},
                                            {"inspection_id", "来源检查编号", "string", false},
                                            {"party_kind", "当事人类型", "string", false},
                                            {"party_name", "当事人名称", "string", true},
                                            {"cause", "案由", "string", false},
                                            {"facts", "违法事实", "string", false},
                                            {"violated", "违反的规定", "string", false},
                                            {"legal_basis", "处罚依据", "string", false},
                                            {"penalty", "处罚内容", "string", false},
                                            {"fine_yuan", "罚款金额（元）", "integer", false},
                                            {"state", "办案环节", "string", false, case_state_label},
                                            {"state_at", "进入本环节时间", "date", false},
                                            {"created_at", "立案时间", "date", false},
                                            {"closed_at", "结案时间", "date", false}}});
  // The case's steps change it too (a step is a row of its own table).
  cases.tables.push_back({"enforcement_case_steps", "case_id"});
  out.push_back(std::move(cases));
  return out;
}

}  // namespace anjian::enforcement
