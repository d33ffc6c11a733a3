// Spark casts on DuckDB: CAST / TRY_CAST / type-named functions (int(x), date(x)), with ANSI errors or legacy NULLs.
import { isKeyword, type Token } from '../tokenizer'
import type { TextEdit } from '../textEdits'
import { replaceCall, sparkErrorSql, type Call } from './callSyntax'
import type { FunctionFamily, RewriteContext } from './family'
import { duckdbTypeOfSpark, SparkTypeError } from './sparkTypeText'

const INTEGRAL = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'])
const WHITESPACE = `' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)`

/** How an invalid string is treated: 0 raise CAST_INVALID_INPUT (ANSI CAST), 1 legacy parse (else NULL), 2 NULL (try_cast). */
type Policy = 0 | 1 | 2

/**
 * `__lb_int_text(x, policy)`: the text of x that DuckDB's integer cast should see, so the result follows Spark:
 * strings are trimmed and must be whole numbers (legacy mode also drops a fraction: '1.9' -> 1), fractional numbers
 * truncate toward zero (DuckDB would round), booleans become 1/0.
 */
const INT_TEXT = `__lb_int_text(x, policy) AS CASE
  WHEN typeof(x) = 'VARCHAR' THEN CASE
    WHEN regexp_full_match(trim(CAST(x AS VARCHAR), ${WHITESPACE}), '[+-]?[0-9]+') THEN trim(CAST(x AS VARCHAR), ${WHITESPACE})
    WHEN policy = 1 THEN NULLIF(regexp_extract(trim(CAST(x AS VARCHAR), ${WHITESPACE}), '^([+-]?[0-9]+)[.][0-9]*$', 1), '')
    WHEN policy = 0 AND x IS NOT NULL THEN error('[CAST_INVALID_INPUT] The value ''' || CAST(x AS VARCHAR) || ''' of the type "STRING" cannot be cast to an integral type because it is malformed.')
    ELSE NULL END
  WHEN typeof(x) IN ('FLOAT', 'DOUBLE') OR typeof(x) LIKE 'DECIMAL%' THEN CAST(trunc(TRY_CAST(x AS DOUBLE)) AS VARCHAR)
  WHEN typeof(x) = 'BOOLEAN' THEN CAST(TRY_CAST(x AS INTEGER) AS VARCHAR)
  ELSE CAST(x AS VARCHAR) END`

/** The SQL for casting `inner` (already-rendered text position) to a DuckDB type under a policy. */
function castOpen(duckType: string, policy: Policy): { prefix: string; suffix: string } {
  const fn = policy === 0 ? 'CAST' : 'TRY_CAST'
  if (INTEGRAL.has(duckType)) return { prefix: `${fn}(__lb_int_text(`, suffix: `, ${policy}) AS ${duckType})` }
  if (duckType === 'VARCHAR') return { prefix: '__lb_string(', suffix: ')' }
  return { prefix: `${fn}(`, suffix: ` AS ${duckType})` }
}

/** The top-level `AS` inside a CAST argument (the last one: the expression itself may hold `x AS y` only nested). */
function topLevelAs(arg: readonly Token[]): number {
  let depth = 0
  let found = -1
  arg.forEach((t, k) => {
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--
    else if (depth === 0 && isKeyword(t, 'AS')) found = k
  })
  return found
}

/** Edits for `CAST(x AS type)` / `TRY_CAST(x AS type)`: the Spark type translated and the mode's policy applied. */
function castEdits(call: Call, context: RewriteContext, isTry: boolean): TextEdit[] | null {
  if (call.args.length !== 1) return null
  const arg = call.args[0]!
  const as = topLevelAs(arg)
  if (as <= 0) return null
  const typeTokens = arg.slice(as + 1)
  const typeText = typeTokens.map((t) => t.text).join(' ')
  let duckType: string
  try {
    duckType = duckdbTypeOfSpark(typeText).duckdb
  } catch (e) {
    if (e instanceof SparkTypeError) return replaceCall(call, sparkErrorSql('UNSUPPORTED_DATATYPE', e.message))
    throw e
  }
  const policy: Policy = isTry ? 2 : context.mode === 'ansi' ? 0 : 1
  const { prefix, suffix } = castOpen(duckType, policy)
  return [
    { start: call.name.start, end: call.open.end, text: prefix },
    { start: arg[as - 1]!.end, end: call.close.end, text: suffix }
  ]
}

