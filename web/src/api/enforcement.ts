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
  /** Its tasks once issued (the draw is final then). */
  tasks_issued: number
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

// Inspection tasks, on-site inspections, measures, cases and documents (issue 15 §3, §5).
export interface TaskInspector {
  user_id: string
  name: string
  badge_number: string
}
export interface InspectionTask {
  id: string
  enterprise_uscc: string
  enterprise_name: string
  region_code: string
  source: string
  source_label: string
  draw_id: string
  follows_measure_id: string
  template_id: string
  due_date: string
  overdue: boolean
  state: 'issued' | 'done' | 'cancelled'
  note: string
  inspection_id: string
  inspectors: TaskInspector[]
  created_by: string
  created_at: string
  version: number
}
export interface ChecklistItemOnSite {
  seq: number
  number: string
  text: string
  basis: string
  method: string
  major: boolean
}
/** What the phone keeps to inspect with no network. */
export interface TaskBundle {
  task: InspectionTask
  enterprise: {
    uscc: string
    name: string
    address: string
    region_code: string
    industry_label: string
    legal_representative: string
    safety_manager_name: string
    safety_manager_phone: string
    /** The record's version when downloaded: sent back so the server can tell of a change meanwhile. */
    version: number
  }
  checklist: { id: string; name: string; version: number; items: ChecklistItemOnSite[] } | null
  open_hidden_dangers: { id: string; description: string; grade: string; state: string; deadline: string | null }[]
  last_inspection: Inspection | null
  /** For a 复查: the order it checks, with its items and deadlines. */
  measure: Measure | null
}
export interface Inspection {
  id: string
  client_id: string
  /** Set when the enterprise changed between the task's download and the record's arrival. */
  enterprise_changed: { seen_version: number; version: number; message: string } | null
  task_id: string
  enterprise_uscc: string
  enterprise_name: string
  started_at: string
  ended_at: string
  place: string
  present: { name: string; title: string; phone: string }[]
  summary: string
  position: { lon: number; lat: number; accuracy_m?: number } | null
  signatures: { inspectors?: { user_id: string; name: string; file: { id: string } }[]; unit?: { name: string; file: { id: string } } }
  findings: { description: string; grade: string; place: string; hidden_danger_id: string; files: { id: string; name: string }[] }[]
  recheck: { measure_id: string; complied: boolean; note: string } | null
  passed: number
  failed: number
  not_applicable: number
  inspectors: TaskInspector[]
  document_id: string
  document_number: string
  results?: {
    seq: number
    number: string
    text: string
    major: boolean
    result: 'pass' | 'fail' | 'not_applicable'
    note: string
    files: { id: string; name: string }[]
    hidden_danger_id: string | null
  }[]
  measures?: Measure[]
  created_by: string
  created_at: string
}
export interface Measure {
  id: string
  inspection_id: string
  kind: 'rectify' | 'on_site' | 'suspend' | 'coercive'
  kind_label: string
  items: { text: string; deadline: string }[]
  deadline: string
  state: 'in_force' | 'complied' | 'not_complied'
  recheck_due: string
  recheck_task_id: string
  document_id: string
  document_number: string
  version: number
}
export interface EnforcementDocument {
  id: string
  kind: string
  title: string
  number: string
  issuer_name: string
  enterprise_uscc: string
  inspection_id: string
  measure_id: string
  case_id: string
  refers_to: string
  issued_by: string
  issued_at: string
  pdf: string
}
export interface CaseStep {
  seq: number
  action: string
  action_label: string
  to_label: string
  note: string
  document_id: string
  actor: string
  at: string
}
export interface EnforcementCase {
  id: string
  enterprise_uscc: string
  enterprise_name: string
  inspection_id: string
  party_kind: 'unit' | 'person'
  party_name: string
  cause: string
  facts: string
  violated: string
  legal_basis: string
  penalty: string
  fine_yuan: number
  state: string
  state_label: string
  state_at: string
  created_at: string
  closed_at: string | null
  version: number
  steps?: CaseStep[]
  documents?: EnforcementDocument[]
  actions?: { action: string; label: string }[]
}
export interface Page<T> {
  items: T[]
  total: number
}

export const listTasks = (query: Record<string, string | number | boolean | undefined>) =>
  api.get<Page<InspectionTask>>('/api/v1/inspection-tasks', query)
export const createTask = (body: Record<string, unknown>) =>
  request<InspectionTask>('POST', '/api/v1/inspection-tasks', { body, quiet: true }).then((r) => r.data)
export const issueDrawTasks = (drawId: string, body: Record<string, unknown>) =>
  request<{ items: InspectionTask[] }>('POST', `/api/v1/draws/${encodeURIComponent(drawId)}/tasks`, { body, quiet: true }).then((r) => r.data.items)
export const taskBundle = (id: string) => api.get<TaskBundle>(`/api/v1/inspection-tasks/${encodeURIComponent(id)}/bundle`)
/** The inspection as the phone sends it; a resend with the same client_id is answered with what was kept. */
export const submitInspection = (body: Record<string, unknown>) =>
  request<Inspection>('POST', '/api/v1/inspections', { body, quiet: true }).then((r) => r.data)
