// The registry filter of a draw or a target list, as its form holds it (TargetFilterFields.vue).
export interface TargetFilterForm {
  region_code: string | undefined
  industry: string
  risk_level: string
  licence_state: string
  not_inspected_months: number
}

export const blankFilter = (): TargetFilterForm => ({ region_code: undefined, industry: '', risk_level: '', licence_state: '', not_inspected_months: 0 })

/** The form's filter as the API takes it: only what was chosen. */
export function filterBody(f: TargetFilterForm): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (f.region_code) out.region_code = f.region_code
  for (const k of ['industry', 'risk_level', 'licence_state'] as const) if (f[k]) out[k] = f[k]
  if (f.not_inspected_months) out.not_inspected_months = f.not_inspected_months
  return out
}
