import { api, request } from './client'
import type { Page } from './types'

export type AlarmState = 'raised' | 'acknowledged' | 'recovered' | 'closed' | 'unhandled'
export type AlarmType =
  | 'threshold' | 'rate' | 'offline' | 'fault' | 'power_off'
  | 'no_power_off' | 'reported_alarm' | 'reported_power_off' | 'feed_abnormal' | 'network_down'

export interface Alarm {
  id: string
  enterprise_uscc: string
  enterprise_name: string
  region_code: string
  point: string
  point_id: string
  point_name: string
  type: AlarmType
  level: string
  state: AlarmState
  value: number
  unit?: string
  reason?: string
  raised_at: string
  acknowledged_at: string | null
  acknowledged_by?: string
  recovered_at: string | null
  closed_at: string | null
  closed_by?: string
  disposal?: { cause: string; measures: string; person: string }
  escalated_at: string | null
  escalated_to?: string
  peak_value: number
  peak_at: string
  duration_s: number
  power_off_at: string | null
  power_restored_at: string | null
  late: boolean
  silent_points?: number
  version: number
}

export interface AlarmQuery {
  state?: AlarmState
  type?: AlarmType
  enterprise_uscc?: string
  q?: string
  from?: string
  to?: string
  page?: number
  page_size?: number
}

export interface LatestValue {
  point: string
  point_id: string
  name: string
  indicator: string
  unit: string
  hazard_source_id: string | null
  ts: string | null
  value: number | null
  level: string
  offline: boolean
  fault: string | null
  power_off: boolean
  no_power_off: boolean
  thresholds: Record<'high' | 'high_high' | 'low' | 'low_low' | 'power_off' | 'restore', number | null>
  findings: { code: string; field: string; message: string }[]
}

export interface Series {
  point_id: string
  point: string
  unit: string
  kind: 'raw' | 'rollup'
  step: number
  columns: string[]
  items: (number | string)[][]
}

export interface HazardSource {
  id: string
  enterprise_uscc: string
  code: string
  name: string
  kind: string
  grade: number | null
  people_exposed: number | null
  substances: { name: string; cas: string | null; category?: string | null; quantity_t: number }[]
  active: boolean
  version: number
}

export const listAlarms = (query: AlarmQuery) => api.get<Page<Alarm>>('/api/v1/alarms', { ...query })
export const acknowledgeAlarm = (id: string) => api.post<Alarm>(`/api/v1/alarms/${encodeURIComponent(id)}/ack`)
export const closeAlarm = (id: string, disposal: { cause: string; measures: string; person: string }) =>
  request<Alarm>('POST', `/api/v1/alarms/${encodeURIComponent(id)}/close`, { body: disposal, quiet: true }).then((r) => r.data)
export const latestValues = (uscc: string) =>
  api.get<{ items: LatestValue[] }>('/api/v1/monitoring/latest', { enterprise_uscc: uscc })
export const hazardSources = (uscc: string) =>
  api.get<Page<HazardSource>>('/api/v1/hazard-sources', { enterprise_uscc: uscc, page_size: 100 })
export const hazardSource = (id: string) => api.get<HazardSource>(`/api/v1/hazard-sources/${encodeURIComponent(id)}`)
export const pointSeries = (id: string, from: string, to: string) =>
  api.get<Series>(`/api/v1/monitoring/points/${encodeURIComponent(id)}/series`, { from, to })
