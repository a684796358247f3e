import { describe, expect, it, vi } from 'vitest'

const counts = vi.fn()
vi.mock('../../api/exchange', () => ({ exchangeRecordCounts: (...a: unknown[]) => counts(...a) }))
const { countsBelow, receivedFromBelow, sumWhere } = await import('./belowCounts')

const row = (values: Record<string, string>, count: number) => ({ values, labels: values, count })

describe('what the nodes below reported, on a home card', () => {
  it('is nothing at all where nothing came from below (a county)', async () => {
    counts.mockResolvedValueOnce({ type: 'alarm', by: ['state', 'level'], items: [], total: 0 })
    expect(await countsBelow('alarm', ['state', 'level'])).toBeNull()
    expect(counts).toHaveBeenLastCalledWith('alarm', ['state', 'level'])
  })
  it('sums the groups a card asks for: the counties’ 重大隐患 not closed', async () => {
    const items = [
      row({ grade: 'general', state: 'reported' }, 5),
      row({ grade: 'major', state: 'rectifying' }, 2),
      row({ grade: 'major', state: 'closed' }, 7),
      row({ grade: 'major', state: 'reported' }, 1),
    ]
    counts.mockResolvedValueOnce({ type: 'hidden_danger', by: ['grade', 'state'], items, total: 15 })
    const rows = await countsBelow('hidden_danger', ['grade', 'state'])
    expect(rows).not.toBeNull()
    const open = (v: Record<string, string>) => !['closed', 'withdrawn'].includes(v.state)
    expect(sumWhere(rows!, (v) => open(v) && v.grade === 'major')).toBe(3)
    expect(sumWhere(rows!, open)).toBe(8)
    expect(sumWhere(rows!, () => false)).toBe(0)
  })
  it('refreshes on a batch of its own type from below, not on another type or another message', () => {
    expect(receivedFromBelow({ type: 'exchange.received', data: { record_type: 'hidden_danger', region_code: '330106', count: 3 } }, 'hidden_danger')).toBe(true)
    expect(receivedFromBelow({ type: 'exchange.received', data: { record_type: 'alarm', region_code: '330106', count: 3 } }, 'hidden_danger')).toBe(false)
    expect(receivedFromBelow({ type: 'hidden_danger.changed', data: { record_type: 'hidden_danger' } }, 'hidden_danger')).toBe(false)
    expect(receivedFromBelow({ type: 'exchange.received', data: null }, 'hidden_danger')).toBe(false)
  })
})
