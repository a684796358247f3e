import { describe, expect, it } from 'vitest'
import { industryColours, lab } from './mapColours'
import { industries } from './labels'

describe('industry colours on the map', () => {
  it('has one colour per industry, and any two can be told apart (ΔE ≥ 30)', () => {
    expect(Object.keys(industryColours).sort()).toEqual(Object.keys(industries).sort())
    const entries = Object.entries(industryColours)
    for (let i = 0; i < entries.length; i++)
      for (let j = i + 1; j < entries.length; j++) {
        const [a, b] = [lab(entries[i][1]), lab(entries[j][1])]
        const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
        expect(d, `${entries[i][0]} vs ${entries[j][0]}`).toBeGreaterThanOrEqual(30)
      }
  })
})
