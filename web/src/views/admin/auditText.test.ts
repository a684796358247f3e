import { describe, expect, it } from 'vitest'
import { detailText, targetText } from './auditText'

describe('the audit log in Chinese', () => {
  it('says what was recorded, not JSON', () => {
    expect(detailText({ enterprise_name: '甲化工', point: '1号罐液位（T101）', disposal: { cause: '阀门故障', measures: '关阀', person: '王强' } }))
      .toBe('测点：1号罐液位（T101）；原因：阀门故障；措施：关阀；处置人：王强')
    expect(detailText({ fields: ['name', 'licence'] })).toBe('修改字段：企业名称、安全生产许可证')
    expect(detailText({ reason: 'bad_credentials' })).toBe('原因：用户名或密码错误')
    expect(detailText({})).toBe('')
  })
  it('names the object', () => {
    expect(targetText('alarm:abc', '甲化工')).toBe('甲化工 · 报警')
    expect(targetText('user:u1')).toBe('用户')
  })
})
