// Spark operator semantics at the token level: ANSI division by zero and 0-based array subscripts, plus operand-kind hints.
import { identifierOf, isKeyword, type Token } from '../tokenizer'
import type { TextEdit } from '../textEdits'
import { insertAfter, insertBefore, replaceToken, type SparkMode } from './callSyntax'

const OPEN = new Set(['(', '[', '{'])
const CLOSE = new Set([')', ']', '}'])

/** Significant index of the bracket closing the one at `i`, or -1 when unbalanced. */
export function matchingClose(sig: readonly Token[], i: number): number {
  let depth = 0
  for (let j = i; j < sig.length; j++) {
    if (OPEN.has(sig[j]!.text)) depth++
    else if (CLOSE.has(sig[j]!.text) && --depth === 0) return j
  }
  return -1
}

/** Words that end an operand scan (they start the next clause or operator, never a primary). */
const NOT_PRIMARY = new Set(['AND', 'OR', 'FROM', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'AS', 'THEN', 'ELSE', 'WHEN', 'END', 'IS', 'IN', 'LIKE', 'BETWEEN', 'ON', 'UNION', 'DIV', 'NOT'])

/**
 * Significant index of the last token of the operand starting at `j` (the right operand of a multiplicative
 * operator): unary signs, then a literal, identifier chain, call, parenthesised expression, CASE ... END or typed
 * literal, then postfix `[..]`, `.field` and `::type`. -1 when no operand starts there.
 */
export function operandEnd(sig: readonly Token[], j: number): number {
  let k = j
  while (sig[k]?.text === '-' || sig[k]?.text === '+') k++
  const t = sig[k]
  if (!t) return -1
  if (t.text === '(') k = matchingClose(sig, k)
  else if (isKeyword(t, 'CASE')) {
    let depth = 0
    for (; k < sig.length; k++) {
      if (isKeyword(sig[k], 'CASE')) depth++
      else if (isKeyword(sig[k], 'END') && --depth === 0) break
    }
    if (k >= sig.length) return -1
  } else if (t.kind === 'word' && sig[k + 1]?.text === '(') k = matchingClose(sig, k + 1)
  else if (isKeyword(t, 'DATE', 'TIMESTAMP', 'INTERVAL') && sig[k + 1]?.kind === 'string') {
    k++
    if (isKeyword(t, 'INTERVAL') && sig[k + 1]?.kind === 'word' && !NOT_PRIMARY.has(sig[k + 1]!.value)) k++
  } else if (t.kind === 'number' || t.kind === 'string' || t.kind === 'quotedIdent' || (t.kind === 'word' && !NOT_PRIMARY.has(t.value))) {
    if (t.kind === 'number' && sig[k + 1]?.kind === 'word' && sig[k + 1]!.start === t.end) k++ // 10L, 1.5D
  } else return -1
  if (k < 0) return -1
  for (;;) {
    const next = sig[k + 1]
    if (next?.text === '[' && matchingClose(sig, k + 1) > 0) k = matchingClose(sig, k + 1)
    else if (next?.text === '.' && sig[k + 2] && identifierOf(sig[k + 2]!) !== null) k += 2
    else if (next?.text === '::' && sig[k + 2]?.kind === 'word') {
      k += 2
      if (sig[k + 1]?.text === '(') k = matchingClose(sig, k + 1)
      while (sig[k + 1]?.text === '[' && sig[k + 2]?.text === ']') k += 2
    } else return k
  }
}

/**
 * `a / b`, `a % b`, `a DIV b`: the divisor becomes `__lb_divisor(b)`, which raises DIVIDE_BY_ZERO for zero under
 * ANSI and gives NULL in legacy mode (DuckDB would give Infinity for a floating-point zero).
 */
export function divisorEdits(sig: readonly Token[], i: number): TextEdit[] {
  if (i === 0) return []
  const end = operandEnd(sig, i + 1)
  if (end < 0) return []
  // A non-zero number literal cannot divide by zero: left as written.
  if (end === i + 1 && sig[end]!.kind === 'number' && Number(sig[end]!.value) !== 0) return []
  return [insertBefore(sig[i + 1]!, '__lb_divisor('), insertAfter(sig[end]!, ')')]
}

/** What a collection-valued expression is, when its spelling tells: the call producing it, or a list literal. */
export type CollectionKind = 'array' | 'map' | 'unknown'

const MAP_CALLS = new Set(['MAP', 'MAP_FROM_ARRAYS', 'MAP_FROM_ENTRIES', 'STR_TO_MAP', 'MAP_CONCAT', 'MAP_FILTER', 'TRANSFORM_KEYS', 'TRANSFORM_VALUES', 'MAP_ZIP_WITH'])
const ARRAY_CALLS = new Set([
  'ARRAY', 'SPLIT', 'SEQUENCE', 'SORT_ARRAY', 'COLLECT_LIST', 'COLLECT_SET', 'MAP_KEYS', 'MAP_VALUES', 'SLICE', 'FLATTEN',
  'ARRAYS_ZIP', 'FILTER', 'TRANSFORM', 'ARRAY_REPEAT', 'ARRAY_DISTINCT', 'ARRAY_UNION', 'ARRAY_INTERSECT', 'ARRAY_EXCEPT',
  'ARRAY_REMOVE', 'ARRAY_SORT', 'ARRAY_COMPACT', 'ARRAY_APPEND', 'ARRAY_PREPEND', 'ARRAY_INSERT', 'LIST_VALUE', 'SHUFFLE'
])

