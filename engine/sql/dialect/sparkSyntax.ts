// Spark SQL spellings DuckDB lacks, as token edits: function calls (per-family rewrites), literals, operators, JSON paths.
import { identifierOf, isKeyword, isSignificant, type Token } from './tokenizer'
import type { TextEdit } from './textEdits'
import { callAt, insertBefore, replaceToken, type SparkMode } from './functions/callSyntax'
import { numberSuffixEdit } from './functions/cast'
import { INPUT_FILE_NAME_COLUMN } from './functions/hashMisc'
import { jsonPathOf } from './functions/json'
import { zonedTimestampSql } from './functions/timestampLiteral'
import { divisorEdits, subscriptEdits } from './functions/operators'
import { CALL_REWRITES, sparkMacroSql as familyMacroSql } from './functions/sparkFunctions'

/** What the rewrites need to know about the session. */
export interface SparkSyntaxOptions {
  mode?: SparkMode
  /** Relations (lower-case) whose rows carry `__input_file_name`. */
  inputFileSources?: ReadonlySet<string>
}

/** SQL that defines the Spark function macros of a mode (ANSI unless given) in a DuckDB session (idempotent). */
export function sparkMacroSql(mode: SparkMode = 'ansi'): string {
  return familyMacroSql(mode)
}

/** Spark type names DuckDB does not know, in typed literals and after `::`. */
const SPARK_TYPE_NAMES: Record<string, string> = { TIMESTAMP_NTZ: 'TIMESTAMP', TIMESTAMP_LTZ: 'TIMESTAMPTZ', BYTE: 'TINYINT' }

function isTypePosition(sig: readonly Token[], i: number): boolean {
  return sig[i + 1]?.kind === 'string' || (sig[i + 1]?.kind === 'quotedIdent' && !sig[i + 1]!.backtick) || sig[i - 1]?.text === '::' || (isKeyword(sig[i - 1], 'AS') && sig[i + 1]?.text === ')')
}

/**
 * `LATERAL VIEW [OUTER] explode(e) t [AS] c` -> `CROSS JOIN LATERAL (SELECT explode(e) AS c) t` (LEFT JOIN ... ON true
 * for OUTER); the explode call itself is rewritten by the call edits.
 */
function lateralViewEdits(sig: readonly Token[], i: number): TextEdit[] {
  let j = i + 2
  const outer = isKeyword(sig[j], 'OUTER') ? sig[j++] : undefined
  const call = sig[j] && isKeyword(sig[j], 'EXPLODE', 'POSEXPLODE') ? callAt(sig, j) : null
  if (!call) return []
  let k = sig.indexOf(call.close) + 1
  const alias = sig[k]
  if (!alias || identifierOf(alias) === null || isKeyword(alias, 'AS')) return []
  const as = isKeyword(sig[k + 1], 'AS') ? sig[++k] : undefined
  const column = sig[k + 1]
  if (!column || identifierOf(column) === null) return []
  // Two columns (a map's key/value, posexplode's position/element) become the generator's `AS (a, b)`.
  const second = sig[k + 2]?.text === ',' ? sig[k + 3] : undefined
  if (sig[k + 2]?.text === ',' && (!second || identifierOf(second) === null || sig[k + 4]?.text === ',')) return []
  const last = second ?? column
  return [
    replaceToken(sig[i]!, `${outer ? 'LEFT' : 'CROSS'} JOIN LATERAL (SELECT`), replaceToken(sig[i + 1]!, ''), ...(outer ? [replaceToken(outer, '')] : []),
    replaceToken(alias, ''),
    // The generator names two columns itself (see the collection family); one column is aliased here.
    ...(second ? [{ start: (as ?? column).start, end: second.end, text: '' }] : as ? [] : [{ start: column.start, end: column.start, text: 'AS ' }]),
    { start: last.end, end: last.end, text: `) ${alias.text}${outer ? ' ON true' : ''}` }
  ]
}

/** Index of the first token of the operand that ends at significant index `end` (an identifier chain or a call). */
function operandStart(sig: readonly Token[], end: number): number {
  let i = end
  if (sig[i]?.text === ')' || sig[i]?.text === ']') {
    const close = sig[i]!.text
    const open = close === ')' ? '(' : '['
    let depth = 0
    for (; i >= 0; i--) {
      if (sig[i]!.text === close) depth++
      else if (sig[i]!.text === open && --depth === 0) break
    }
    if (i > 0 && sig[i - 1]!.kind === 'word') i--
  }
  while (i >= 2 && sig[i - 1]!.text === '.' && identifierOf(sig[i - 2]!) !== null) i -= 2
  return i
}

