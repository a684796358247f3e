// Display words for the API's enumerations (one place, used by every view).
export const industries: Record<string, string> = {
  coal_mine: '煤矿', metal_nonmetal_mine: '金属非金属矿山', oil_gas: '石油天然气', hazchem_production: '危险化学品生产',
  hazchem_operation: '危险化学品经营', hazchem_use: '危险化学品使用', fireworks: '烟花爆竹', metallurgy: '冶金',
  nonferrous: '有色', building_materials: '建材', machinery: '机械', light_industry: '轻工', textile: '纺织',
  tobacco: '烟草', commerce: '商贸', other: '其他',
}
export const statuses: Record<string, string> = { operating: '正常生产', suspended: '停产', closed: '关闭' }
export const scales: Record<string, string> = { large: '大型', medium: '中型', small: '小型', micro: '微型' }
export const licenceStates: Record<string, string> = { valid: '有效', expiring: '即将到期', expired: '已过期', none: '无' }
export const licenceTagType: Record<string, 'success' | 'warning' | 'danger' | 'info'> = {
  valid: 'success', expiring: 'warning', expired: 'danger', none: 'info',
}
export const grades: Record<string, string> = { '1': '一级', '2': '二级', '3': '三级' }
export const roles: Record<string, string> = {
  admin: '单位管理员', leader: '监管领导', inspector: '执法人员', duty_officer: '值班员',
  enterprise_manager: '企业安全管理员', enterprise_staff: '企业员工',
  sys_admin: '系统管理员', sec_admin: '安全管理员', audit_admin: '审计管理员',
}
/** The platform's three administrators (三权分立): each held alone, granted by the 安全管理员 only. */
export const platformRoles = ['sys_admin', 'sec_admin', 'audit_admin']
const levelNames: Record<string, string> = { national: '国家级', province: '省级', city: '市级', county: '县级' }
/** A role as its holder's organization makes it: a city's admin is 市级管理员, not 系统管理员. */
export function roleLabel(role: string, org?: { kind: string; level: string | null } | null): string {
  if (role === 'admin') return org?.kind === 'regulator' && org.level && levelNames[org.level] ? `${levelNames[org.level]}管理员` : roles.admin
  return roles[role] ?? role
}
export const fieldNames: Record<string, string> = {
  uscc: '统一社会信用代码', name: '企业名称', short_name: '简称', region_code: '行政区划', address: '地址', lon: '经度',
  lat: '纬度', industry: '监管行业', industry_code: '行业代码', scale: '规模', employees: '从业人员',
  legal_representative: '法定代表人', safety_manager: '安全负责人', licence: '安全生产许可证',
  standardization_grade: '标准化等级', status: '经营状态',
}
export const historyActions: Record<string, string> = { create: '新建', update: '修改', close: '注销', import: '导入' }

// Online monitoring.
export const alarmTypes: Record<string, string> = {
  threshold: '超限', rate: '变化率', offline: '通信中断', fault: '传感器故障', power_off: '断电',
  no_power_off: '超限未断电', reported_alarm: '监控系统报警', reported_power_off: '监控系统断电', feed_abnormal: '馈电异常',
  network_down: '联网中断',
}
export const alarmLevels: Record<string, string> = {
  high: '高报', high_high: '高高报', low: '低报', low_low: '低低报', offline: '通信中断', fault: '故障', power_off: '断电', rate: '变化率',
  no_power_off: '超限未断电', reported_alarm: '监控系统报警', reported_power_off: '监控系统断电', feed_abnormal: '馈电异常',
  network_down: '联网中断',
}
// Why a sensor is faulty (the fault alarm's reason).
export const faultReasons: Record<string, string> = {
  bad_quality: '数据异常', out_of_range: '超量程', stuck: '数值长时间不变', reported_fault: '故障', disconnected: '断线',
}
export const alarmStates: Record<string, string> = { raised: '未确认', acknowledged: '已确认', recovered: '已恢复', closed: '已处置' }
export const alarmStateTag: Record<string, 'danger' | 'warning' | 'success' | 'info'> = {
  raised: 'danger', acknowledged: 'warning', recovered: 'success', closed: 'info',
}
// The most urgent first: high-high, power-off, 超限未断电 and 联网中断 are red; high and low are orange.
export const alarmLevelTag = (level: string): 'danger' | 'warning' | 'info' =>
  ['high_high', 'low_low', 'power_off', 'no_power_off', 'reported_power_off', 'network_down'].includes(level)
    ? 'danger'
    : level === 'offline' || level === 'fault' ? 'info' : 'warning'
export const indicators: Record<string, string> = {
  tank_level: '储罐液位', temperature: '温度', pressure: '压力', flow: '流量', combustible_gas: '可燃气体', toxic_gas: '有毒气体',
  methane: '甲烷', carbon_monoxide: '一氧化碳', wind_speed: '风速', oxygen: '氧气', dust: '粉尘', switch: '开关量', feed: '馈电',
}
export const qualities: Record<string, string> = { good: '正常', uncertain: '可疑', bad: '异常', calibration: '标校' }
export const hazardKinds: Record<string, string> = { tank_farm: '储罐区', warehouse: '库区', production_unit: '生产装置', other: '其他' }
export const hazardGrades: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' }

// Hidden dangers (隐患排查治理).
export const hiddenDangerStates: Record<string, string> = {
  reported: '已登记', planned: '已制定方案', rectifying: '整改中', rectified: '待验收', closed: '已销号', withdrawn: '已撤销',
}
export const hiddenDangerStateTag: Record<string, 'danger' | 'warning' | 'success' | 'info' | 'primary'> = {
  reported: 'danger', planned: 'warning', rectifying: 'warning', rectified: 'primary', closed: 'success', withdrawn: 'info',
}
export const hiddenDangerGrades: Record<string, string> = { general: '一般事故隐患', major: '重大事故隐患' }
export const hiddenDangerSources: Record<string, string> = {
  self_inspection: '企业自查', inspection: '监管检查', public_report: '群众举报', monitoring: '监测报警', other: '其他',
}
export const hiddenDangerActions: Record<string, string> = {
  report: '登记', plan: '制定治理方案', start: '开始整改', rectify: '整改完成', verify: '验收', withdraw: '撤销', supervise: '挂牌督办',
  regrade: '改判等级', overdue: '逾期提醒',
}
