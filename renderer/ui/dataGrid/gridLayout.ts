// gridLayout: the arithmetic of the virtualized grid (which rows are visible, how wide each column is).

/** Rows [first, last) to render for a viewport, with `overscan` extra rows each side so fast scrolling shows no gaps. */
export function visibleRowRange(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 8): { first: number; last: number } {
  const first = Math.min(rowCount, Math.max(0, Math.floor(scrollTop / rowHeight) - overscan))
  const last = Math.min(rowCount, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan)
  return { first, last: Math.max(first, last) }
}

/** Column width in px from the longest of header name, type label and sampled cell texts, within [72, 360]. */
export function columnWidth(name: string, type: string, sampleTexts: string[], charWidth = 7.4): number {
  const longest = Math.max(name.length + 2, type.length, ...sampleTexts.map((t) => Math.min(t.length, 60)))
  return Math.round(Math.min(360, Math.max(72, longest * charWidth + 24)))
}

/**
 * Columns [first, last) that intersect the horizontal window [scrollLeft, scrollLeft + width), given each column's
 * left edge in `offsets` (offsets[i] = sum of the widths before column i; offsets has one more entry, the total).
 * One extra column each side keeps fast horizontal scrolling free of gaps.
 */
export function visibleColumnRange(offsets: readonly number[], scrollLeft: number, width: number, overscan = 1): { first: number; last: number } {
  const count = offsets.length - 1
  if (count <= 0) return { first: 0, last: 0 }
  let first = 0
  while (first < count - 1 && offsets[first + 1]! <= scrollLeft) first++
  let last = first
  while (last < count && offsets[last]! < scrollLeft + width) last++
  return { first: Math.max(0, first - overscan), last: Math.min(count, Math.max(last, first + 1) + overscan) }
}

/** The scroll position that brings [start, start + size) into a window of `viewSize` at `scroll`, moving as little as possible. */
export function scrollToReveal(scroll: number, viewSize: number, start: number, size: number): number {
  if (start < scroll) return start
  if (start + size > scroll + viewSize) return Math.max(0, start + size - viewSize)
  return scroll
}
