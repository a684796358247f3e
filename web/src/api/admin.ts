import { api, request } from './client'
import type { Org, Page } from './types'

export interface User {
  id: string
  username: string
  display_name: string
  org_id: string
  org_name: string
  roles: string[]
  disabled: boolean
  must_change_password: boolean
  version: number
  locked_until: string | null
  last_login_at: string | null
  second_factor: boolean
}
export interface Session {
  id: string
  source: string
  created_at: string
  last_seen_at: string
  expires_at: string
}
export interface AuditRecord {
  seq: number
  at: string
  username: string
  region_code: string
  uscc: string
  source: string
  action: string
  target: string
  outcome: 'success' | 'failure' | 'denied'
  detail: unknown
  action_name: string
  enterprise_name?: string
}

export const listOrgs = () => api.get<{ items: Org[] }>('/api/v1/orgs').then((r) => r.items)
export const createOrg = (body: Partial<Org> & { regulator_kind?: string }) => request<Org>('POST', '/api/v1/orgs', { body, quiet: true })
export const listUsers = () => api.get<{ items: User[] }>('/api/v1/users').then((r) => r.items)
export const createUser = (body: Record<string, unknown>) => request<User>('POST', '/api/v1/users', { body, quiet: true })
export const updateUser = (u: User, body: Partial<User>) =>
  request<User>('PATCH', `/api/v1/users/${u.id}`, { body, ifMatch: `"${u.version}"` })
export const resetPassword = (id: string, password: string) =>
  request<void>('POST', `/api/v1/users/${id}/password`, { body: { password }, quiet: true })
export const unlockUser = (id: string) => api.post<void>(`/api/v1/users/${id}/unlock`)
export const resetSecondFactor = (id: string) => api.post<void>(`/api/v1/users/${id}/second-factor/reset`)
export const userSessions = (id: string) => api.get<{ items: Session[] }>(`/api/v1/users/${id}/sessions`).then((r) => r.items)
export const revokeSession = (id: string, sid: string) => request<void>('DELETE', `/api/v1/users/${id}/sessions/${sid}`)
// archived_through: records up to this seq are in the archive files (0: none archived yet).
export type AuditPage = Page<AuditRecord> & { archived_through: number }
export const listAudit = (query: Record<string, string | number | undefined>) => api.get<AuditPage>('/api/v1/audit', query)
