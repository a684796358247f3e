import { api, request } from './client'
import type { Page } from './types'

export type HiddenDangerState = 'reported' | 'planned' | 'rectifying' | 'rectified' | 'closed' | 'withdrawn'
export type HiddenDangerAction = 'plan' | 'start' | 'rectify' | 'verify' | 'withdraw' | 'supervise' | 'regrade'

export interface TimelineEvent {
  action: string
  from: string
  to: string
  actor: string
  actor_name: string
  at: string
  note: string
  files: { id: string; name: string; content_type: string }[]
  detail: Record<string, unknown>
}

export interface HiddenDanger {
  id: string
  enterprise_uscc: string
  enterprise_name: string
  region_code: string
  description: string
  place: string
  category: string
  grade: 'general' | 'major'
  found_by: string
  finder: string
  found_at: string
  standard_item: { standard: string; item: string } | null
  major_reason: string
  state: HiddenDangerState
  plan: Record<string, unknown> | null
  supervised: boolean
  supervision: { authority_org_id: string; authority_name: string; number: string; deadline: string; requirements: string } | null
  deadline: string | null
  overdue: boolean
  closed_at: string | null
  version: number
  allowed: HiddenDangerAction[]
  timeline?: TimelineEvent[]
}

export interface HiddenDangerQuery {
  state?: HiddenDangerState
  grade?: 'general' | 'major'
  overdue?: 'true'
  supervised?: 'true'
  enterprise_uscc?: string
  region_code?: string
  found_by?: string
  industry?: string
  open?: 'true'
  sort?: 'found_at_desc' | 'found_at_asc' | 'deadline_asc' | 'updated_at_desc'
  page?: number
  page_size?: number
}

export const listHiddenDangers = (q: HiddenDangerQuery) => api.get<Page<HiddenDanger> & { total_capped?: boolean }>('/api/v1/hidden-dangers', { ...q })
export const getHiddenDanger = (id: string) => api.get<HiddenDanger>(`/api/v1/hidden-dangers/${encodeURIComponent(id)}`)
export const reportHiddenDanger = (body: Record<string, unknown>) =>
  request<HiddenDanger>('POST', '/api/v1/hidden-dangers', { body, quiet: true }).then((r) => r.data)
export const actOnHiddenDanger = (id: string, action: HiddenDangerAction, version: number, body: Record<string, unknown>) =>
  request<HiddenDanger>('POST', `/api/v1/hidden-dangers/${encodeURIComponent(id)}/actions/${action}`, {
    body,
    quiet: true,
    ifMatch: `"${version}"`,
  }).then((r) => r.data)

// ---- statistics (GET /hidden-dangers/stats) and the quarterly / yearly report ----
export interface GradeFigures {
  found: number
  rectified: number
  withdrawn: number
  open: number
  overdue: number
  supervised: number
  rectification_rate: number | null
}
export interface StatsRow {
  key: string
  name: string
  general: GradeFigures
  major: GradeFigures
  total: GradeFigures
}
export interface HiddenDangerStats {
  period: { label: string; from: number | null; to: number | null }
  region_code?: string
  region_name?: string
  enterprise_uscc?: string
  enterprise_name?: string
  total: StatsRow
  by_region: StatsRow[]
  by_industry: StatsRow[]
  by_month: StatsRow[]
}
export interface StatsQuery {
  region_code?: string
  enterprise_uscc?: string
  industry?: string
  period?: string
}
export const hiddenDangerStats = (q: StatsQuery) => api.get<HiddenDangerStats>('/api/v1/hidden-dangers/stats', { ...q })
export const hiddenDangerReportPath = '/api/v1/hidden-dangers/report.xlsx'

// ---- checklists (排查表) and self-inspections (排查记录) ----
export interface ChecklistItem {
  seq: number
  number: string
  text: string
  basis: string
  method: string
  major: boolean
  standard_item: { standard: string; item: string } | null
}
export interface ChecklistTemplate {
  id: string
  code: string
  version: number
  name: string
  industries: string[]
  source: string
  builtin: boolean
  latest: boolean
  used: number
  created_at: string
  items?: ChecklistItem[]
}
export interface SelfInspectionResult {
  seq: number
  number: string
  text: string
  major: boolean
  result: 'pass' | 'fail' | 'not_applicable'
  note: string
  files: { id: string; name: string }[]
  hidden_danger_id: string | null
}
export interface SelfInspection {
  id: string
  enterprise_uscc: string
  enterprise_name: string
  template_id: string
  template_name: string
  template_version: number
  inspected_at: string
  inspector: string
  note: string
  passed: number
  failed: number
  not_applicable: number
  results?: SelfInspectionResult[]
  hidden_danger_ids?: string[]
}
export const listChecklistTemplates = (industry?: string) =>
  api.get<{ items: ChecklistTemplate[] }>('/api/v1/checklist-templates', industry ? { industry } : {}).then((r) => r.items)
export const getChecklistTemplate = (id: string) => api.get<ChecklistTemplate>(`/api/v1/checklist-templates/${encodeURIComponent(id)}`)
export const listSelfInspections = (q: { enterprise_uscc?: string; page?: number; page_size?: number }) =>
  api.get<Page<SelfInspection>>('/api/v1/self-inspections', { ...q })
export const getSelfInspection = (id: string) => api.get<SelfInspection>(`/api/v1/self-inspections/${encodeURIComponent(id)}`)
export const runSelfInspection = (body: Record<string, unknown>) =>
  request<SelfInspection>('POST', '/api/v1/self-inspections', { body, quiet: true }).then((r) => r.data)
export const createChecklistTemplate = (body: Record<string, unknown>) =>
  request<ChecklistTemplate>('POST', '/api/v1/checklist-templates', { body, quiet: true }).then((r) => r.data)
/** A revision: the same template while unused (200), its next version once used (201). */
export const reviseChecklistTemplate = (id: string, body: Record<string, unknown>) =>
  request<ChecklistTemplate>('PUT', `/api/v1/checklist-templates/${encodeURIComponent(id)}`, { body, quiet: true })
export const listAllChecklistTemplates = () =>
  api.get<{ items: ChecklistTemplate[] }>('/api/v1/checklist-templates', { all_versions: 'true' }).then((r) => r.items)
