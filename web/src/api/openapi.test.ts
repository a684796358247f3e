import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'

// The typed client is checked against docs/openapi.yaml: every URL the console calls must be an
// endpoint the server documents (and the server's own test keeps that file equal to its router).
const yaml = readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8')
const documented = new Set([...yaml.matchAll(/^ {2}(\/[^:]+):\s*$/gm)].map((m) => m[1]))

function used(): string[] {
  const dir = new URL('./', import.meta.url)
  const out: string[] = []
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const text = readFileSync(new URL(f, dir), 'utf8')
    for (const m of text.matchAll(/[`'](\/api\/v1\/[^`'?]*)[`'?]/g))
      out.push(m[1].replace(/\$\{encodeURIComponent\((\w+)[^}]*\}/g, '{$1}').replace(/\$\{[^}]*\.(\w+)\}/g, '{$1}').replace(/\$\{(\w+)\}/g, '{$1}'))
  }
  return out
}

describe('api client against docs/openapi.yaml', () => {
  it('calls only documented endpoints', () => {
    const paths = used()
    expect(paths.length).toBeGreaterThan(15)
    const normalise = (p: string) => p.replace(/\{[^}]+\}/g, '{}')
    const known = new Set([...documented].map(normalise))
    for (const p of paths) expect(known.has(normalise(p)), p).toBe(true)
  })
})
