import { api, request } from './client'

// Accident reports (事故信息报送, issue 16 §1).
export type AccidentGrade = 'general' | 'larger' | 'major' | 'extraordinary'
export interface AccidentHop {
  seq: number
  level: 'county' | 'city' | 'province' | 'nation'
  level_label: string
  region_code: string
  org_id: string | null
  org_name: string
  due_at: string
  received_at: string | null
  acknowledged_at: string | null
  acknowledged_by: string
  forwarded_at: string | null
  via: string
  skipped: boolean
  late: boolean
}
export interface AccidentEvent {
  at: string
  action: string
  actor: string
  actor_name: string
  org_region: string
  detail: Record<string, unknown>
}
export interface Accident {
  id: string
  region_code: string
  enterprise_uscc: string | null
  party: { name: string; uscc: string; address: string }
  lon: number | null
  lat: number | null
  occurred_at: string
  industry: string
  industry_label: string
  kind: string
  deaths: number
  missing: number
  serious_injuries: number
  minor_injuries: number
  direct_loss_yuan: number
  grade: AccidentGrade
  grade_label: string
  grade_reason: string
  provisional: boolean
  larger_endangerment: boolean
  late_report: boolean
  description: string
  measures: string
  reporter: { name: string; phone: string }
  hops: AccidentHop[]
  ringing: string[]
  stable_at: string | null
  supplement_until: string
  follow_ups_per_day: number
  created_by: string
  created_at: string
  version: number
  timeline?: AccidentEvent[]
  missed_follow_up_days?: string[]
}
export interface Grading {
  grade: AccidentGrade
  grade_label: string
  criterion: string
  provisional: boolean
  larger_endangerment: boolean
  reported_as: AccidentGrade
  reason: string
}
export const gradeAccident = (body: Record<string, unknown>) =>
  request<Grading>('POST', '/api/v1/accidents/grade', { body, quiet: true }).then((r) => r.data)
export const accidentKinds = () => api.get<{ items: { code: string; name: string }[] }>('/api/v1/accident-kinds').then((r) => r.items)
export const reportAccident = (body: Record<string, unknown>) =>
  request<Accident>('POST', '/api/v1/accidents', { body, quiet: true }).then((r) => r.data)
export const listAccidents = (query: Record<string, string | number | undefined>) =>
  api.get<{ items: Accident[]; total: number }>('/api/v1/accidents', query)
export const getAccident = (id: string) => api.get<Accident>(`/api/v1/accidents/${encodeURIComponent(id)}`)
export const acknowledgeAccident = (id: string) => api.post<Accident>(`/api/v1/accidents/${encodeURIComponent(id)}/acknowledge`, {})
export const forwardAccident = (id: string, body: { to_level?: string; note?: string }) =>
  request<Accident>('POST', `/api/v1/accidents/${encodeURIComponent(id)}/forward`, { body, quiet: true }).then((r) => r.data)
export const updateAccident = (id: string, body: Record<string, unknown>) =>
  request<Accident>('POST', `/api/v1/accidents/${encodeURIComponent(id)}/updates`, { body, quiet: true }).then((r) => r.data)

/** The region whose duty room the user sits in ('' for the national level). */
export const myDutyRegion = (org: { level?: string; region_code?: string } | undefined) => (org?.level === 'national' ? '' : (org?.region_code ?? ''))
export const gradeTag: Record<AccidentGrade, 'info' | 'warning' | 'danger'> = { general: 'info', larger: 'warning', major: 'danger', extraordinary: 'danger' }

// Rescue resources and the nearest of them (issue 16 §3).
export interface Resource {
  id: string
  kind: 'rescue_team' | 'expert' | 'depot' | 'shelter' | 'hospital'
  kind_label: string
  name: string
  region_code: string
  lon: number
  lat: number
  contact: { name: string; phone: string }
  status: 'available' | 'deployed' | 'unavailable'
  status_label: string
  team_kind: string | null
  team_kind_label: string
  details: Record<string, unknown>
  distance_m?: number
  eta_min?: number
}
export const nearestResources = (query: Record<string, string | number | undefined>) =>
  api.get<{ items: Resource[] }>('/api/v1/emergency/resources/nearest', query).then((r) => r.items)
export const listResources = (query: Record<string, string | number | undefined>) =>
  api.get<{ items: Resource[] }>('/api/v1/emergency/resources', query).then((r) => r.items)
/** The rescue teams an accident of this kind calls for first. */
export function teamKindFor(kind: string): string {
  if (/瓦斯|透水|冒顶|放炮|火药/.test(kind)) return 'mine'
  if (/中毒|爆炸|灼烫/.test(kind)) return 'hazchem'
  if (/火灾/.test(kind)) return 'fire'
  if (/触电/.test(kind)) return 'power'
  if (/坍塌|高处坠落|起重/.test(kind)) return 'construction'
  return ''
}
export interface HopTally {
  region_code: string
  org_name: string
  level: string
  level_label: string
  hops: number
  late: number
}
export const lateHops = (query: Record<string, string | undefined> = {}) =>
  api.get<{ items: HopTally[] }>('/api/v1/accidents/late-hops', query).then((r) => r.items)
export interface Investigation {
  lead_level: string
  lead_level_label: string
  team: { name: string; org: string; role: string }[]
  started_by: string
  started_at: string
  report_due: string
  extension_days: number
  extension_reason: string
  report_at: string | null
  report_overdue: boolean
  findings: string
  causes: string
  responsible: { name: string; role: string; handling: string }[]
  measures: string
  reply_due: string | null
  reply_overdue: boolean
  replied_at: string | null
  reply_number: string
  closed_at: string | null
  allowed: string[]
  documents: { file_id: string; name: string; kind: string; kind_label: string; attached_by: string; attached_at: string }[]
}
export const getInvestigation = (id: string) =>
  api.get<{ investigation: Investigation | null }>(`/api/v1/accidents/${encodeURIComponent(id)}/investigation`).then((r) => r.investigation)
export const actOnInvestigation = (id: string, action: string, body: Record<string, unknown>) =>
  request<{ investigation: Investigation }>('POST', `/api/v1/accidents/${encodeURIComponent(id)}/investigation/${action}`, { body, quiet: true }).then(
    (r) => r.data.investigation,
  )

// 应急值守 (issue 16 §2).
export interface Shift {
  id: string
  region_code: string
  day: string
  name: string
  starts_at: string
  ends_at: string
  officer: { id: string; name: string }
  leader: { id: string; name: string }
  phone: string
  version: number
}
export interface DutyLogEntry {
  id: string
  at: string
  kind: string
  kind_label: string
  text: string
  author: string
  accident_id: string | null
}
export const dutyNow = (region_code?: string) => api.get<{ shift: Shift | null }>('/api/v1/duty/now', { region_code }).then((r) => r.shift)
export const dutyShifts = (month: string) => api.get<{ items: Shift[] }>('/api/v1/duty/shifts', { month }).then((r) => r.items)
export const generateRoster = (body: Record<string, unknown>) =>
  request<{ shifts: number }>('POST', '/api/v1/duty/rosters', { body, quiet: true }).then((r) => r.data)
export const dutyLog = () => api.get<{ items: DutyLogEntry[] }>('/api/v1/duty/log').then((r) => r.items)
export const addDutyLog = (body: Record<string, unknown>) =>
  request<DutyLogEntry>('POST', '/api/v1/duty/log', { body, quiet: true }).then((r) => r.data)