/** Type-named cast functions (`int(x)`, `date(x)`) and the DuckDB type they cast to. */
const CAST_FUNCTIONS: Record<string, string> = {
  BOOLEAN: 'BOOLEAN', TINYINT: 'TINYINT', SMALLINT: 'SMALLINT', INT: 'INTEGER', BIGINT: 'BIGINT', FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE', STRING: 'VARCHAR', DATE: 'DATE', TIMESTAMP: 'TIMESTAMPTZ', BINARY: 'BLOB', DECIMAL: 'DECIMAL(10,0)'
}

function castFunctionEdits(call: Call, context: RewriteContext): TextEdit[] | null {
  if (call.args.length !== 1) return null
  const duckType = CAST_FUNCTIONS[call.name.value]!
  const { prefix, suffix } = castOpen(duckType, context.mode === 'ansi' ? 0 : 1)
  return [{ start: call.name.start, end: call.open.end, text: prefix }, { start: call.close.start, end: call.close.end, text: suffix }]
}

/** Spark numeric literal suffixes (10L, 25Y, 3S, 1.5D, 1.5F, 2.50BD) and the type each names. */
const SUFFIX_TYPES: Record<string, string> = { L: 'BIGINT', Y: 'TINYINT', S: 'SMALLINT', D: 'DOUBLE', F: 'FLOAT' }

/** `25y` -> `CAST(25 AS TINYINT)` when `suffix` is written right after the number. */
export function numberSuffixEdit(number: Token, suffix: Token | undefined): TextEdit | null {
  if (!suffix || suffix.kind !== 'word' || suffix.start !== number.end) return null
  if (suffix.value === 'BD') {
    const [whole, fraction = ''] = number.value.split('.')
    const digits = Math.max(1, whole!.replace(/^0+/, '').length + fraction.length)
    return { start: number.start, end: suffix.end, text: `CAST('${number.value}' AS DECIMAL(${Math.min(38, digits)},${fraction.length}))` }
  }
  const type = SUFFIX_TYPES[suffix.value]
  return type ? { start: number.start, end: suffix.end, text: `CAST(${number.value} AS ${type})` } : null
}

/**
 * `__lb_string(x)`: Spark's text for a value. Timestamps print as wall-clock time in the session zone (the cast to
 * TIMESTAMP converts once) without the offset DuckDB appends
 * (`2020-01-01 10:00:00.5`), also inside arrays, structs and maps (unquoted there); everything else is DuckDB's text.
 */
const TO_STRING = `__lb_string(x) AS CASE
  WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN CAST(CAST(x AS TIMESTAMP) AS VARCHAR)
  WHEN typeof(x) NOT LIKE '%TIMESTAMP%' THEN CAST(x AS VARCHAR)
  WHEN typeof(x) LIKE '%]' OR typeof(x) LIKE 'STRUCT(%' OR typeof(x) LIKE 'MAP(%' THEN regexp_replace(CAST(x AS VARCHAR), '''?([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?)([+-][0-9]{2}(:[0-9]{2}){0,2})?''?', '\\1', 'g')
  ELSE CAST(x AS VARCHAR) END`

export const castFamily: FunctionFamily = {
  family: 'cast',
  macros: () => [INT_TEXT, TO_STRING],
  rewrites: {
    CAST: (call, context) => castEdits(call, context, false),
    TRY_CAST: (call, context) => castEdits(call, context, true),
    ...Object.fromEntries(Object.keys(CAST_FUNCTIONS).map((name) => [name, castFunctionEdits]))
  },
  notes: [
    { name: 'cast', status: 'partial', differences: [
      'ANSI invalid input raises CAST_INVALID_INPUT; legacy returns NULL, as Spark does.',
      'Casting a timestamp to STRING prints Spark\'s `yyyy-MM-dd HH:mm:ss[.fraction]` in the session zone (also inside arrays); structs and maps cast to STRING print DuckDB\'s text (`{\'a\': 1}`, not Spark\'s `{1}`).',
      'Legacy-mode float->integer overflow returns NULL (Spark saturates).',
      'CAST(int AS BINARY) is not supported (Spark writes big-endian bytes).'
    ] },
    { name: 'try_cast', status: 'yes', differences: [] }
  ]
}
