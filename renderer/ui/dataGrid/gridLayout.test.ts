// Tests for the grid's visible-row window and column widths.
import { describe, expect, it } from 'vitest'
import { columnWidth, scrollToReveal, visibleColumnRange, visibleRowRange } from './gridLayout'

describe('visibleRowRange', () => {
  it('renders only the rows in view plus overscan, even for 200k rows', () => {
    const { first, last } = visibleRowRange(26 * 100_000, 520, 26, 200_000, 8)
    expect(first).toBe(100_000 - 8)
    expect(last).toBe(100_000 + 20 + 8)
  })

  it('clamps at both ends', () => {
    expect(visibleRowRange(0, 520, 26, 5)).toEqual({ first: 0, last: 5 })
    expect(visibleRowRange(1e9, 520, 26, 100)).toEqual({ first: 100, last: 100 })
    expect(visibleRowRange(0, 520, 26, 0)).toEqual({ first: 0, last: 0 })
  })
})

describe('columnWidth', () => {
  it('fits the longest text within the bounds', () => {
    expect(columnWidth('id', 'int', ['1', '22'])).toBe(72)
    expect(columnWidth('name', 'string', ['a fairly long string value'])).toBeGreaterThan(columnWidth('name', 'string', ['short']))
    expect(columnWidth('x', 'string', ['y'.repeat(500)])).toBe(360)
  })
})

describe('visibleColumnRange and scrollToReveal', () => {
  it('renders only the columns in the horizontal window, one extra each side', () => {
    const offsets = [0, 100, 200, 300, 400, 500] // five 100px columns
    expect(visibleColumnRange(offsets, 0, 150)).toEqual({ first: 0, last: 3 })
    expect(visibleColumnRange(offsets, 250, 100)).toEqual({ first: 1, last: 5 })
    expect(visibleColumnRange(offsets, 450, 1000)).toEqual({ first: 3, last: 5 })
    expect(visibleColumnRange([0], 0, 100)).toEqual({ first: 0, last: 0 })
  })

  it('scrolls just enough to show a cell', () => {
    expect(scrollToReveal(100, 200, 50, 26)).toBe(50)
    expect(scrollToReveal(100, 200, 290, 26)).toBe(116)
    expect(scrollToReveal(100, 200, 150, 26)).toBe(100)
  })
})
