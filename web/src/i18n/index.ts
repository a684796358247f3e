import { createI18n } from 'vue-i18n'

// Chinese first; English second. Page text is written in Chinese in the views; these messages are
// the shared chrome that an English-reading user may switch.
const messages = {
  'zh-CN': {
    app: { title: '安全生产监管信息平台', short: '安监' },
    menu: { home: '工作台', enterprises: '企业', map: '一张图', alarms: '报警', hiddenDangers: '隐患', tasks: '检查任务', plans: '检查计划', draws: '双随机', cases: '处罚案件', accidents: '事故信息', incidents: '应急指挥', duty: '应急值守', emergencyPlans: '应急预案', gb18218: '重大危险源辨识', regionRisk: '区域风险', orgs: '机构', users: '用户', audit: '审计日志', exchange: '数据交换', catalog: '资源目录', password: '修改密码', twoFactor: '两步验证', logout: '退出' },
    language: 'English',
  },
  en: {
    app: { title: 'Work Safety Supervision Platform', short: 'anjian' },
    menu: { home: 'Home', enterprises: 'Enterprises', map: 'Map', alarms: 'Alarms', hiddenDangers: 'Hidden dangers', tasks: 'Inspection tasks', plans: 'Plans', draws: 'Random inspections', cases: 'Penalty cases', accidents: 'Accidents', incidents: 'Command', duty: 'Duty room', emergencyPlans: 'Emergency plans', gb18218: 'GB 18218 grading', regionRisk: 'Regional risk', orgs: 'Organizations', users: 'Users', audit: 'Audit log', exchange: 'Data exchange', catalog: 'Resource catalog', password: 'Password', twoFactor: 'Two-step verification', logout: 'Log out' },
    language: '中文',
  },
}

export const i18n = createI18n({
  legacy: false,
  locale: localStorage.getItem('anjian.locale') === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages,
})

export function toggleLocale() {
  const next = i18n.global.locale.value === 'en' ? 'zh-CN' : 'en'
  i18n.global.locale.value = next
  localStorage.setItem('anjian.locale', next === 'en' ? 'en' : 'zh-CN')
}
