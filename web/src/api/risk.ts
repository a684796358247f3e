import { api } from './client'

// GB 18218-2018 identification and grading (POST /api/v1/gb18218/evaluate).
export interface Gb18218Substance {
  name?: string
  cas?: string
  category?: string | string[]
  quantity_t: number
}

export interface Gb18218Result {
  unit_type: 'storage' | 'production'
  people_exposed: number
  s: number
  is_major: boolean
  alpha: number
  r: number
  grade?: 1 | 2 | 3 | 4
  substances: {
    name: string
    cas: string | null
    table1_no?: number
    category?: string
    quantity_t: number
    critical_t: number
    critical_from: string
    beta: number
    beta_from: string
    q_over_q: number
    r_share: number
  }[]
  table: string
}

export const evaluateGb18218 = (input: { unit_type: string; people_exposed: number; substances: Gb18218Substance[] }) =>
  api.post<Gb18218Result>('/api/v1/gb18218/evaluate', input)

// The enterprise's dynamic risk (GET /api/v1/enterprises/{uscc}/risk).
export type RiskLevel = 'major' | 'significant' | 'general' | 'low'
export interface EnterpriseRisk {
  enterprise_uscc: string
  score: number
  level: RiskLevel
  colour: 'red' | 'orange' | 'yellow' | 'blue'
  level_name: string
  model_version: string
  override: string | null
  breakdown: { group: 'inherent' | 'monitoring' | 'management'; factor: string; detail: string; points: number }[]
  computed_at: string
  history: { at: string; score: number; level: RiskLevel; previous_level: RiskLevel | null; model_version: string; reason: string }[]
}

export const enterpriseRisk = (uscc: string) => api.get<EnterpriseRisk>(`/api/v1/enterprises/${encodeURIComponent(uscc)}/risk`)

// Regional risk and drill-down.
export interface RegionRisk {
  code: string
  name: string
  score: number
  level: RiskLevel
  colour: string
  level_name: string
  enterprises: number
  distribution: Record<RiskLevel, number>
  trend?: { week_start: string; score: number; level: RiskLevel; enterprises: number; distribution: Record<RiskLevel, number> }[]
}
export interface RankedEnterprise {
  enterprise_uscc: string
  enterprise_name: string
  region_code: string
  score: number
  level: RiskLevel
  colour: string
  reason: string
}
export const regionRisk = (code: string) => api.get<RegionRisk>(`/api/v1/risk/regions/${encodeURIComponent(code)}`)
export const regionChildren = (code: string) => api.get<{ items: RegionRisk[] }>(`/api/v1/risk/regions/${encodeURIComponent(code)}/children`)
export const rankedEnterprises = (code: string, pageSize = 20) =>
  api.get<{ items: RankedEnterprise[] }>(`/api/v1/risk/regions/${encodeURIComponent(code)}/enterprises`, { page_size: pageSize })