export const getInspection = (id: string) => api.get<Inspection>(`/api/v1/inspections/${encodeURIComponent(id)}`)
export const listInspections = (query: Record<string, string | number | undefined>) =>
  api.get<{ items: Inspection[] }>('/api/v1/inspections', query).then((r) => r.items)
export const issueMeasure = (inspectionId: string, body: Record<string, unknown>) =>
  request<Measure>('POST', `/api/v1/inspections/${encodeURIComponent(inspectionId)}/measures`, { body, quiet: true }).then((r) => r.data)
export const listCases = (query: Record<string, string | number | undefined>) => api.get<Page<EnforcementCase>>('/api/v1/cases', query)
export const getCase = (id: string) => api.get<EnforcementCase>(`/api/v1/cases/${encodeURIComponent(id)}`)
export const fileCase = (body: Record<string, unknown>) =>
  request<EnforcementCase>('POST', '/api/v1/cases', { body, quiet: true }).then((r) => r.data)
export const actOnCase = (id: string, action: string, version: number, body: Record<string, unknown>) =>
  request<EnforcementCase>('POST', `/api/v1/cases/${encodeURIComponent(id)}/actions/${action}`, { body, ifMatch: `"${version}"`, quiet: true }).then(
    (r) => r.data,
  )
export const listDocuments = () => api.get<{ items: EnforcementDocument[] }>('/api/v1/documents', { page_size: 200 }).then((r) => r.items)

export interface PlanItem {
  id: string
  kind: 'key' | 'general' | 'special'
  kind_label: string
  name: string
  enterprises: string[]
  planned: number[]
  issued: number[]
  done: number[]
}
export interface Plan {
  id: string
  name: string
  year: number
  month: number
  items: PlanItem[]
  planned_total: number
  planned_double_random: number
  double_random_share: number
  required_share: number
  share_ok: boolean
  created_at: string
}
export interface PendingPublication {
  inspection_id: string
  enterprise_name: string
  draw_name: string
  concluded_at: string
  deadline: string
  working_days_left: number
  flag: 'ok' | 'due_soon' | 'overdue'
}
export const listPlans = (year: number) => api.get<{ items: Plan[] }>('/api/v1/plans', { year }).then((r) => r.items)
export const createPlan = (body: Record<string, unknown>) => request<Plan>('POST', '/api/v1/plans', { body, quiet: true }).then((r) => r.data)
export const listPendingPublications = () => api.get<{ items: PendingPublication[] }>('/api/v1/publications').then((r) => r.items)
export const publishInspection = (id: string) => request<null>('POST', `/api/v1/inspections/${encodeURIComponent(id)}/publish`, { body: {} })

// 检查对象名录库, 随机抽查事项清单 and the inspectors' registry (issue 15 §1).
export interface TargetSnapshot {
  list_id: string
  version: number
  count: number
  digest: string
  frozen_by: string
  reason: 'draw' | 'manual'
  frozen_at: string
}
export interface TargetList {
  id: string
  region_code: string
  name: string
  filter: { region_code?: string; industry?: string; risk_level?: string; licence_state?: string; not_inspected_months?: number }
  created_by: string
  created_at: string
  snapshots: TargetSnapshot[]
}
export const listTargetLists = () => api.get<{ items: TargetList[] }>('/api/v1/target-lists').then((r) => r.items)
export const createTargetList = (body: Record<string, unknown>) =>
  request<TargetList>('POST', '/api/v1/target-lists', { body, quiet: true }).then((r) => r.data)
export const freezeTargetList = (id: string) =>
  api.post<TargetSnapshot & { usccs: string[] }>(`/api/v1/target-lists/${encodeURIComponent(id)}/snapshots`, {})
export interface InspectionItem {
  id: string
  region_code: string
  name: string
  legal_basis: string
  template_id: string
  cap_per_year: number
  caps_by_risk_level: Partial<Record<'major' | 'larger' | 'general' | 'low', number>>
  created_by: string
  created_at: string
}
export const listInspectionItems = () => api.get<{ items: InspectionItem[] }>('/api/v1/inspection-items').then((r) => r.items)
export const createInspectionItem = (body: Record<string, unknown>) =>
  request<InspectionItem>('POST', '/api/v1/inspection-items', { body, quiet: true }).then((r) => r.data)
export const registerInspector = (id: string, body: { badge_number: string; status: Inspector['status'] }) =>
  request<Inspector>('PUT', `/api/v1/inspectors/${encodeURIComponent(id)}`, { body, quiet: true }).then((r) => r.data)
export const declareConflict = (id: string, body: { enterprise_uscc: string; reason: string; kind: string }) =>
  request<Inspector>('POST', `/api/v1/inspectors/${encodeURIComponent(id)}/conflicts`, { body, quiet: true }).then((r) => r.data)
export const getDraw = (id: string) => api.get<Draw>(`/api/v1/draws/${encodeURIComponent(id)}`)
