// Java regular expressions (what Spark's regexp functions take) compiled for JS, plus Java's split and replacement rules.
import { SparkFunctionError } from './scalarUdf'

const cache = new Map<string, RegExp>()

/**
 * A Java pattern as a JS RegExp (global): leading inline flags `(?i)`, `(?s)`, `(?m)` become JS flags, `\A` / `\z`
 * anchors map to JS ones. Possessive quantifiers and atomic groups have no JS form.
 * @throws SparkFunctionError INVALID_PARAMETER_VALUE.PATTERN when the pattern is invalid or uses them.
 */
export function javaRegex(pattern: string): RegExp {
  let re = cache.get(pattern)
  if (re) return new RegExp(re.source, re.flags)
  let source = pattern
  let flags = 'g'
  const inline = /^\(\?([imsux]+)\)/.exec(source)
  if (inline) {
    for (const f of inline[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f
    source = source.slice(inline[0].length)
  }
  if (/\(\?>|[*+?}]\+/.test(source.replace(/\\./g, ''))) {
    throw new SparkFunctionError(`[INVALID_PARAMETER_VALUE.PATTERN] Possessive quantifiers and atomic groups are not supported: '${pattern}'`)
  }
  source = source.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$')
  try {
    re = new RegExp(source, flags)
  } catch (e) {
    throw new SparkFunctionError(`[INVALID_PARAMETER_VALUE.PATTERN] The regexp '${pattern}' is invalid: ${(e as Error).message}`)
  }
  if (cache.size > 1000) cache.clear()
  cache.set(pattern, re)
  return new RegExp(re.source, re.flags)
}

/** Capturing groups of a pattern. */
export function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1
}

/** Java's Matcher.replaceAll replacement text (`$1`, `${name}`, `\$`) in JS replace syntax. */
export function jsReplacement(java: string): string {
  let out = ''
  for (let i = 0; i < java.length; i++) {
    const ch = java[i]!
    if (ch === '\\' && i + 1 < java.length) {
      const next = java[++i]!
      out += next === '$' ? '$$' : next
    } else if (ch === '$') {
      const named = /^\{(\w+)\}/.exec(java.slice(i + 1))
      if (named) {
        out += `$<${named[1]}>`
        i += named[0].length
      } else if (/\d/.test(java[i + 1] ?? '')) out += '$'
      else throw new SparkFunctionError(`[INVALID_PARAMETER_VALUE] Illegal group reference in replacement '${java}'`)
    } else out += ch
  }
  return out
}

/** Java's String.split(regex, limit) as Spark's split uses it: limit > 0 caps the pieces, otherwise all are kept. */
export function javaSplit(text: string, pattern: string, limit: number): string[] {
  if (pattern === '') {
    // Spark splits into characters for an empty pattern (no trailing empty piece).
    const chars = Array.from(text)
    if (chars.length === 0) return ['']
    if (limit > 0 && chars.length > limit) return [...chars.slice(0, limit - 1), chars.slice(limit - 1).join('')]
    return chars
  }
  const re = javaRegex(pattern)
  const pieces: string[] = []
  let last = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (limit > 0 && pieces.length === limit - 1) break
    if (m[0] === '') {
      re.lastIndex++
      if (m.index === 0 || m.index >= text.length) continue
    }
    pieces.push(text.slice(last, m.index))
    last = m.index + m[0].length
  }
  pieces.push(text.slice(last))
  return pieces
}
