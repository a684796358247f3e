import { api, buildUrl, request } from './client'
import type { Enterprise, HistoryEntry, Page } from './types'

export interface EnterpriseQuery {
  q?: string
  region_code?: string
  industry?: string
  status?: string
  licence_state?: string
  sort?: string
  page?: number
  page_size?: number
}

export const listEnterprises = (query: EnterpriseQuery) => api.get<Page<Enterprise>>('/api/v1/enterprises', { ...query })
export const exportUrl = (query: EnterpriseQuery) => buildUrl('/api/v1/enterprises/export.csv', { ...query, page: undefined, page_size: undefined })
export const getEnterprise = (uscc: string) => request<Enterprise>('GET', `/api/v1/enterprises/${encodeURIComponent(uscc)}`)
export const createEnterprise = (body: Partial<Enterprise>) =>
  request<Enterprise>('POST', '/api/v1/enterprises', { body, quiet: true })
export const updateEnterprise = (uscc: string, version: number, body: Partial<Enterprise>) =>
  request<Enterprise>('PATCH', `/api/v1/enterprises/${encodeURIComponent(uscc)}`, { body, ifMatch: `"${version}"`, quiet: true })
export const enterpriseHistory = (uscc: string) =>
  api.get<{ items: HistoryEntry[] }>(`/api/v1/enterprises/${encodeURIComponent(uscc)}/history`)
export const enterpriseSummary = () =>
  api.get<{ total: number; by_industry: Record<string, number>; by_status: Record<string, number>; by_licence_state: Record<string, number> }>(
    '/api/v1/enterprises/summary',
  )
