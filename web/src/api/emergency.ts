import { api, request } from './client'
import type { Accident, Resource } from './accidents'

// Incidents and dispatch (应急指挥), plans (应急预案) and accident statistics (issue 16 §3–5).
export type DispatchStatus = 'assigned' | 'accepted' | 'en_route' | 'on_site' | 'done' | 'cancelled'
export interface Dispatch {
  id: string
  resource_id: string
  resource_name: string
  resource_kind: string
  team_kind: string | null
  status: DispatchStatus
  status_label: string
  assigned_at: string
  accepted_at: string | null
  en_route_at: string | null
  on_site_at: string | null
  done_at: string | null
  cancelled_at: string | null
  distance_m: number
  eta_min: number
  assigned_by: string
  note: string
  version: number
}
export interface IncidentEvent {
  seq: number
  at: string
  kind: string
  kind_label: string
  text: string
  actor_name: string
}
export interface Incident {
  id: string
  title: string
  source: 'accident' | 'alarm' | 'manual'
  source_label: string
  source_id: string | null
  region_code: string
  enterprise_uscc: string | null
  enterprise_name: string
  accident_kind: string | null
  accident_kind_name: string
  lon: number
  lat: number
  drill: boolean
  status: 'open' | 'closed'
  status_label: string
  opened_by: string
  opened_at: string
  closed_at: string | null
  closing_note: string
  version: number
  events?: IncidentEvent[]
  dispatches?: Dispatch[]
}
export interface Plan {
  id: string
  owner: 'enterprise' | 'government'
  owner_label: string
  enterprise_uscc: string | null
  owner_name: string
  region_code: string
  name: string
  level: string
  level_label: string
  scenarios: { code: string; name: string }[]
  file_id: string | null
  filing_state: 'pending' | 'filed'
  filing_state_label: string
  filing_number: string
  issued_on: string
  reviewed_on: string | null
  review_due: string
  review_overdue: boolean
  version: number
  reason?: string
}
export interface CommandView {
  incident: Incident
  radius_m: number
  resources: Resource[]
  enterprises: { uscc: string; name: string; industry: string; region_code: string; lon: number; lat: number; distance_m: number; hazard_sources: number }[]
  hazard_sources: { id: string; enterprise_uscc: string; code: string; name: string; grade: number | null; lon: number; lat: number; distance_m: number }[]
  monitoring_points: { id: string; enterprise_uscc: string; code: string; name: string; indicator: string; unit: string; lon: number; lat: number }[]
  enterprise: (Record<string, unknown> & { hazard_sources_detail?: Record<string, unknown>[] }) | null
  plans: Plan[]
  accident: Accident | null
  alarms: { id: string; point_name: string; type: string; level: string; value: number; unit: string; state: string; raised_at: string }[]
}

export const listIncidents = (query: Record<string, string | undefined> = {}) =>
  api.get<{ items: Incident[] }>('/api/v1/incidents', query).then((r) => r.items)
export const getIncident = (x: string) => api.get<Incident>(`/api/v1/incidents/${encodeURIComponent(x)}`)
export const openIncident = (body: Record<string, unknown>, quiet = true) => request<Incident>('POST', '/api/v1/incidents', { body, quiet }).then((r) => r.data)
export const commandView = (x: string, radius_m: number) => api.get<CommandView>(`/api/v1/incidents/${encodeURIComponent(x)}/view`, { radius_m })
export const noteIncident = (x: string, body: { kind: string; text: string }) => api.post<Incident>(`/api/v1/incidents/${encodeURIComponent(x)}/events`, body)
export const dispatchTeam = (x: string, body: { resource_id: string; note?: string }) =>
  api.post<Incident>(`/api/v1/incidents/${encodeURIComponent(x)}/dispatches`, body)
export const advanceDispatch = (x: string, dispatch: string, status: DispatchStatus) =>
  api.post<Incident>(`/api/v1/incidents/${encodeURIComponent(x)}/dispatches/${encodeURIComponent(dispatch)}/status`, { status })
export const closeIncident = (x: string, note: string) => api.post<Incident>(`/api/v1/incidents/${encodeURIComponent(x)}/close`, { note })
/** The step a dispatch takes next, with its button's words. */
export const nextSteps: Record<DispatchStatus, { status: DispatchStatus; label: string }[]> = {
  assigned: [{ status: 'accepted', label: '已接受' }, { status: 'en_route', label: '已出发' }],
  accepted: [{ status: 'en_route', label: '已出发' }, { status: 'on_site', label: '已到场' }],
  en_route: [{ status: 'on_site', label: '已到场' }],
  on_site: [{ status: 'done', label: '完成' }],
  done: [],
  cancelled: [],
}

export const listPlans = (query: Record<string, string | undefined> = {}) => api.get<{ items: Plan[] }>('/api/v1/emergency/plans', query).then((r) => r.items)
export const createPlan = (body: Record<string, unknown>) => request<Plan>('POST', '/api/v1/emergency/plans', { body, quiet: true }).then((r) => r.data)
export const filePlan = (x: string, filing_number: string) => api.post<Plan>(`/api/v1/emergency/plans/${encodeURIComponent(x)}/filing`, { filing_number })
export const reviewPlan = (p: Plan, reviewed_on: string) =>
  request<Plan>('PUT', `/api/v1/emergency/plans/${encodeURIComponent(p.id)}`, { body: { reviewed_on }, ifMatch: `"${p.version}"` }).then((r) => r.data)
export const suggestedPlans = (accident_id: string) =>
  api.get<{ items: Plan[] }>('/api/v1/emergency/plans/suggested', { accident_id }).then((r) => r.items)

export interface Figures {
  accidents: number
  deaths: number
  missing: number
  serious_injuries: number
  minor_injuries: number
  direct_loss_yuan: number
}
export interface StatsRow extends Figures {
  key: string
  name: string
  previous: Figures
  year_before: Figures
  yoy_accidents: number | null
  mom_accidents: number | null
  yoy_deaths: number | null
  mom_deaths: number | null
  enterprises: number | null
  deaths_per_10k_enterprises: number | null
}
export interface AccidentStats {
  region_code: string
  region_name: string
  by: string
  period: { from: number; to: number; label: string }
  previous: { label: string }
  year_before: { label: string }
  total: StatsRow
  rows: StatsRow[]
}
export const accidentStats = (query: Record<string, string | undefined>) => api.get<AccidentStats>('/api/v1/accidents/stats', query)
