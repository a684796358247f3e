#include "modules/catalog/defaults.h"

namespace anjian::catalog {

EntryDefaults defaults_for(std::string_view record_type) {
  // Enterprises' registration facts are public (企业信息公示暂行条例); the people named in them are not.
  if (record_type == "enterprise")
    return {"基础信息资源/法人单位/安全生产监管企业",
            "本级监管的生产经营单位基本信息：名称、统一社会信用代码、地址与位置、行业、规模、许可证与标准化等级、经营状态。",
            "unconditional", "", "", "接口方式（API 密钥，按授权地区与信息项）", true,
            "不含法定代表人、安全管理人员等个人信息", "实时"};
  // Accident reports name the injured and the reporter and are under investigation: shared with
  // the departments of the 安委会 on approval (生产安全事故报告和调查处理条例 第十条、第十二条), and
  // published only through the investigation report.
  if (record_type == "accident")
    return {"主题信息资源/安全生产/生产安全事故",
            "生产安全事故快报、续报与逐级报送记录：发生时间、地点、类别、等级、伤亡与直接经济损失。",
            "conditional", "用于事故调查处理与应急联动，不得向社会公开或转提供", "", "接口方式（API 密钥，按授权地区与信息项）",
            false, "事故调查报告经批复后由人民政府依法公布", "实时"};
  return {"主题信息资源/安全生产", "", "conditional", "由提供方审核用途后共享", "", "接口方式（API 密钥，按授权地区与信息项）", false, "",
          "实时"};
}

}  // namespace anjian::catalog
