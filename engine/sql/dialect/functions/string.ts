// Spark string functions on DuckDB: Java-regex functions, substring/pad/instr positions, concat_ws flattening, initcap.
import { BIGINT, INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api'
import { insertAfter, insertBefore, rename, replaceToken, type SparkMode } from './callSyntax'
import type { CallRewrite, FunctionFamily } from './family'
import { groupCount, javaRegex, javaSplit, jsReplacement } from './javaRegex'
import { rowFunction, SparkFunctionError } from './scalarUdf'
import { isKeyword } from '../tokenizer'

function regexpExtract(args: unknown[]): string {
  const [text, pattern, index] = args as [string, string, number]
  const re = javaRegex(pattern)
  const groups = groupCount(re)
  if (index < 0) throw new SparkFunctionError(`[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The regex group index must be non-negative, got ${index}`)
  if (index > groups) throw new SparkFunctionError(`[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX_EXCEED_REGEX_GROUP_COUNT] The regex has ${groups} group(s), index ${index} requested`)
  const m = re.exec(text)
  return m ? m[index] ?? '' : ''
}

function regexpReplace(args: unknown[]): string {
  const [text, pattern, replacement, position] = args as [string, string, string, number]
  if (position < 1) throw new SparkFunctionError(`[INVALID_PARAMETER_VALUE.REGEX_POSITION] The position must be positive, got ${position}`)
  const chars = Array.from(text)
  const head = chars.slice(0, position - 1).join('')
  return head + chars.slice(position - 1).join('').replace(javaRegex(pattern), jsReplacement(replacement))
}

/** Spark's instr/locate with a start position and occurrence (1-based, counted in characters; 0 when absent). */
function instr(args: unknown[]): number {
  const [text, sub, start, occurrence] = args as [string, string, number, number]
  const chars = Array.from(text)
  const needle = Array.from(sub)
  if (start === 0 || occurrence < 1) return 0
  const matchesAt = (i: number): boolean => needle.every((c, k) => chars[i + k] === c)
  let found = 0
  if (start > 0) {
    for (let i = start - 1; i + needle.length <= chars.length; i++) if (matchesAt(i) && ++found === occurrence) return i + 1
  } else {
    for (let i = chars.length + start; i >= 0; i--) if (i + needle.length <= chars.length && matchesAt(i) && ++found === occurrence) return i + 1
  }
  return 0
}

/** Spark's substring: position 0 acts as 1, negative counts from the end, a negative length gives ''. */
function substringBody(l: string): string {
  const start = `CASE WHEN p > 0 THEN p - 1 WHEN p < 0 THEN length(CAST(s AS VARCHAR)) + p ELSE 0 END`
  return `CASE WHEN s IS NULL OR p IS NULL OR ${l} IS NULL THEN NULL ELSE substring(CAST(s AS VARCHAR), greatest(${start}, 0) + 1,
    greatest(least(${start} + CAST(${l} AS BIGINT), 2147483647) - greatest(${start}, 0), 0)) END`
}

function macros(mode: SparkMode): string[] {
  const length = `${mode === 'ansi' ? 'CAST' : 'TRY_CAST'}(__lb_int_text(n, ${mode === 'ansi' ? 0 : 1}) AS INTEGER)`
  const size = `greatest(${length}, 0)`
  // An empty pad leaves the value truncated to the length (DuckDB would reject it).
  const padText = (fn: string, p: string): string =>
    `CASE WHEN CAST(${p} AS VARCHAR) = '' THEN left(CAST(s AS VARCHAR), ${size}) ELSE ${fn}(CAST(s AS VARCHAR), ${size}, CAST(${p} AS VARCHAR)) END`
  // A value typed BLOB when both are BINARY and VARCHAR otherwise (also for NULL): the type the result is cast to.
  const typeOf = (a: string, b: string): string => `coalesce(${a} || ${b}, '')`
  // Bytes are padded as hex text: two digits a byte, so padding and truncation stay on byte boundaries.
  const hexOf = (v: string): string => `hex(cast_to_type(${v}, ${typeOf(v, v)}))`
  const padBytes = (fn: string, p: string): string =>
    `unhex(CASE WHEN ${hexOf(p)} = '' THEN left(${hexOf('s')}, 2 * ${size}) ELSE ${fn}(${hexOf('s')}, 2 * ${size}, ${hexOf(p)}) END)`
  // BINARY with a BINARY pad gives BINARY (Spark's byte lpad/rpad); anything else is text. Both branches are cast to
  // typeOf(s, p) so the CASE binds for either input type (only one branch ever runs).
  const pad = (fn: string, p: string): string =>
    `CASE WHEN ${length} IS NULL THEN NULL WHEN typeof(s) = 'BLOB' AND typeof(${p}) = 'BLOB' THEN cast_to_type(${padBytes(fn, p)}, ${typeOf('s', p)})
      ELSE cast_to_type(${padText(fn, p)}, ${typeOf('s', p)}) END`
  // The default pad: a space for text, a zero byte for BINARY.
  const defaultPad = `CASE WHEN typeof(s) = 'BLOB' THEN cast_to_type(unhex('00'), ${typeOf('s', 's')}) ELSE cast_to_type(' ', ${typeOf('s', 's')}) END`
  return [
    `__lb_substring(s, p) AS ${substringBody('2147483647')}`,
    `__lb_substring(s, p, l) AS ${substringBody('l')}`,
    `__lb_lpad(s, n) AS ${pad('lpad', defaultPad)}`,
    `__lb_lpad(s, n, p) AS ${pad('lpad', 'p')}`,
    `__lb_rpad(s, n) AS ${pad('rpad', defaultPad)}`,
    `__lb_rpad(s, n, p) AS ${pad('rpad', 'p')}`,
    `__lb_initcap(s) AS array_to_string(list_transform(string_split(lower(s), ' '), w -> upper(left(w, 1)) || substr(w, 2)), ' ')`,
    `__lb_regexp_extract(s, r) AS __lb_regexp_extract_js(s, r, 1)`,
    `__lb_regexp_extract(s, r, i) AS __lb_regexp_extract_js(s, r, i)`,
    `__lb_regexp_replace(s, r, t) AS __lb_regexp_replace_js(s, r, t, 1)`,
    `__lb_regexp_replace(s, r, t, p) AS __lb_regexp_replace_js(s, r, t, p)`,
    `__lb_split(s, r) AS __lb_split_js(s, r, -1)`,
    `__lb_split(s, r, n) AS __lb_split_js(s, r, n)`,
    `__lb_instr(s, t) AS __lb_instr_js(s, t, 1, 1)`,
    `__lb_instr(s, t, p) AS __lb_instr_js(s, t, p, 1)`,
    `__lb_instr(s, t, p, n) AS __lb_instr_js(s, t, p, n)`,
    `__lb_locate(t, s) AS __lb_instr_js(s, t, 1, 1)`,
    `__lb_locate(t, s, p) AS CASE WHEN p < 1 THEN 0 ELSE __lb_instr_js(s, t, p, 1) END`,
    // concat_ws flattens array arguments and skips NULLs (inside arrays too).
    `__lb_cws(x) AS CASE WHEN typeof(x) LIKE '%[]' THEN (CASE WHEN len(list_filter(CAST(CAST(to_json(x) AS JSON) AS VARCHAR[]), e -> e IS NOT NULL)) = 0 THEN NULL
      ELSE array_to_string(list_filter(CAST(CAST(to_json(x) AS JSON) AS VARCHAR[]), e -> e IS NOT NULL), chr(1)) END) ELSE CAST(x AS VARCHAR) END`,
    `__lb_concat_ws_join(s, t) AS replace(t, chr(1), s)`
  ]
}

/** `substring(s FROM p FOR l)` / `substr(s, p, l)` -> the Spark-semantics macro. */
const substringRewrite: CallRewrite = (call) => {
  if (call.args.length === 1) {
    const arg = call.args[0]!
    const from = arg.findIndex((t) => isKeyword(t, 'FROM'))
    if (from < 0) return null
    const edits = [replaceToken(call.name, '__lb_substring'), replaceToken(arg[from]!, ',')]
    const forAt = arg.findIndex((t) => isKeyword(t, 'FOR'))
    if (forAt > from) edits.push(replaceToken(arg[forAt]!, ','))
    return edits
  }
  return call.args.length === 2 || call.args.length === 3 ? rename(call, '__lb_substring') : null
}

/**
 * concat_ws(sep, a, ...) -> `__lb_concat_ws_join(sep, concat_ws(chr(1), __lb_cws(a), ...))`: each value flattened and
 * joined with a placeholder, which is then replaced by the separator (so the separator is evaluated once).
 */
const concatWsRewrite: CallRewrite = (call) => {
  if (call.args.length < 2) return null
  const edits = [replaceToken(call.name, '__lb_concat_ws_join'), replaceToken(call.commas[0]!, ', concat_ws(chr(1), __lb_cws(')]
  for (let k = 1; k < call.commas.length; k++) edits.push(insertBefore(call.commas[k]!, ')'), insertAfter(call.commas[k]!, ' __lb_cws('))
  edits.push(insertBefore(call.close, '))'))
  return edits
}

const renameFor = (target: string, ...counts: number[]): CallRewrite => (call) => (counts.includes(call.args.length) ? rename(call, target) : null)

export const stringFamily: FunctionFamily = {
  family: 'string',
  macros,
  udfs: () => [
    rowFunction('__lb_regexp_extract_js', [VARCHAR, VARCHAR, INTEGER], VARCHAR, regexpExtract),
    rowFunction('__lb_regexp_replace_js', [VARCHAR, VARCHAR, VARCHAR, INTEGER], VARCHAR, regexpReplace),
    rowFunction('__lb_split_js', [VARCHAR, VARCHAR, INTEGER], LIST(VARCHAR), ([s, r, n]) => listValue(javaSplit(s as string, r as string, n as number))),
    rowFunction('__lb_instr_js', [VARCHAR, VARCHAR, BIGINT, BIGINT], INTEGER, ([s, t, p, n]) => instr([s, t, Number(p), Number(n)]))
  ],
  rewrites: {
    CONCAT_WS: concatWsRewrite,
    REGEXP_EXTRACT: renameFor('__lb_regexp_extract', 2, 3),
    REGEXP_REPLACE: renameFor('__lb_regexp_replace', 3, 4),
    SPLIT: renameFor('__lb_split', 2, 3),
    SUBSTRING: substringRewrite,
    SUBSTR: substringRewrite,
    INSTR: renameFor('__lb_instr', 2, 3, 4),
    LOCATE: renameFor('__lb_locate', 2, 3),
    POSITION: (call) => (call.args.length === 2 || call.args.length === 3 ? rename(call, '__lb_locate') : null),
    LPAD: renameFor('__lb_lpad', 2, 3),
    RPAD: renameFor('__lb_rpad', 2, 3),
    INITCAP: renameFor('__lb_initcap', 1)
  },
  notes: [
    { name: 'concat_ws', status: 'yes', differences: ['Array elements are flattened through their JSON text: doubles print as DuckDB prints them.'] },
    { name: 'regexp_extract', status: 'partial', differences: ['Java regex run by the JS engine: possessive quantifiers, atomic groups, \\p{javaXxx} classes and mid-pattern inline flags are rejected.'] },
    { name: 'regexp_replace', status: 'partial', differences: ['Same regex dialect limits as regexp_extract.'] },
    { name: 'split', status: 'yes', differences: [] },
    { name: 'substring', status: 'yes', differences: ['Binary input is read as text.'] },
    { name: 'instr', status: 'yes', differences: [] },
    { name: 'lpad', status: 'yes', differences: ['BINARY with a BINARY pad is padded with bytes (zero bytes by default) and stays BINARY, as Spark.'] },
    { name: 'rpad', status: 'yes', differences: ['Same as lpad.'] },
    { name: 'initcap', status: 'yes', differences: ['Words are split on spaces only, as Spark does.'] }
  ]
}
