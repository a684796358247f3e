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
  page?: number
  page_size?: number
}

export const listHiddenDangers = (q: HiddenDangerQuery) => api.get<Page<HiddenDanger>>('/api/v1/hidden-dangers', { ...q })
export const getHiddenDanger = (id: string) => api.get<HiddenDanger>(`/api/v1/hidden-dangers/${encodeURIComponent(id)}`)
export const reportHiddenDanger = (body: Record<string, unknown>) =>
  request<HiddenDanger>('POST', '/api/v1/hidden-dangers', { body, quiet: true }).then((r) => r.data)
export const actOnHiddenDanger = (id: string, action: HiddenDangerAction, version: number, body: Record<string, unknown>) =>
  request<HiddenDanger>('POST', `/api/v1/hidden-dangers/${encodeURIComponent(id)}/actions/${action}`, {
    body,
    quiet: true,
    ifMatch: `"${version}"`,
  }).then((r) => r.data)