/** Start of the subscripted operand ending at `end`, or -1 when `[` there opens a list literal (`SELECT [1][1]` has no base). */
function subscriptBaseStart(sig: readonly Token[], end: number): number {
  const start = operandStart(sig, end)
  const first = sig[start]
  if (first?.kind === 'word' && sig[start + 1]?.text === '[') return isKeyword(first, 'SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'THEN', 'ELSE', 'WHEN', 'IN', 'BY', 'AS', 'ARRAY', 'IS', 'VALUES', 'RETURN', 'HAVING', 'ON') ? start + 1 : start
  return start
}

/** `col:a.b[0]` (Databricks JSON path on a STRING column) -> `__lb_get_json_object(col, '$.a.b[0]')`. */
function jsonPathEdits(sig: readonly Token[], i: number): { edits: TextEdit[]; next: number } | null {
  const prev = sig[i - 1]
  if (!prev || !(prev.kind === 'quotedIdent' || prev.text === ')' || prev.text === ']' || (prev.kind === 'word' && !isKeyword(prev, 'SELECT', 'THEN', 'ELSE', 'WHEN', 'AND', 'OR', 'NOT', 'LAMBDA')))) return null
  if (isKeyword(sig[i - 2], 'LAMBDA')) return null
  const path: Token[] = []
  let j = i + 1
  for (;;) {
    const t = sig[j]
    if (!t) break
    if (path.length === 0 || path[path.length - 1]!.text === '.') {
      if (t.kind === 'word' || t.kind === 'quotedIdent') path.push(t)
      else if (t.text === '[') {
        if (sig[j + 2]?.text !== ']') return null
        path.push(t, sig[j + 1]!, sig[j + 2]!)
        j += 2
      } else return null
    } else if (t.text === '.') path.push(t)
    else if (t.text === '[' && sig[j + 2]?.text === ']' && t.start === path[path.length - 1]!.end) {
      path.push(t, sig[j + 1]!, sig[j + 2]!)
      j += 2
    } else break
    j++
  }
  if (path.length === 0 || path[path.length - 1]!.text === '.') return null
  const start = operandStart(sig, i - 1)
  const last = path[path.length - 1]!
  return {
    edits: [insertBefore(sig[start]!, '__lb_get_json_object('), { start: sig[i]!.start, end: last.end, text: `, '${jsonPathOf(path).replace(/'/g, "''")}')` }],
    next: j - 1
  }
}

/** Spark's backslash escapes in string literals (`'\\d'` is `\d`, `'\t'` a tab); an unknown escape drops the backslash. */
export function unescapeSparkString(raw: string): string {
  const simple: Record<string, string> = { b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '0': '\0', '%': '\\%', _: '\\_' }
  return raw.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16))
    return simple[c] ?? c
  })
}

/** A string token (or a Spark "double-quoted" string) as a DuckDB literal, with Spark's escapes applied. */
function sparkStringLiteral(t: Token): string | null {
  if (t.kind === 'string' && t.text.startsWith("'") && t.text.includes('\\')) return `'${unescapeSparkString(t.value).replace(/'/g, "''")}'`
  if (t.kind === 'quotedIdent' && !t.backtick) return `'${unescapeSparkString(t.value).replace(/'/g, "''")}'`
  return null
}

/** Positions where Spark reads "text" as a string literal and DuckDB would read an identifier: call arguments, comparisons, typed literals. */
function isDoubleQuotedValue(sig: readonly Token[], i: number): boolean {
  const prev = sig[i - 1]
  const next = sig[i + 1]
  if (next?.text === '.' || prev?.text === '.' || isKeyword(prev, 'AS')) return false
  return prev !== undefined && (prev.text === '(' || prev.text === ',' || COMPARISON.has(prev.text) || isKeyword(prev, 'DATE', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'TIMESTAMP_NTZ', 'INTERVAL')) &&
    next !== undefined && (next.text === ')' || next.text === ',' || COMPARISON.has(next.text) || isKeyword(next, 'AND', 'OR', 'FROM', 'FOR', 'IN') || (prev.text === '(' && isKeyword(next, 'AS')))
}

const COMPARISON = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>'])

/** A string literal compared with a number literal is cast the way Spark coerces it. */
function comparisonLiteralEdit(sig: readonly Token[], i: number, mode: SparkMode): TextEdit | null {
  const op = sig[i]!
  const [left, right] = [sig[i - 1], sig[i + 1]]
  if (!left || !right || sig[i - 2]?.text === '-' || sig[i + 2]?.text === '::') return null
  const pair = left.kind === 'number' && right.kind === 'string' ? { number: left, text: right } : left.kind === 'string' && right.kind === 'number' ? { number: right, text: left } : null
  if (!pair || !COMPARISON.has(op.text)) return null
  if (pair.number.value.includes('.') || /e/i.test(pair.number.value)) return replaceToken(pair.text, `CAST(${pair.text.text} AS DOUBLE)`)
  return replaceToken(pair.text, mode === 'ansi' ? `CAST(__lb_int_text(${pair.text.text}, 0) AS BIGINT)` : `TRY_CAST(__lb_int_text(${pair.text.text}, 1) AS BIGINT)`)
}

/** True when the statement reads a relation carrying the input file name column (or names the column itself). */
function readsFileNames(sig: readonly Token[], sources: ReadonlySet<string> | undefined): boolean {
  return sig.some((t) => {
    const id = identifierOf(t)
    return id !== null && (id.toLowerCase() === INPUT_FILE_NAME_COLUMN || (sources?.has(id.toLowerCase()) ?? false))
  })
}

