import { fieldNames, roles } from '../../utils/labels'
import { regionName } from '../../stores/regionNames'

// The audit log in the words of its readers: what was acted on, and what was recorded.
const targetKinds: Record<string, string> = {
  alarm: '报警', user: '用户', org: '机构', enterprise: '企业', hazard_source: '重大危险源', point: '测点',
  monitoring_point: '测点', risk_point: '风险点', api_key: '接口密钥', session: '会话', enterprises: '企业（批量）',
}

export function targetText(target: string, enterpriseName?: string): string {
  const [kind] = target.split(':')
  const word = targetKinds[kind] ?? (target.includes(':') ? kind : target)
  return enterpriseName ? `${enterpriseName} · ${word}` : word
}

const detailNames: Record<string, string> = {
  cause: '原因', measures: '措施', person: '处置人', point: '测点', enterprise_name: '企业', rows: '行数', to: '上报至',
  needs: '所需权限', reason: '原因', fields: '修改字段', roles: '角色', name: '名称', level: '级别', moved: '重新分级',
  before_sm3: '修改前摘要', after_sm3: '修改后摘要', count: '数量',
}
const reasonWords: Record<string, string> = { bad_credentials: '用户名或密码错误', bad_second_factor: '动态口令错误', disabled: '账号已停用' }

function valueText(key: string, v: unknown): string {
  if (v === null || v === undefined) return '—'
  if (key === 'fields' && Array.isArray(v)) return v.map((f) => fieldNames[String(f)] ?? String(f)).join('、')
  if (key === 'roles' && Array.isArray(v)) return v.map((r) => roles[String(r)] ?? String(r)).join('、')
  if (key === 'to' && typeof v === 'string') return regionName(v)
  if (key === 'reason' && typeof v === 'string') return reasonWords[v] ?? v
  if (key.endsWith('_sm3') && typeof v === 'string') return v.slice(0, 12) + '…'
  if (Array.isArray(v)) return v.map((x) => valueText('', x)).join('、')
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${detailNames[k] ?? k}：${valueText(k, x)}`).join('；')
  return String(v)
}

/** "原因：阀门故障；措施：关阀；处置人：王强" — not a JSON text; the enterprise's name is shown elsewhere. */
export function detailText(detail: unknown): string {
  if (detail === null || detail === undefined || (typeof detail === 'object' && Object.keys(detail as object).length === 0)) return ''
  if (typeof detail !== 'object') return String(detail)
  return Object.entries(detail as Record<string, unknown>)
    .filter(([k]) => k !== 'enterprise_name')
    .map(([k, v]) => (k === 'disposal' ? valueText(k, v) : `${detailNames[k] ?? k}：${valueText(k, v)}`))
    .join('；')
}
