#include "modules/risk/share.h"

#include "exchange/row_read.h"
#include "modules/risk/assessment_rules.h"

namespace anjian::risk {

namespace {
std::string_view level_label(std::string_view code) {
  const auto l = level_from(code);
  return l ? chinese(*l) : code;
}
}  // namespace

std::vector<exchange::SharedType> shared_types(const exchange::ShareRegistry& registry) {
  using exchange::RowShape;
  std::vector<exchange::SharedType> out;
  out.push_back(exchange::row_type("risk_point", "安全风险点（风险分级管控）",
                                   RowShape{"risk_points", "id", exchange::kEnterpriseRegionSql,
                                            {{"id", "风险点编号", "string", false},
                                             {"enterprise_uscc", "企业统一社会信用代码", "string", false},
                                             {"code", "风险点编码", "string", false},
                                             {"name", "风险点名称", "string", false},
                                             {"kind", "类型", "string", false},
                                             {"location", "位置", "string", false},
                                             {"hazard_source_id", "所属重大危险源", "string", false},
                                             {"hazards", "危险有害因素", "json", false},
                                             {"method", "评价方法", "string", false},
                                             {"assessment", "评价过程", "json", false},
                                             {"score", "风险值", "number", false},
                                             {"level", "风险等级", "string", false, level_label},
                                             {"measures", "管控措施", "json", false},
                                             {"responsible_level", "管控层级", "string", false},
                                             {"responsible_person", "责任人", "string", true},
                                             {"active", "是否在用", "boolean", false},
                                             {"updated_at", "更新时间", "date", false}}}));
  // A level as it changes, not the hourly recomputation of every score: the record is one change
  // (the province charts them), made only when an enterprise's level moves. Every level computes
  // the risk of the enterprises it holds; only the owner's computation travels (一数一源): a city
  // does not send up what it computed of its counties' enterprises, the counties do.
  auto level = exchange::row_type("enterprise_risk_level", "企业安全风险等级变化",
                                   RowShape{"enterprise_risk_history", "id", "(SELECT e.region_code FROM enterprises e WHERE e.uscc = r.uscc)",
                                            {{"id", "记录编号", "string", false},
                                             {"uscc", "企业统一社会信用代码", "string", false},
                                             {"at", "变化时间", "date", false},
                                             {"score", "风险分值", "number", false},
                                             {"level", "风险等级", "string", false, level_label},
                                             {"previous_level", "原风险等级", "string", false, level_label},
                                             {"model_version", "模型版本", "string", false},
                                             {"reason", "计算原因", "string", false}}});
  level.read = [read = std::move(level.read), &registry](db::Connection& c, const std::vector<std::string>& ids)
      -> Result<std::vector<std::pair<std::string, exchange::SharedType::Read>>> {
    ANJIAN_ASSIGN(auto rows, read(c, ids));
    std::vector<std::pair<std::string, exchange::SharedType::Read>> own;
    for (auto& row : rows) {
      const auto* uscc = row.second.data.if_contains("uscc");
      if (!uscc || !uscc->is_string()) continue;
      ANJIAN_ASSIGN(auto replica, registry.replica_of("enterprise", std::string(uscc->get_string())));
      if (!replica) own.push_back(std::move(row));
    }
    return own;
  };
  out.push_back(std::move(level));
  return out;
}

}  // namespace anjian::risk