/**
 * Edits that turn Spark-only spellings into DuckDB's: every Spark function the families rewrite (see
 * functions/sparkFunctions), `* EXCEPT (cols)`, `X'0AFF'`, numeric suffixes (`10L`, `1.5D`), `a DIV b`, `AS null`
 * aliases, Spark type names in literals, TIMESTAMP literals with a zone suffix, `LATERAL VIEW [OUTER] explode|posexplode`, `col:json.path`, and string
 * literals compared with number literals. Everything else is left exactly as written. Edits never overlap: an edit
 * that would overlap an earlier one (for example a call inside a CAST target type) is dropped.
 */
export function sparkSyntaxEdits(tokens: readonly Token[], options: SparkSyntaxOptions = {}): TextEdit[] {
  const mode = options.mode ?? 'ansi'
  const sig = tokens.filter(isSignificant)
  const edits: TextEdit[] = []
  const fileNameColumn = readsFileNames(sig, options.inputFileSources)
  const add = (more: readonly TextEdit[]): void => {
    for (const e of more) {
      const overlaps = edits.some((x) => (e.start < x.end && x.start < e.end) || (e.start === e.end && x.start < e.start && e.start < x.end))
      if (!overlaps) edits.push(e)
    }
  }
  const bracketDepth: string[] = []
  /** Start offsets of `[` tokens already rewritten as part of a chained subscript. */
  const subscripted = new Set<number>()
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i]!
    if (t.text === '(' || t.text === '[' || t.text === '{') bracketDepth.push(t.text)
    else if (t.text === ')' || t.text === ']' || t.text === '}') bracketDepth.pop()
    if (t.text === '[' && i > 0 && !subscripted.has(t.start)) {
      const subscript = subscriptEdits(sig, i, subscriptBaseStart(sig, i - 1))
      if (subscript) {
        add(subscript.edits)
        for (const e of subscript.edits) if (e.text === ', ') subscripted.add(e.start)
      }
    } else if (t.kind === 'op' && (t.text === '/' || t.text === '%' || t.text === '//')) {
      add(divisorEdits(sig, i))
    } else if (isKeyword(t, 'LATERAL') && isKeyword(sig[i + 1], 'VIEW')) {
      add(lateralViewEdits(sig, i))
    } else if (isKeyword(t, 'EXCEPT') && sig[i - 1]?.text === '*' && sig[i + 1]?.text === '(' && !isKeyword(sig[i + 2], 'SELECT', 'WITH', 'FROM', 'VALUES')) {
      add([replaceToken(t, 'EXCLUDE')])
    } else if (t.kind === 'word' && t.value === 'X' && sig[i + 1]?.kind === 'string' && sig[i + 1]!.start === t.end) {
      add([{ start: t.start, end: sig[i + 1]!.end, text: `from_hex(${sig[i + 1]!.text})` }])
      i++
    } else if (t.kind === 'number') {
      const suffix = numberSuffixEdit(t, sig[i + 1])
      if (suffix) {
        add([suffix])
        i++
      } else if (COMPARISON.has(sig[i + 1]?.text ?? '')) {
        const e = comparisonLiteralEdit(sig, i + 1, mode)
        if (e) add([e])
      }
    } else if (t.kind === 'string' && COMPARISON.has(sig[i + 1]?.text ?? '')) {
      const e = comparisonLiteralEdit(sig, i + 1, mode)
      if (e) add([e])
    } else if (t.kind === 'string' || (t.kind === 'quotedIdent' && !t.backtick && isDoubleQuotedValue(sig, i))) {
      const literal = sparkStringLiteral(t)
      if (literal !== null) add([replaceToken(t, literal)])
    } else if (isKeyword(t, 'DIV') && sig[i + 1]?.text !== '(' && i > 0) {
      add([replaceToken(t, '//'), ...divisorEdits(sig, i)])
    } else if (isKeyword(t, 'NULL') && isKeyword(sig[i - 1], 'AS') && sig[i + 1]?.text !== ')') {
      add([replaceToken(t, '"null"')])
    } else if (t.kind === 'op' && t.text === ':' && !bracketDepth.some((b) => b !== '(') && sig[i + 1]?.text !== '=') {
      const json = jsonPathEdits(sig, i)
      if (json) {
        add(json.edits)
        i = json.next
      }
    } else if (isKeyword(t, 'TIMESTAMP', 'TIMESTAMP_LTZ') && sig[i + 1]?.kind === 'string' && zonedTimestampSql(sig[i + 1]!.value) !== null) {
      add([{ start: t.start, end: sig[i + 1]!.end, text: zonedTimestampSql(sig[i + 1]!.value)! }])
      i++
    } else if (t.kind === 'word' && t.value in SPARK_TYPE_NAMES && isTypePosition(sig, i)) {
      add([replaceToken(t, SPARK_TYPE_NAMES[t.value]!)])
    } else if (t.kind === 'word' && sig[i + 1]?.text === '(') {
      const rewrite = CALL_REWRITES[t.value]
      const call = rewrite ? callAt(sig, i) : null
      if (call) add(rewrite!(call, { mode, sig, index: i, fileNameColumn }) ?? [])
    }
  }
  return edits
}
