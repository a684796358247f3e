import { describe, expect, it } from 'vitest'
import { shanghaiTime, shanghaiTimeSeconds } from './time'

describe('shanghaiTime', () => {
  it('shows the instant in Asia/Shanghai to the minute, whatever offset it came in', () => {
    expect(shanghaiTime('2026-11-30T18:58:42+08:00')).toBe('2026-11-30 18:58')
    expect(shanghaiTime('2026-11-30T10:58:42Z')).toBe('2026-11-30 18:58')
    expect(shanghaiTime('2026-11-30T16:10:00.000Z')).toBe('2026-12-01 00:10')
    expect(shanghaiTime(Date.UTC(2026, 10, 30, 10, 58))).toBe('2026-11-30 18:58')
    expect(shanghaiTimeSeconds('2026-11-30T18:58:42+08:00')).toBe('2026-11-30 18:58:42')
  })
  it('says nothing is there rather than showing garbage', () => {
    expect(shanghaiTime(null)).toBe('—')
    expect(shanghaiTime('')).toBe('—')
    expect(shanghaiTime('not a time')).toBe('not a time')
  })
})
