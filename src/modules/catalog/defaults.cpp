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
  // The supervision records of the other modules: shared with the 安委会's departments on approval
  // (安全生产法 第八十四条 on information shared between departments); what the law publishes
  // (双随机 results, penalty decisions) is published by the enforcement module's 执法公示.
  constexpr std::string_view kApi = "接口方式（API 密钥，按授权地区与信息项）";
  constexpr std::string_view kUse = "用于安全生产监管、应急联动与行业管理，不得向社会公开或转提供";
  if (record_type == "hazard_source")
    return {"主题信息资源/安全生产/重大危险源", "企业重大危险源：名称、类别、级别、位置、危险化学品及其最大存量。", "conditional", kUse,
            "危险化学品重大危险源监督管理暂行规定 第二十二条、第二十三条", kApi, false, "", "实时"};
  if (record_type == "hazard_assessment")
    return {"主题信息资源/安全生产/重大危险源", "重大危险源辨识与分级记录（GB 18218—2018）：依据、辨识输入、S 值与 R 值、级别及其变化。",
            "conditional", kUse, "危险化学品重大危险源监督管理暂行规定 第八条、第十一条", kApi, false, "", "实时"};
  if (record_type == "risk_point")
    return {"主题信息资源/安全生产/安全风险分级管控", "企业安全风险点：位置、危险有害因素、评价方法与风险值、风险等级、管控措施与层级。",
            "conditional", kUse, "安全生产法 第四十一条", kApi, false, "", "实时"};
  if (record_type == "enterprise_risk_level")
    return {"主题信息资源/安全生产/安全风险分级管控", "企业安全风险等级的每一次变化：分值、等级、原等级、模型版本与原因。", "conditional",
            kUse, "安全生产法 第四十一条", kApi, false, "", "实时"};
  if (record_type == "alarm")
    return {"主题信息资源/安全生产/监测预警", "重大危险源与煤矿监测点位的报警：类型、级别、报警值与时间、确认、恢复与处置。",
            "conditional", kUse, "危险化学品重大危险源监督管理暂行规定 第十三条", kApi, false, "", "实时"};
  if (record_type == "hidden_danger")
    return {"主题信息资源/安全生产/隐患排查治理", "生产安全事故隐患：描述、部位、等级、判定依据、治理状态与期限、督办与销号。",
            "conditional", kUse, "安全生产法 第四十一条；安全生产事故隐患排查治理暂行规定", kApi, false, "", "重大隐患实时，一般隐患每日"};
  if (record_type == "inspection")
    return {"主题信息资源/安全生产/监督检查", "监督检查记录：被检查企业、时间、地点、检查情况、发现的问题与符合项统计。", "conditional", kUse,
            "安全生产法 第六十五条；安全生产监管执法监督办法", kApi, false, "双随机抽查结果经执法公示向社会公开", "实时"};
  if (record_type == "enforcement_case")
    return {"主题信息资源/安全生产/行政执法", "行政处罚案件：当事人、案由、违法事实与依据、处罚内容与金额、办案环节。", "conditional", kUse,
            "安全生产违法行为行政处罚办法", kApi, false, "行政处罚决定经执法公示向社会公开", "实时"};
  return {"主题信息资源/安全生产", "", "conditional", "由提供方审核用途后共享", "", "接口方式（API 密钥，按授权地区与信息项）", false, "",
          "实时"};
}

}  // namespace anjian::catalog
