import { api, request } from './client'

// GB 18218-2018 identification and grading (POST /api/v1/gb18218/evaluate).
export interface Gb18218Substance {
  name?: string
  cas?: string
  category?: string | string[]
  mixture?: boolean
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
    beta_category?: string
    note?: string
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
  breakdown: { group: 'inherent' | 'monitoring' | 'hidden_dangers' | 'enforcement' | 'accidents' | 'management'; factor: string; detail: string; points: number }[]
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

// A major hazard source's GB 18218 assessment (stored): the evaluation, who and why, and earlier grades.
export interface HazardAssessment extends Gb18218Result {
  id: string
  hazard_source_id: string
  assessed_at: string
  assessed_by: string
  reason: 'assessed' | 'inventory_changed'
  previous_grade: number | null
  history?: { id: string; assessed_at: string; assessed_by: string; grade: number | null; is_major: boolean; reason: string }[]
}
export const hazardAssessment = (id: string) => api.get<HazardAssessment>(`/api/v1/hazard-sources/${encodeURIComponent(id)}/assessment`)
export const assessHazardSource = (id: string) =>
  request<HazardAssessment>('POST', `/api/v1/hazard-sources/${encodeURIComponent(id)}/assess`, { quiet: true }).then((r) => r.data)

// Risk points (风险点) and the enterprise's inventory (风险清单).
export type RiskPointKind = 'place' | 'activity' | 'equipment'
export type ResponsibleLevel = 'company' | 'workshop' | 'team' | 'post'
export interface ControlMeasures { engineering: string[]; management: string[]; training: string[]; ppe: string[]; emergency: string[] }
export interface RiskPoint {
  id: string
  enterprise_uscc: string
  code: string
  name: string
  kind: RiskPointKind
  location: string
  hazard_source_id: string | null
  hazards: { factor: string; consequence: string }[]
  assessment: { method: 'lec'; l: number; e: number; c: number } | { method: 'matrix'; l: number; s: number }
  score: number
  level: RiskLevel
  colour: string
  level_name: string
  override: string | null
  measures: ControlMeasures
  responsible_level: ResponsibleLevel
  responsible_person: string
  active: boolean
  version: number
}
export type RiskPointInput = Partial<Omit<RiskPoint, 'id' | 'score' | 'level' | 'colour' | 'level_name' | 'override' | 'version'>>
export interface RiskPointPage {
  items: RiskPoint[]
  total: number
  distribution: Record<RiskLevel, number>
}
export const riskPoints = (uscc: string, query: { level?: string; page?: number; page_size?: number } = {}) =>
  api.get<RiskPointPage>('/api/v1/risk-points', { enterprise_uscc: uscc, page_size: 100, ...query })
export const createRiskPoint = (input: RiskPointInput) =>
  request<RiskPoint>('POST', '/api/v1/risk-points', { body: input, quiet: true }).then((r) => r.data)
export const updateRiskPoint = (id: string, version: number, input: RiskPointInput) =>
  request<RiskPoint>('PATCH', `/api/v1/risk-points/${encodeURIComponent(id)}`, { body: input, ifMatch: `"${version}"`, quiet: true }).then((r) => r.data)
export const riskInventoryXlsx = (uscc: string) => `/api/v1/enterprises/${encodeURIComponent(uscc)}/risk-inventory.xlsx`

// The LEC and matrix calculators (the risk point form previews its level with them).
export const evaluateLec = (x: { l: number; e: number; c: number }) =>
  request<{ d: number; level: RiskLevel; colour: string }>('POST', '/api/v1/risk/lec/evaluate', { body: x, quiet: true }).then((r) => r.data)
export const evaluateMatrix = (x: { l: number; s: number }) =>
  request<{ r: number; level: RiskLevel; colour: string }>('POST', '/api/v1/risk/matrix/evaluate', { body: x, quiet: true }).then((r) => r.data)
