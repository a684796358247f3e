#include "modules/hazard/share.h"

#include "exchange/row_read.h"

namespace anjian::hazard {

namespace {
// The console's names of the kinds (web/src/utils/labels.ts hazardKinds).
std::string_view kind_label(std::string_view kind) {
  if (kind == "tank_farm") return "储罐区";
  if (kind == "warehouse") return "库区";
  if (kind == "production_unit") return "生产装置";
  return "其他";
}
// Why a source was graded: asked for, or its inventory changed (risk/hazard_assessment).
std::string_view reason_label(std::string_view reason) {
  if (reason == "assessed") return "申请辨识";
  if (reason == "inventory_changed") return "存量变化后重新辨识";
  return reason;
}
}  // namespace

std::vector<exchange::SharedType> shared_types() {
  using exchange::RowShape;
  std::vector<exchange::SharedType> out;
  out.push_back(exchange::row_type("hazard_source", "重大危险源",
                                   RowShape{"hazard_sources", "id", exchange::kEnterpriseRegionSql,
                                            {{"id", "危险源编号", "string", false},
                                             {"enterprise_uscc", "企业统一社会信用代码", "string", false},
                                             {"code", "危险源编码", "string", false},
                                             {"name", "危险源名称", "string", false},
                                             {"kind", "类别", "string", false, kind_label},
                                             {"grade", "重大危险源级别（1—4 级）", "integer", false},
                                             {"lon", "经度", "number", false},
                                             {"lat", "纬度", "number", false},
                                             {"substances", "危险化学品及其最大存量", "json", false},
                                             {"active", "是否在用", "boolean", false},
                                             {"created_at", "登记时间", "date", false},
                                             {"updated_at", "更新时间", "date", false}}}));
  out.push_back(exchange::row_type(
      "hazard_assessment", "重大危险源辨识与分级记录（GB 18218）",
      RowShape{"hazard_assessments", "id",
               "(SELECT e.region_code FROM hazard_sources h JOIN enterprises e ON e.uscc = h.enterprise_uscc WHERE h.id = r.hazard_source_id)",
               {{"id", "记录编号", "string", false},
                {"hazard_source_id", "危险源编号", "string", false},
                {"assessed_at", "辨识时间", "date", false},
                {"assessed_by", "辨识人", "string", true},
                {"reason", "辨识原因", "string", false, reason_label},
                {"table_name", "依据的临界量表", "string", false},
                {"input", "辨识输入（物质与数量）", "json", false},
                {"result", "辨识结果（S 值、R 值）", "json", false},
                {"is_major", "是否构成重大危险源", "boolean", false},
                {"grade", "级别", "integer", false},
                {"previous_grade", "原级别", "integer", false}}}));
  return out;
}

}  // namespace anjian::hazard
