// Extracts simple conjuncts (col op literal, col IN (...), col IS [NOT] NULL, BETWEEN) from a WHERE clause for file pruning.
import { identifierOf, isKeyword, type Token } from './tokenizer'

export type PruneValue = string | number | boolean | null
export interface ExtractedFilter {
  /** Table alias or name the column was qualified with, if any. */
  qualifier?: string
  column: string
  op: '=' | '<' | '<=' | '>' | '>=' | '!=' | 'IS NULL' | 'IS NOT NULL' | 'IN'
  value?: PruneValue | Exclude<PruneValue, null>[]
}

const FLIP: Record<string, ExtractedFilter['op']> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=', '!=': '!=', '<>': '!=', '==': '=' }

/**
 * The conjuncts of `where` (significant tokens) that are simple comparisons of a column with literals. Only a
 * top-level AND chain is split; a top-level OR yields nothing, since no single conjunct is then implied.
 * Anything not understood is left out, which is always safe: pruning only ever keeps more files.
 */
export function extractPruneFilters(where: readonly Token[]): ExtractedFilter[] {
  const conjuncts = splitTopLevelAnd(where)
  if (conjuncts === null) return []
  const filters: ExtractedFilter[] = []
  for (const c of conjuncts) filters.push(...parseConjunct(c))
  return filters
}

/** Splits on top-level AND (BETWEEN's AND excluded); null when a top-level OR makes the split unsound. */
function splitTopLevelAnd(tokens: readonly Token[]): Token[][] | null {
  const parts: Token[][] = []
  let current: Token[] = []
  let depth = 0
  let pendingBetween = 0
  for (const t of tokens) {
    if (t.text === '(') depth++
    else if (t.text === ')') depth--
    if (depth === 0 && isKeyword(t, 'OR')) return null
    if (depth === 0 && isKeyword(t, 'BETWEEN')) pendingBetween++
    if (depth === 0 && isKeyword(t, 'AND')) {
      if (pendingBetween > 0) {
        pendingBetween--
      } else {
        parts.push(current)
        current = []
        continue
      }
    }
    current.push(t)
  }
  parts.push(current)
  // Strip redundant parentheses around a whole conjunct: ((a = 1)) AND ...
  return parts.flatMap((p) => {
    let q = p
    while (q.length >= 2 && q[0]!.text === '(' && q[q.length - 1]!.text === ')' && closesAtEnd(q)) q = q.slice(1, -1)
    if (q !== p) return splitTopLevelAnd(q) ?? []
    return [q]
  })
}

function closesAtEnd(tokens: readonly Token[]): boolean {
  let depth = 0
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k]!.text === '(') depth++
    else if (tokens[k]!.text === ')') depth--
    if (depth === 0 && k < tokens.length - 1) return false
  }
  return true
}

/** Parses [qualifier.]column at the start of tokens; returns it and the tokens consumed. */
function parseColumn(tokens: readonly Token[], at: number): { qualifier?: string; column: string; next: number } | null {
  const a = tokens[at]
  if (!a || identifierOf(a) === null || (a.kind === 'word' && ['NOT', 'NULL', 'TRUE', 'FALSE', 'DATE', 'TIMESTAMP', 'CAST', 'INTERVAL'].includes(a.value))) return null
  if (tokens[at + 1]?.text === '.' && tokens[at + 2] && identifierOf(tokens[at + 2]!) !== null) {
    if (tokens[at + 3]?.text === '.') return null
    return { qualifier: identifierOf(a)!, column: identifierOf(tokens[at + 2]!)!, next: at + 3 }
  }
  if (tokens[at + 1]?.text === '(') return null
  return { column: identifierOf(a)!, next: at + 1 }
}

/** Parses a literal at `at`: numbers (with sign), strings, booleans, DATE/TIMESTAMP 'x'. */
function parseLiteral(tokens: readonly Token[], at: number): { value: PruneValue; next: number } | null {
  const t = tokens[at]
  if (!t) return null
  if (t.kind === 'number') return { value: Number(t.value), next: at + 1 }
  if ((t.text === '-' || t.text === '+') && tokens[at + 1]?.kind === 'number') {
    const n = Number(tokens[at + 1]!.value)
    return { value: t.text === '-' ? -n : n, next: at + 2 }
  }
  if (t.kind === 'string') return { value: t.value, next: at + 1 }
  if (isKeyword(t, 'TRUE', 'FALSE')) return { value: t.value === 'TRUE', next: at + 1 }
  if (isKeyword(t, 'DATE', 'TIMESTAMP', 'TIMESTAMP_NTZ', 'TIMESTAMPTZ') && tokens[at + 1]?.kind === 'string') return { value: tokens[at + 1]!.value, next: at + 2 }
  return null
}

function parseConjunct(tokens: readonly Token[]): ExtractedFilter[] {
  const col = parseColumn(tokens, 0)
  if (col) {
    const { qualifier, column } = col
    const base = qualifier === undefined ? { column } : { qualifier, column }
    let k = col.next
    const opTok = tokens[k]
    if (isKeyword(opTok, 'IS')) {
      if (isKeyword(tokens[k + 1], 'NULL') && k + 2 === tokens.length) return [{ ...base, op: 'IS NULL' }]
      if (isKeyword(tokens[k + 1], 'NOT') && isKeyword(tokens[k + 2], 'NULL') && k + 3 === tokens.length) return [{ ...base, op: 'IS NOT NULL' }]
      return []
    }
    if (isKeyword(opTok, 'IN') && tokens[k + 1]?.text === '(') {
      const values: Exclude<PruneValue, null>[] = []
      k += 2
      for (;;) {
        const lit = parseLiteral(tokens, k)
        if (!lit || lit.value === null) return []
        values.push(lit.value)
        k = lit.next
        if (tokens[k]?.text === ',') k++
        else if (tokens[k]?.text === ')' && k + 1 === tokens.length) return [{ ...base, op: 'IN', value: values }]
        else return []
      }
    }
    if (isKeyword(opTok, 'BETWEEN')) {
      const low = parseLiteral(tokens, k + 1)
      if (!low || !isKeyword(tokens[low.next], 'AND')) return []
      const high = parseLiteral(tokens, low.next + 1)
      if (!high || high.next !== tokens.length) return []
      return [{ ...base, op: '>=', value: low.value }, { ...base, op: '<=', value: high.value }]
    }
    const op = opTok && opTok.kind === 'op' ? FLIP[opTok.text] : undefined
    if (op) {
      const lit = parseLiteral(tokens, k + 1)
      if (lit && lit.next === tokens.length && lit.value !== null) {
        // FLIP maps operators to themselves except '<>'/'==', which normalise.
        const normal = opTok!.text === '<>' ? '!=' : opTok!.text === '==' ? '=' : (opTok!.text as ExtractedFilter['op'])
        return [{ ...base, op: normal, value: lit.value }]
      }
    }
    return []
  }
  // literal op column
  const lit = parseLiteral(tokens, 0)
  if (lit && lit.value !== null) {
    const opTok = tokens[lit.next]
    const op = opTok && opTok.kind === 'op' ? FLIP[opTok.text] : undefined
    const right = parseColumn(tokens, lit.next + 1)
    if (op && right && right.next === tokens.length) {
      return [{ ...(right.qualifier === undefined ? {} : { qualifier: right.qualifier }), column: right.column, op, value: lit.value }]
    }
  }
  return []
}
