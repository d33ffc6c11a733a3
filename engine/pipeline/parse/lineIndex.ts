// Turns character offsets of a pipeline file into 1-based line:column locations.
import type { PipelineDiagnostic, SourceLocation } from '../model'

/** Locates offsets in one file's original text; built once per file (binary search over line starts). */
export class LineIndex {
  private readonly lineStarts: number[] = [0]

  constructor(readonly file: string, text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1)
  }

  /** The 1-based line and column of `offset` (clamped to the text). */
  locate(offset: number): SourceLocation {
    let lo = 0
    let hi = this.lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.lineStarts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return { file: this.file, line: lo + 1, column: Math.max(0, offset - this.lineStarts[lo]!) + 1 }
  }
}

/** `file:line:column`, the form every pipeline message uses. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`
}

/** One line for people: `file:line:column: error CODE: message`. */
export function formatDiagnostic(d: PipelineDiagnostic): string {
  return `${formatLocation(d.location)}: ${d.severity} ${d.code}: ${d.message}`
}
