import type { Component } from 'vue'

// The registration point of the unified view (企业一张表): modules add their tabs here.
export interface EnterpriseTab {
  key: string
  label: string
  order: number
  component: () => Promise<{ default: Component }>
}
const tabs: EnterpriseTab[] = []
export function registerEnterpriseTab(tab: EnterpriseTab) {
  tabs.push(tab)
  tabs.sort((a, b) => a.order - b.order)
}
export const enterpriseTabs = (): readonly EnterpriseTab[] => tabs

registerEnterpriseTab({ key: 'basic', label: '基本信息', order: 10, component: () => import('./tabs/BasicTab.vue') })
registerEnterpriseTab({ key: 'licence', label: '许可证', order: 20, component: () => import('./tabs/LicenceTab.vue') })
registerEnterpriseTab({ key: 'monitoring', label: '实时监测', order: 30, component: () => import('./tabs/MonitoringTab.vue') })
registerEnterpriseTab({ key: 'risk', label: '风险', order: 25, component: () => import('./tabs/RiskTab.vue') })
registerEnterpriseTab({ key: 'risk-points', label: '风险清单', order: 26, component: () => import('./tabs/RiskPointsTab.vue') })
registerEnterpriseTab({ key: 'hidden-dangers', label: '隐患', order: 40, component: () => import('../hidden_danger/EnterpriseHiddenDangersTab.vue') })
registerEnterpriseTab({ key: 'enforcement', label: '执法', order: 45, component: () => import('../enforcement/EnterpriseEnforcementTab.vue') })
registerEnterpriseTab({ key: 'history', label: '变更记录', order: 90, component: () => import('./tabs/HistoryTab.vue') })
