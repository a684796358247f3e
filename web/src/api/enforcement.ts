import { api, request } from './client'

// 双随机 draws and the inspectors' registry (issue 15).
export interface DrawAssignment {
  enterprise_uscc: string
  enterprise_name?: string | null
  inspectors: string[]
}
export interface Draw {
  id: string
  name: string
  region_code: string
  plan_item_id: string | null
  reason: string
  algorithm: string
  seed: string
  inputs_digest: string
  targets_digest: string
  inspectors_digest: string
  recusals_digest: string
  count: number
  targets: number
  per_target: number
  result: DrawAssignment[]
  created_by: string
  created_at: string
}
export interface Inspector {
  user_id: string
  username: string
  display_name: string
  org_name: string
  badge_number: string
  status: 'active' | 'on_leave' | 'transferred'
  registered: boolean
  conflicts: { id: string; enterprise_uscc: string; kind: string; reason: string }[]
}
export const listDraws = () => api.get<{ items: Draw[] }>('/api/v1/draws').then((r) => r.items)
export const createDraw = (body: Record<string, unknown>) => request<Draw>('POST', '/api/v1/draws', { body, quiet: true }).then((r) => r.data)
export const verifyDraw = (id: string) =>
  api.post<{ matches: boolean; differs?: string }>(`/api/v1/draws/${encodeURIComponent(id)}/verify`, {})
export const drawRecordPath = (id: string) => `/api/v1/draws/${encodeURIComponent(id)}/record`
export const listInspectors = () => api.get<{ items: Inspector[] }>('/api/v1/inspectors').then((r) => r.items)
