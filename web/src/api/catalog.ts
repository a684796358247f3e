import { api, request } from './client'

export interface CatalogItem {
  name: string
  label: string
  type: string
  personal: boolean
}
export interface CatalogEntry {
  code: string
  record_type: string
  category: string
  name: string
  provider: string
  provider_code: string
  summary: string
  format: string
  items: CatalogItem[]
  share_type: 'unconditional' | 'conditional' | 'none'
  share_type_label: string
  share_condition: string
  share_basis: string
  share_method: string
  open: boolean
  open_label: string
  open_condition: string
  update_cycle: string
  related_codes: string[]
  published_at: string
  updated_at: string
  updated_by: string
}
export interface Grant {
  id: string
  entry_code: string
  entry_name: string
  record_type: string
  department_org: string
  department_name: string
  requested_by: string
  purpose: string
  fields: string[]
  region_code: string
  region_name: string
  requested_at: string
  state: 'pending' | 'approved' | 'refused' | 'revoked' | 'expired'
  state_label: string
  conditions: string
  reason: string
  expires_on: string | null
  decided_by: string | null
  decided_at: string | null
  key_prefix: string | null
  key_issued_at: string | null
  revoked_at: string | null
  revoked_by: string | null
  revoke_reason: string | null
  mine_to_decide: boolean
  mine: boolean
}
export interface GrantUsage {
  at: string
  remote: string
  query: string
  records: number
}

export const catalogEntries = () => api.get<{ items: CatalogEntry[] }>('/api/v1/catalog/entries').then((r) => r.items)
export const catalogGrants = () => api.get<{ items: Grant[] }>('/api/v1/catalog/grants').then((r) => r.items)
export const requestShare = (code: string, body: { purpose: string; fields?: string[]; region_code?: string }) =>
  api.post<Grant>(`/api/v1/catalog/entries/${encodeURIComponent(code)}/requests`, body)
export const decideGrant = (id: string, body: { approve: boolean; reason?: string; conditions?: string; expires_on?: string }) =>
  api.post<Grant>(`/api/v1/catalog/grants/${id}/decision`, body)
export const issueGrantKey = (id: string) => api.post<{ grant: Grant; key: string }>(`/api/v1/catalog/grants/${id}/key`, {})
export const revokeGrant = (id: string, reason: string) => api.post<Grant>(`/api/v1/catalog/grants/${id}/revoke`, { reason })
export const grantUsage = (id: string) => api.get<{ items: GrantUsage[] }>(`/api/v1/catalog/grants/${id}/usage`).then((r) => r.items)
export const exportOpenData = () =>
  api.post<{ items: { entry_code: string; name: string; records: number; json: string; csv: string }[] }>('/api/v1/catalog/open/export', {}).then((r) => r.items)
export type EntryWording = Partial<Pick<CatalogEntry, 'category' | 'name' | 'summary' | 'share_type' | 'share_condition' | 'share_basis' | 'share_method' | 'open' | 'open_condition' | 'update_cycle'>>
export const updateEntry = (code: string, body: EntryWording) =>
  request<CatalogEntry>('PATCH', `/api/v1/catalog/entries/${encodeURIComponent(code)}`, { body, quiet: true }).then((r) => r.data)
