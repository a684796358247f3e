import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { checkChar, checkUscc } from './uscc'

// The same vectors file as the server's unit test (tests/data/uscc_vectors.txt).
const vectors = readFileSync(new URL('../../../tests/data/uscc_vectors.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))

describe('USCC check in the browser', () => {
  it('agrees with the server on every vector', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(15)
    for (const line of vectors) {
      const [kind, ...rest] = line.split(' ')
      if (kind === 'valid') {
        expect(checkUscc(rest.join(' ')), line).toMatchObject({ ok: true })
      } else {
        const [code, expected] = rest.filter((x) => x)
        const r = checkUscc(code)
        expect(r.ok, line).toBe(false)
        if (!r.ok && expected !== '-') expect(r.message).toContain(`应为 ${expected}`)
      }
    }
  })
  it('computes the check character', () => {
    expect(checkChar('91330106MA2H3K8L4')).toBe('A')
    expect(checkChar('91330106MA2H3K8LI')).toBeNull()
  })
})
