#include "modules/audit/labels.h"

namespace anjian::audit {

const std::vector<std::pair<std::string_view, std::string_view>>& action_labels() {
  static const std::vector<std::pair<std::string_view, std::string_view>> labels = {
      {"login", "登录"},
      {"logout", "退出登录"},
      {"login.locked", "账号锁定中，登录被拒绝"},
      {"lockout", "登录失败次数过多，账号锁定"},
      {"password.change", "修改密码"},
      {"session.revoke", "注销会话"},
      {"user.bootstrap", "创建初始管理员"},
      {"user.create", "新建用户"},
      {"user.update", "修改用户"},
      {"user.reset_password", "重置密码"},
      {"user.unlock", "解锁账号"},
      {"org.create", "新建机构"},
      {"permission.denied", "越权操作被拒绝"},
      {"enterprise.create", "新建企业"},
      {"enterprise.update", "修改企业"},
      {"enterprise.import", "导入企业"},
      {"api_key.create", "创建接口密钥"},
      {"api_key.rotate", "更换接口密钥"},
      {"api_key.revoke", "吊销接口密钥"},
      {"coal_mine.link", "关联煤矿联网编码"},
      {"coal_file.upload", "上传煤矿联网文件"},
      {"file.upload", "上传证据文件"},
      {"hidden_danger.report", "登记隐患"},
      {"hidden_danger.plan", "制定隐患治理方案"},
      {"hidden_danger.start", "开始隐患整改"},
      {"hidden_danger.rectify", "报告隐患整改完成"},
      {"hidden_danger.verify", "验收隐患整改"},
      {"hidden_danger.withdraw", "撤销隐患"},
      {"hidden_danger.supervise", "隐患挂牌督办"},
      {"hidden_danger.regrade", "改判隐患等级"},
      {"hidden_danger.import", "导入隐患"},
      {"checklist.create", "制定排查表"},
      {"checklist.revise", "修订排查表"},
      {"self_inspection.run", "企业隐患自查"},
      {"draw.create", "双随机抽取"},
      {"inspector.register", "登记执法人员"},
      {"inspector.conflict", "执法人员申报回避"},
      {"draw.issue", "下达双随机检查任务"},
      {"inspection_task.create", "下达检查任务"},
      {"inspection_task.update", "修改检查任务"},
      {"inspection_task.cancel", "取消检查任务"},
      {"inspection.submit", "提交现场检查记录"},
      {"inspection.publish", "公开双随机抽查结果"},
      {"plan.create", "编制检查计划"},
      {"target_list.create", "建立检查对象名录"},
      {"inspection_item.create", "制定随机抽查事项"},
      {"target_list.snapshot", "固定检查对象名录版本"},
      {"measure.issue", "作出执法措施"},
      {"document.issue", "出具执法文书"},
      {"case.file", "立案"},
      {"case.investigate", "案件调查取证"},
      {"case.notify", "行政处罚告知"},
      {"case.request_hearing", "当事人申请听证"},
      {"case.decide", "作出行政处罚决定"},
      {"case.serve", "送达处罚决定书"},
      {"case.execute", "处罚执行完毕"},
      {"case.apply_review", "当事人申请行政复议"},
      {"case.sue", "当事人提起行政诉讼"},
      {"case.revoke", "处罚决定被撤销"},
      {"case.close", "结案"},
      {"case.drop", "不予处罚/撤销立案"},
      {"hazard_source.create", "新建重大危险源"},
      {"hazard_source.update", "修改重大危险源"},
      {"monitoring_point.create", "新建测点"},
      {"monitoring_point.update", "修改测点"},
      {"alarm.acknowledge", "确认报警"},
      {"alarm.close", "关闭报警（处置）"},
      {"alarm.escalate", "报警超时升级"},
      {"risk_point.create", "新建风险点"},
      {"risk_point.update", "修改风险点"},
      {"risk_point.import", "导入风险点"},
      {"risk_point.relevel", "风险点按新模型重新分级"},
      {"risk.recompute", "重算全部企业风险"},
      {"accident.report", "事故快报"},
      {"accident.acknowledge", "接收事故报告"},
      {"accident.forward", "上报事故报告"},
      {"accident.follow_up", "事故续报"},
      {"accident.supplement", "事故补报"},
      {"accident.investigation.start", "组织事故调查"},
      {"accident.investigation.extend", "延长事故调查期限"},
      {"accident.investigation.report", "提交事故调查报告"},
      {"accident.investigation.extend_reply", "延长事故调查报告批复期限"},
      {"accident.investigation.reply", "批复事故调查报告"},
      {"accident.investigation.close", "事故结案"},
      {"accident.investigation.attach", "附加事故调查文件"},
      {"emergency_resource.create", "登记应急资源"},
      {"duty.generate", "生成值班表"},
      {"duty.update", "调整值班班次"},
      {"duty.log", "记录值班日志"},
      {"emergency_resource.update", "修改应急资源"},
      {"emergency_resource.import", "导入应急资源"},
      {"emergency_plan.create", "登记应急预案"},
      {"emergency_plan.update", "修改应急预案"},
      {"emergency_plan.file", "应急预案备案"},
      {"incident.open", "启动应急响应"},
      {"incident.note", "记录应急响应"},
      {"incident.dispatch", "调派救援力量"},
      {"incident.dispatch_status", "更新调派进展"},
      {"incident.close", "结束应急响应"},
      {"exchange.node_init", "初始化交换节点"},
      {"exchange.key_rotate", "更换节点签名密钥"},
      {"exchange.peer_register", "登记上下级节点"},
      {"exchange.key_revoke", "吊销节点公钥"},
      {"exchange.batch_refused", "拒收交换批次"},
      {"exchange.audit_head_mismatch", "下级审计链头不符"},
      {"exchange.export", "导出交换批次"},
      {"exchange.import", "导入交换批次"},
  };
  return labels;
}

std::string_view action_label(std::string_view action) {
  for (const auto& [code, label] : action_labels())
    if (code == action) return label;
  return action;
}

std::vector<std::string> actions_matching(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& [code, label] : action_labels())
    if (code == text) return {std::string(code)};
  for (const auto& [code, label] : action_labels())
    if (label.find(text) != std::string_view::npos || code.find(text) != std::string_view::npos) out.emplace_back(code);
  return out;
}

}  // namespace anjian::audit
