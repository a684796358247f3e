import { createI18n } from 'vue-i18n'

// Chinese first; English second. Page text is written in Chinese in the views; these messages are
// the shared chrome that an English-reading user may switch.
const messages = {
  'zh-CN': {
    app: { title: '安全生产监管信息平台', short: '安监' },
    menu: { home: '工作台', enterprises: '企业', password: '修改密码', logout: '退出登录' },
  },
  en: {
    app: { title: 'Work Safety Supervision Platform', short: 'anjian' },
    menu: { home: 'Home', enterprises: 'Enterprises', password: 'Change password', logout: 'Log out' },
  },
}

export const i18n = createI18n({ legacy: false, locale: 'zh-CN', fallbackLocale: 'zh-CN', messages })
