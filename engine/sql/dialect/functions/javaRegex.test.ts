// Tests for Java regex handling: inline flags, unsupported constructs, replacement syntax and Java's split rules.
import { describe, expect, it } from 'vitest'
import { groupCount, javaRegex, javaSplit, jsReplacement } from './javaRegex'
import { SparkFunctionError } from './scalarUdf'

describe('javaRegex', () => {
  it('maps leading inline flags and anchors, and counts groups', () => {
    expect(javaRegex('(?i)abc').test('xABCx')).toBe(true)
    expect(groupCount(javaRegex('(\\d+)([a-z]+)'))).toBe(2)
  })

  it('rejects invalid patterns and constructs the JS engine lacks', () => {
    expect(() => javaRegex('(?l)')).toThrow(SparkFunctionError)
    expect(() => javaRegex('a*+')).toThrow(/Possessive/)
  })

  it('translates Java replacement strings', () => {
    expect('ab'.replace(javaRegex('(a)(b)'), jsReplacement('$2\\$$1'))).toBe('b$a')
  })

  it('splits as Java does: trailing empties kept, limit caps pieces, empty pattern splits characters', () => {
    expect(javaSplit('aa1cc2ee3', '[1-9]+', -1)).toEqual(['aa', 'cc', 'ee', ''])
    expect(javaSplit('a,b,c', ',', 2)).toEqual(['a', 'b,c'])
    expect(javaSplit('hello', '', 1)).toEqual(['hello'])
    expect(javaSplit('', '', -1)).toEqual([''])
  })
})
