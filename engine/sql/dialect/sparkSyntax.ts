// Spark SQL expressions DuckDB spells differently: token edits (SELECT * EXCEPT, X'..', named_struct, map, ...) and session macros.
import { identifierOf, isKeyword, isSignificant, type Token } from './tokenizer'
import type { TextEdit } from './textEdits'

/**
 * Spark functions DuckDB lacks, as temporary macros. Names that DuckDB already uses with other arguments
 * (date_sub, date_add, datediff) get private names and are reached through the token edits below, so DuckDB's own
 * forms keep working.
 */
const SPARK_MACROS = [
  'nvl(a, b) AS coalesce(a, b)',
  'nvl2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END',
  'collect_list(x) AS list(x)',
  'collect_set(x) AS list(DISTINCT x)',
  'size(x) AS coalesce(len(x), -1)',
  'to_date(x) AS CAST(x AS DATE)',
  '__lb_date_sub(d, n) AS CAST(d AS DATE) - CAST(n AS INTEGER)',
  '__lb_date_add(d, n) AS CAST(d AS DATE) + CAST(n AS INTEGER)',
  '__lb_datediff(e, s) AS CAST(e AS DATE) - CAST(s AS DATE)'
]

/** SQL that defines the Spark function macros in a DuckDB session (idempotent). */
export function sparkMacroSql(): string {
  return SPARK_MACROS.map((m) => `CREATE OR REPLACE TEMP MACRO ${m};`).join('\n')
}

interface Call {
  name: Token
  open: Token
  close: Token
  /** Top-level argument tokens (significant only), and the commas between them. */
  args: Token[][]
  commas: Token[]
}

/** The call whose name is at significant index i (`name (`), with its arguments split at top-level commas. */
function callAt(sig: readonly Token[], i: number): Call | null {
  const name = sig[i]!
  const open = sig[i + 1]
  if (name.kind !== 'word' || open?.text !== '(' || sig[i - 1]?.text === '.') return null
  const args: Token[][] = [[]]
  const commas: Token[] = []
  let depth = 0
  for (let j = i + 2; j < sig.length; j++) {
    const t = sig[j]!
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      if (depth === 0) {
        if (t.text !== ')') return null
        return { name, open, close: t, args: args[0]!.length === 0 && args.length === 1 ? [] : args, commas }
      }
      depth--
    }
    if (depth === 0 && t.text === ',') {
      commas.push(t)
      args.push([])
    } else args[args.length - 1]!.push(t)
  }
  return null
}

const replace = (t: Token, text: string): TextEdit => ({ start: t.start, end: t.end, text })

/** Java DateTimeFormatter letters (Spark's date_format) -> strftime, longest run first. */
const PATTERN_LETTERS: [string, string][] = [
  ['yyyy', '%Y'], ['yy', '%y'], ['y', '%Y'], ['MMMM', '%B'], ['MMM', '%b'], ['MM', '%m'], ['M', '%-m'], ['dd', '%d'], ['d', '%-d'],
  ['HH', '%H'], ['H', '%-H'], ['hh', '%I'], ['h', '%-I'], ['mm', '%M'], ['m', '%-M'], ['ss', '%S'], ['s', '%-S'],
  ['SSSSSS', '%f'], ['SSS', '%g'], ['a', '%p'], ['EEEE', '%A'], ['EEE', '%a'], ['E', '%a'], ['DDD', '%j'], ['D', '%-j'],
  ['XXX', '%z'], ['Z', '%z'], ['z', '%Z']
]

/** A Spark (Java) date pattern such as `yyyy-MM-dd'T'HH:mm` as a strftime pattern (`%Y-%m-%dT%H:%M`). */
export function strftimePattern(java: string): string {
  let out = ''
  for (let i = 0; i < java.length; ) {
    const ch = java[i]!
    if (ch === "'") {
      // Quoted literal text; '' is a single quote.
      const close = java.indexOf("'", i + 1)
      const literal = close < 0 ? java.slice(i + 1) : java.slice(i + 1, close)
      out += literal === '' ? "'" : literal.replace(/%/g, '%%')
      i = close < 0 ? java.length : close + 1
      continue
    }
    const letter = PATTERN_LETTERS.find(([p]) => java.startsWith(p, i))
    if (letter && /[A-Za-z]/.test(ch)) {
      out += letter[1]
      i += letter[0].length
    } else {
      out += ch === '%' ? '%%' : ch
      i++
    }
  }
  return out
}

