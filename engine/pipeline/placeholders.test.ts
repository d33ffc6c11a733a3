// Placeholder substitution: values, unresolved keys, skipped comments and the offset map back to the original text.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { substitutePlaceholders } from './placeholders'

describe('substitutePlaceholders', () => {
  it('replaces configured keys, reports the others at their offset, and skips the given ranges', () => {
    const text = "SELECT * FROM ${catalog}.${schema}.t WHERE p = '${path}/x' -- ${ignored}"
    const comment = text.indexOf('--')
    const r = substitutePlaceholders(text, { schema: 'bronze', path: 'landing' }, [{ start: comment, end: text.length }])
    expect(r.text).toBe("SELECT * FROM ${catalog}.bronze.t WHERE p = 'landing/x' -- ${ignored}")
    expect(r.unresolved).toEqual([{ key: 'catalog', offset: text.indexOf('${catalog}') }])
  })

  it('maps offsets after, before and inside substituted values back to the original text', () => {
    const text = 'a ${long_key} b ${k} c'
    const r = substitutePlaceholders(text, { long_key: 'X', k: 'a much longer value' })
    expect(r.text).toBe('a X b a much longer value c')
    expect(r.toOriginalOffset(0)).toBe(0)
    expect(r.toOriginalOffset(r.text.indexOf('X'))).toBe(text.indexOf('${long_key}'))
    expect(r.toOriginalOffset(r.text.indexOf('b'))).toBe(text.indexOf('b'))
    expect(r.toOriginalOffset(r.text.indexOf('longer'))).toBe(text.indexOf('${k}'))
    expect(r.toOriginalOffset(r.text.lastIndexOf('c'))).toBe(text.lastIndexOf('c'))
  })

  it('maps every character outside substituted values to the same character of the original (property)', () => {
    const piece = fc.oneof(fc.stringMatching(/^[a-z .,'()]{0,6}$/), fc.constantFrom('${a}', '${bb}', '${missing}'))
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (pieces, a, bb) => {
        const text = pieces.join('')
        const r = substitutePlaceholders(text, { a, bb })
        // characters that came from the original (not from a value) map back to themselves
        let k = 0
        for (const p of pieces) {
          const value = p === '${a}' ? a : p === '${bb}' ? bb : undefined
          if (value === undefined) {
            for (let c = 0; c < p.length; c++) expect(text[r.toOriginalOffset(k + c)]).toBe(r.text[k + c])
            k += p.length
          } else {
            if (value.length > 0) expect(text.startsWith('${', r.toOriginalOffset(k))).toBe(true)
            k += value.length
          }
        }
        expect(k).toBe(r.text.length)
      })
    )
  })
})
