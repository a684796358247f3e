// Shapes of the server's JSON (docs/openapi.yaml).
export interface Org {
  id: string
  name: string
  kind: 'regulator' | 'enterprise'
  level: string | null
  region_code: string | null
  uscc: string | null
  regulator_kind?: string | null
}
export interface Me {
  id: string
  username: string
  display_name: string
  roles: string[]
  permissions: string[]
  org: Org
  must_change_password: boolean
  must_enrol_second_factor?: boolean
}
export interface Enterprise {
  uscc: string
  name: string
  short_name: string | null
  region_code: string
  address: string | null
  lon: number | null
  lat: number | null
  industry: string
  industry_code: string | null
  scale: string | null
  employees: number | null
  legal_representative: string | null
  safety_manager: { name: string | null; phone: string | null } | null
  licence: { number: string | null; issued_on: string | null; expires_on: string | null } | null
  licence_state: 'valid' | 'expiring' | 'expired' | 'none'
  standardization_grade: string | null
  status: 'operating' | 'suspended' | 'closed'
  version: number
  created_at: string
  updated_at: string
}
export interface Page<T> {
  items: T[]
  total: number
  total_exact?: boolean
  page: number
  page_size: number
}
export interface Region {
  code: string
  name: string
  level: 'province' | 'city' | 'county'
  parent: string | null
  enterprise_region: boolean
  has_children: boolean
}
export interface HistoryEntry {
  id: number
  at: string
  username: string
  action: string
  version: number
  changes: Record<string, { from: unknown; to: unknown }>
}
