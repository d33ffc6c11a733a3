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
