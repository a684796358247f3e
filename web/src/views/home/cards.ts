import type { Component } from 'vue'

// The registration point of the home page: modules add their cards here instead of editing the
// page (monitoring, risk, hidden dangers … come with later issues).
export interface HomeCard {
  key: string
  order: number
  permission?: string
  component: () => Promise<{ default: Component }>
}

const cards: HomeCard[] = []
export function registerHomeCard(card: HomeCard) {
  cards.push(card)
  cards.sort((a, b) => a.order - b.order)
}
export function homeCards(): readonly HomeCard[] {
  return cards
}

registerHomeCard({ key: 'enterprises', order: 10, permission: 'enterprise.read', component: () => import('./EnterpriseCard.vue') })
registerHomeCard({ key: 'alarms', order: 20, permission: 'enterprise.read', component: () => import('./AlarmCard.vue') })
registerHomeCard({ key: 'hidden-dangers', order: 30, permission: 'enterprise.read', component: () => import('../hidden_danger/HiddenDangerCard.vue') })
registerHomeCard({ key: 'accidents', order: 5, permission: 'enterprise.read', component: () => import('../accident/AccidentCard.vue') })
registerHomeCard({ key: 'enforcement', order: 35, permission: 'enterprise.read', component: () => import('../enforcement/EnforcementCard.vue') })
registerHomeCard({ key: 'administration', order: 0, component: () => import('../admin/AdminCard.vue') })
