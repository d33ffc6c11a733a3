// `${key}` placeholder substitution for pipeline SQL, with a map back to the original offsets for error locations.

export interface UnresolvedPlaceholder {
  /** The key inside `${...}`. */
  key: string
  /** Offset of the `$` in the original text. */
  offset: number
}

export interface PlaceholderSubstitution {
  /** The text with every resolvable placeholder replaced. */
  text: string
  unresolved: UnresolvedPlaceholder[]
  /** Maps an offset in `text` back to the original text (inside a substituted value: the placeholder's `$`). */
  toOriginalOffset(offset: number): number
}

interface Replacement {
  newStart: number
  newEnd: number
  originalStart: number
  originalEnd: number
}

const PLACEHOLDER = /\$\{([^{}\s]+)\}/g

/**
 * Replaces `${key}` with `configuration[key]` everywhere in `text` except inside the `skip` ranges (comments: a
 * commented-out placeholder must not fail the pipeline). Keys that are not configured are left as written and
 * reported in `unresolved`; the caller decides whether that is an error. Never throws.
 */
export function substitutePlaceholders(
  text: string,
  configuration: Readonly<Record<string, string>>,
  skip: readonly { start: number; end: number }[] = []
): PlaceholderSubstitution {
  const replacements: Replacement[] = []
  const unresolved: UnresolvedPlaceholder[] = []
  let out = ''
  let copiedTo = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    const start = match.index
    const end = start + match[0].length
    if (skip.some((r) => start >= r.start && start < r.end)) continue
    const key = match[1]!
    if (!Object.prototype.hasOwnProperty.call(configuration, key)) {
      unresolved.push({ key, offset: start })
      continue
    }
    out += text.slice(copiedTo, start)
    const value = configuration[key]!
    replacements.push({ newStart: out.length, newEnd: out.length + value.length, originalStart: start, originalEnd: end })
    out += value
    copiedTo = end
  }
  out += text.slice(copiedTo)
  const toOriginalOffset = (offset: number): number => {
    let shift = 0
    for (const r of replacements) {
      if (offset < r.newStart) break
      if (offset < r.newEnd) return r.originalStart
      shift = r.originalEnd - r.newEnd
    }
    return offset + shift
  }
  return { text: out, unresolved, toOriginalOffset }
}
