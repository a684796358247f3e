import { describe, expect, it } from 'vitest'
import { prefixOf } from './geo'

describe('map regions', () => {
  it('maps a region to the code prefix of its subtree', () => {
    expect(prefixOf('100000')).toBe('')
    expect(prefixOf('330000')).toBe('33')
    expect(prefixOf('330100')).toBe('3301')
    expect(prefixOf('330106')).toBe('330106')
    expect(prefixOf('441900')).toBe('4419')
  })
})
