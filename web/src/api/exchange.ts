import { api, request } from './client'

export interface ExchangeLane {
  lane: 'priority' | 'bulk'
  lane_label: string
  sent_seq: number
  received_seq: number
}
export interface ExchangeLink {
  node_id: string
  name: string
  relation: 'parent' | 'child'
  relation_label: string
  direction: 'up' | 'down'
  region_code: string
  region_name: string
  last_contact_at: string | null
  last_sent_at: string | null
  last_received_at: string | null
  lag_s: number
  backlog: number
  refused_batches: number
  applied_changes: number
  last_error: string | null
  lanes: ExchangeLane[]
}
export interface PeerKey {
  fingerprint: string
  algorithm: string
  state: 'active' | 'revoked'
  state_label: string
  added_at: string
  revoked_at: string | null
}
export interface Peer {
  node_id: string
  relation: 'parent' | 'child'
  relation_label: string
  name: string
  level: string
  level_label: string
  region_code: string
  region_name: string
  url: string | null
  registered_at: string
  keys: PeerKey[]
}
export interface NodeInfo {
  node_id: string
  name: string
  level: string
  level_label: string
  region_code: string
  region_name: string
  public_key: string
  algorithm: string
  fingerprint: string
  peers: Peer[]
}
// A record held here as another node's copy (一数一源), from the enterprise's view.
export interface ReplicaInfo {
  owner_node: string
  owner_name: string
  received_from: string
  version: number
  updated_at: string
}

export const exchangeLinks = () => api.get<{ items: ExchangeLink[] }>('/api/v1/exchange/links').then((r) => r.items)
// quiet: a node not yet initialised answers not_initialised, which the page explains.
export const exchangeNode = () => request<NodeInfo>('GET', '/api/v1/exchange/node', { quiet: true }).then((r) => r.data)
export const enterpriseReplica = (uscc: string) =>
  api
    .get<{ sections: { replica?: ReplicaInfo | null } }>(`/api/v1/enterprises/${encodeURIComponent(uscc)}/view`)
    .then((r) => r.sections.replica ?? null)

// Corrections (一数一源): asked by a node holding a replica, decided at the record's owner.
export interface CorrectionChange {
  field: string
  label: string
  current: unknown
  proposed: unknown
}
export interface Correction {
  id: string
  record_type: string
  record_type_label: string
  record_id: string
  record_name: string
  owner_node: string
  region_code: string
  region_name: string
  requester_node: string
  requester_node_name: string
  requester_org: string
  requested_by: string
  reason: string
  changes: CorrectionChange[]
  requested_at: string
  status: 'pending' | 'accepted' | 'rejected'
  status_label: string
  decided_by: string | null
  decider_org: string | null
  note: string | null
  decided_at: string | null
  mine_to_decide: boolean
}
export interface SharedField {
  name: string
  label: string
  type: string
  personal: boolean
  correctable: boolean
}
export interface SharedTypeInfo {
  type: string
  label: string
  direction: 'up' | 'down'
  direction_label: string
  lane: string
  lane_label: string
  corrections: boolean
  fields: SharedField[]
}
export interface CorrectionQuery {
  box?: 'incoming' | 'outgoing' | 'all'
  status?: 'pending' | 'accepted' | 'rejected'
  record_type?: string
  record_id?: string
  page?: number
  page_size?: number
}

export const exchangeTypes = () => api.get<{ items: SharedTypeInfo[] }>('/api/v1/exchange/types').then((r) => r.items)
export const listCorrections = (q: CorrectionQuery) =>
  api.get<{ items: Correction[]; total: number }>('/api/v1/exchange/corrections', { ...q })
export const requestCorrection = (body: { record_type: string; record_id: string; reason: string; fields: Record<string, unknown> }) =>
  api.post<Correction>('/api/v1/exchange/corrections', body)
export const decideCorrection = (id: string, accept: boolean, note: string) =>
  api.post<Correction>(`/api/v1/exchange/corrections/${encodeURIComponent(id)}/decision`, { accept, note })

// Records held here as the copies of what the nodes below share (一数一源: read-only here).
export interface ReplicaRecord {
  type: string
  id: string
  owner_node: string
  owner_name: string
  region_code: string
  region_name: string
  received_from: string
  version: number
  updated_at: string
  enterprise_name: string | null
  data: Record<string, unknown>
}
export const exchangeRecords = (type: string, page = 1, pageSize = 20) =>
  api.get<{ items: ReplicaRecord[]; total: number }>(
    `/api/v1/exchange/records?type=${encodeURIComponent(type)}&page=${page}&page_size=${pageSize}`,
  )

// The copies counted by some of their fields (the counties' 重大隐患 by state, by region).
export interface ReplicaCounts {
  type: string
  by: string[]
  items: { values: Record<string, string>; labels: Record<string, string>; count: number }[]
  total: number
}
export const exchangeRecordCounts = (type: string, by: string[]) =>
  api.get<ReplicaCounts>(`/api/v1/exchange/records/counts?type=${encodeURIComponent(type)}&by=${encodeURIComponent(by.join(','))}`)