/** The kind of the expression spanning `tokens` (whole tokens of one argument or operand). */
export function collectionKind(tokens: readonly Token[]): CollectionKind {
  const first = tokens[0]
  if (!first) return 'unknown'
  if (first.text === '[' && matchingClose(tokens, 0) === tokens.length - 1) return 'array'
  if (isKeyword(first, 'MAP') && tokens[1]?.text === '{') return 'map'
  if (first.kind !== 'word' || tokens[1]?.text !== '(' || matchingClose(tokens, 1) !== tokens.length - 1) return 'unknown'
  return MAP_CALLS.has(first.value) ? 'map' : ARRAY_CALLS.has(first.value) ? 'array' : 'unknown'
}

/** Words after which `[` opens a list literal, not a subscript. */
const BEFORE_LIST_LITERAL = new Set([
  'SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'THEN', 'ELSE', 'WHEN', 'IN', 'ON', 'BY', 'AS', 'ARRAY', 'IS', 'LIKE', 'BETWEEN',
  'HAVING', 'CASE', 'DISTINCT', 'ALL', 'ANY', 'VALUES', 'SET', 'RETURN', 'USING', 'LIMIT', 'QUALIFY', 'FROM'
])

/**
 * Spark's 0-based `base[index]` at the `[` at significant index i. Arrays become `__lb_array_get(base, index)`;
 * when the base's kind is unknown and the index is numeric (a number literal or arithmetic on one), the
 * `__lb_subscript` macro picks map lookup or 0-based array access by the base's type. A string index (a map key), a
 * known map, a slice and an index of unknown type on an unknown base are left as written. Chained subscripts
 * (`a[0][1]`) are handled from the first `[`; returns the edits and the index to continue after.
 */
export function subscriptEdits(sig: readonly Token[], i: number, baseStart: number): { edits: TextEdit[]; next: number } | null {
  const prev = sig[i - 1]
  if (!prev || baseStart < 0 || !(prev.text === ')' || prev.text === ']' || prev.kind === 'quotedIdent' || (prev.kind === 'word' && !BEFORE_LIST_LITERAL.has(prev.value)))) return null
  if (prev.kind === 'word' && sig[i - 2]?.text === '::') return null // `::INT[]` type
  let kind = collectionKind(sig.slice(baseStart, i))
  const edits: TextEdit[] = []
  let opens = ''
  let k = i
  while (sig[k]?.text === '[') {
    const close = matchingClose(sig, k)
    if (close < 0) return null
    const index = sig.slice(k + 1, close)
    if (index.length === 0 || index.some((t) => t.text === ':' || t.text === ',')) break
    const stringIndex = index.some((t) => t.kind === 'string')
    const numericIndex = index.some((t) => t.kind === 'number') && index.every((t) => t.kind === 'number' || ['+', '-', '*', '(', ')'].includes(t.text))
    const macro = kind === 'map' || stringIndex ? null : kind === 'array' ? '__lb_array_get' : numericIndex ? '__lb_subscript' : null
    if (!macro) break
    opens = `${macro}(${opens}`
    edits.push(replaceToken(sig[k]!, ', '), replaceToken(sig[close]!, ')'))
    kind = 'unknown'
    k = close + 1
  }
  if (edits.length === 0) return null
  return { edits: [insertBefore(sig[baseStart]!, opens), ...edits], next: k - 1 }
}

/** Macros behind the operator rewrites for a mode. */
export function operatorMacros(mode: SparkMode): string[] {
  const outOfBounds = mode === 'ansi'
    ? `error('[INVALID_ARRAY_INDEX] The index ' || CAST(i AS VARCHAR) || ' is out of bounds. The array has ' || CAST(json_array_length(to_json(a)) AS VARCHAR) || ' elements. Use the SQL function get() to tolerate accessing element at invalid index and return NULL instead.')`
    : 'NULL'
  return [
    `__lb_divisor(b) AS CASE WHEN b = 0 THEN ${mode === 'ansi' ? `error('[DIVIDE_BY_ZERO] Division by zero. Use try_divide to tolerate divisor being 0 and return NULL instead. If necessary set "spark.sql.ansi.enabled" to "false" to bypass this error.')` : 'NULL'} ELSE b END`,
    `__lb_array_get(a, i) AS CASE WHEN a IS NULL OR i IS NULL THEN NULL WHEN i < 0 OR i >= len(a) THEN ${outOfBounds} ELSE a[i + 1] END`,
    // Bound for both arrays and maps: no len() (maps reject it); the JSON length is only computed for a NULL element.
    `__lb_subscript(a, i) AS CASE WHEN typeof(a) LIKE 'MAP(%' THEN a[i] WHEN a IS NULL OR i IS NULL THEN NULL WHEN i < 0 THEN ${outOfBounds}
      WHEN a[i + 1] IS NOT NULL THEN a[i + 1] WHEN i >= json_array_length(to_json(a)) THEN ${outOfBounds} ELSE NULL END`
  ]
}