/** Edits for one Spark call DuckDB lacks, or none. Each edit replaces one token, so edits never overlap. */
function callEdits(call: Call): TextEdit[] {
  const fn = call.name.value
  const n = call.args.length
  if ((fn === 'CURRENT_TIMESTAMP' || fn === 'CURRENT_DATE') && n === 0) {
    // DuckDB has these as keywords only.
    return [replace(call.open, ''), replace(call.close, '')]
  }
  if (fn === 'NAMED_STRUCT' && n > 0 && n % 2 === 0 && call.args.every((a, k) => k % 2 === 1 || (a.length === 1 && a[0]!.kind === 'string'))) {
    const edits = [replace(call.name, 'struct_pack')]
    for (let k = 0; k < n; k += 2) {
      edits.push(replace(call.args[k]![0]!, `"${call.args[k]![0]!.value.replace(/"/g, '""')}"`), replace(call.commas[k]!, ' :='))
    }
    return edits
  }
  if (fn === 'ARRAY' && !isKeyword(call.args[0]?.[0], 'SELECT', 'WITH', 'FROM', 'VALUES')) {
    // Spark's array(a, b) builds a list; DuckDB's ARRAY(...) is a subquery constructor.
    return [replace(call.name, 'list_value')]
  }
  if (fn === 'MAP' && n > 0 && n % 2 === 0 && !(n === 2 && call.args[0]![0]?.text === '[')) {
    // Spark's map(k1, v1, k2, v2) becomes DuckDB's MAP {k1: v1, k2: v2}; DuckDB's map([keys], [values]) is left alone.
    return [replace(call.name, 'MAP'), replace(call.open, ' {'), replace(call.close, '}'), ...call.commas.map((c, k) => replace(c, k % 2 === 0 ? ':' : ','))]
  }
  if ((fn === 'DATE_SUB' || fn === 'DATE_ADD' || fn === 'DATEDIFF') && n === 2) {
    return [replace(call.name, `__lb_${fn.toLowerCase()}`)]
  }
  if (fn === 'DATE_FORMAT' && n === 2 && call.args[1]!.length === 1 && call.args[1]![0]!.kind === 'string') {
    const pattern = call.args[1]![0]!
    return [replace(call.name, 'strftime'), replace(pattern, `'${strftimePattern(pattern.value).replace(/'/g, "''")}'`)]
  }
  if (fn === 'EXPLODE' && n === 1) return [replace(call.name, 'unnest')]
  if ((fn === 'PERCENTILE_APPROX' || fn === 'APPROX_PERCENTILE') && n === 2) return [replace(call.name, 'approx_quantile')]
  return []
}

/** Spark type names DuckDB does not know, as DuckDB types. */
const SPARK_TYPE_NAMES: Record<string, string> = { TIMESTAMP_NTZ: 'TIMESTAMP', TIMESTAMP_LTZ: 'TIMESTAMPTZ', BYTE: 'TINYINT' }

/** A word used as a type: a typed literal (`TIMESTAMP_NTZ '...'`), after `::`, or `AS type)` closing a CAST. */
function isTypePosition(sig: readonly Token[], i: number): boolean {
  return sig[i + 1]?.kind === 'string' || sig[i - 1]?.text === '::' || (isKeyword(sig[i - 1], 'AS') && sig[i + 1]?.text === ')')
}

/**
 * `LATERAL VIEW [OUTER] explode(e) t [AS] c` -> `CROSS JOIN LATERAL (SELECT explode(e) AS c) t` (LEFT JOIN ... ON true
 * for OUTER); the explode call itself is renamed by the call edits. Other generators are left for DuckDB to report.
 */
function lateralViewEdits(sig: readonly Token[], i: number): TextEdit[] {
  let j = i + 2
  const outer = isKeyword(sig[j], 'OUTER') ? sig[j++] : undefined
  const call = sig[j] && isKeyword(sig[j], 'EXPLODE') ? callAt(sig, j) : null
  if (!call) return []
  let k = sig.indexOf(call.close) + 1
  const alias = sig[k]
  if (!alias || identifierOf(alias) === null || isKeyword(alias, 'AS')) return []
  const as = isKeyword(sig[k + 1], 'AS') ? sig[++k] : undefined
  const column = sig[k + 1]
  if (!column || identifierOf(column) === null || sig[k + 2]?.text === ',') return []
  return [
    replace(sig[i]!, `${outer ? 'LEFT' : 'CROSS'} JOIN LATERAL (SELECT`), replace(sig[i + 1]!, ''), ...(outer ? [replace(outer, '')] : []),
    replace(alias, ''), ...(as ? [] : [{ start: column.start, end: column.start, text: 'AS ' }]),
    { start: column.end, end: column.end, text: `) ${alias.text}${outer ? ' ON true' : ''}` }
  ]
}

/**
 * Edits that turn Spark-only spellings into DuckDB's: `* EXCEPT (cols)` -> `* EXCLUDE (cols)`, `X'0AFF'` ->
 * `from_hex('0AFF')`, the type names TIMESTAMP_NTZ / TIMESTAMP_LTZ / BYTE in literals and casts, `current_timestamp()`, `named_struct('a', x)`, `array(..)`, `map(k, v, ..)`, the two-argument
 * `date_sub` / `date_add` / `datediff`, `date_format(x, 'pattern')`, `explode`, `percentile_approx`, and
 * `LATERAL VIEW explode(e) t AS c` (as `CROSS JOIN LATERAL (SELECT unnest(e) AS c) t`). Everything else is left exactly as written.
 */
export function sparkSyntaxEdits(tokens: readonly Token[]): TextEdit[] {
  const sig = tokens.filter(isSignificant)
  const edits: TextEdit[] = []
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i]!
    if (isKeyword(t, 'LATERAL') && isKeyword(sig[i + 1], 'VIEW')) {
      edits.push(...lateralViewEdits(sig, i))
    } else if (isKeyword(t, 'EXCEPT') && sig[i - 1]?.text === '*' && sig[i + 1]?.text === '(' && !isKeyword(sig[i + 2], 'SELECT', 'WITH', 'FROM', 'VALUES')) {
      edits.push(replace(t, 'EXCLUDE'))
    } else if (t.kind === 'word' && t.value === 'X' && sig[i + 1]?.kind === 'string' && sig[i + 1]!.start === t.end) {
      edits.push({ start: t.start, end: sig[i + 1]!.end, text: `from_hex(${sig[i + 1]!.text})` })
      i++
    } else if (t.kind === 'word' && t.value in SPARK_TYPE_NAMES && isTypePosition(sig, i)) {
      edits.push(replace(t, SPARK_TYPE_NAMES[t.value]!))
    } else if (t.kind === 'word' && identifierOf(t) !== null && sig[i + 1]?.text === '(') {
      const call = callAt(sig, i)
      if (call) edits.push(...callEdits(call))
    }
  }
  return edits
}
