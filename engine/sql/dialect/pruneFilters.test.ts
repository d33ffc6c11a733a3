// Tests for extracting prunable conjuncts from WHERE clauses.
import { describe, expect, it } from 'vitest'
import { extractPruneFilters } from './pruneFilters'
import { isSignificant, tokenize } from './tokenizer'

const filters = (where: string) => extractPruneFilters(tokenize(where).filter(isSignificant))

describe('extractPruneFilters', () => {
  it('extracts simple conjuncts, flipping literal-first comparisons', () => {
    expect(filters("d = DATE '2024-01-03' AND u.id >= 10 AND 5 > n AND s IN ('a', 'b') AND x IS NOT NULL AND y IS NULL AND f <> -1.5")).toEqual([
      { column: 'd', op: '=', value: '2024-01-03' },
      { qualifier: 'u', column: 'id', op: '>=', value: 10 },
      { column: 'n', op: '<', value: 5 },
      { column: 's', op: 'IN', value: ['a', 'b'] },
      { column: 'x', op: 'IS NOT NULL' },
      { column: 'y', op: 'IS NULL' },
      { column: 'f', op: '!=', value: -1.5 }
    ])
  })

  it('splits BETWEEN and nested parentheses, skips what it does not understand', () => {
    expect(filters('(a BETWEEN 1 AND 3) AND lower(s) = \'x\' AND (b = 2 AND c = 3)')).toEqual([
      { column: 'a', op: '>=', value: 1 },
      { column: 'a', op: '<=', value: 3 },
      { column: 'b', op: '=', value: 2 },
      { column: 'c', op: '=', value: 3 }
    ])
  })

  it('yields nothing for a top-level OR', () => {
    expect(filters('a = 1 OR b = 2')).toEqual([])
    expect(filters('(a = 1 OR b = 2) AND c = 3')).toEqual([{ column: 'c', op: '=', value: 3 }])
  })
})
