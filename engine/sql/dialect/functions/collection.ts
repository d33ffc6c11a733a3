// Spark arrays, maps and structs on DuckDB: constructors, generators (explode/posexplode), size, element_at, array_contains.
import { identifierOf, isKeyword, type Token } from '../tokenizer'
import { insertAfter, insertBefore, rename, replaceToken, stringLiteral, type SparkMode } from './callSyntax'
import type { CallRewrite, FunctionFamily } from './family'
import { collectionKind } from './operators'

const IS_LIST = `(typeof(x) LIKE '%[]' OR typeof(x) LIKE 'MAP(%')`

function macros(mode: SparkMode): string[] {
  const outOfBounds = mode === 'ansi'
    ? `error('[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index ' || CAST(i AS VARCHAR) || ' is out of bounds. The array has ' || CAST(len(a) AS VARCHAR) || ' elements.')`
    : 'NULL'
  return [
    `__lb_generator_input(x) AS CASE WHEN ${IS_LIST} THEN x ELSE error('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] explode/posexplode take an ARRAY or MAP, not ' || typeof(x)) END`,
    `__lb_map_entries_outer(x) AS CASE WHEN x IS NULL OR cardinality(x) = 0 THEN [{'key': NULL, 'value': NULL}] ELSE map_entries(x) END`,
    `__lb_explode_outer(x) AS CASE WHEN x IS NULL OR len(x) = 0 THEN [NULL] ELSE x END`,
    `__lb_positions(x) AS list_transform(x, (e, i) -> {'pos': CAST(i - 1 AS INTEGER), 'col': e})`,
    `__lb_positions_outer(x) AS CASE WHEN x IS NULL OR len(x) = 0 THEN [{'pos': CAST(NULL AS INTEGER), 'col': NULL}] ELSE __lb_positions(x) END`,
    // Spark 4: size(NULL) is NULL under ANSI, -1 with the legacy flag.
    `__lb_size(x) AS CASE WHEN x IS NULL THEN ${mode === 'ansi' ? 'NULL' : '-1'} ELSE CAST(len(x) AS INTEGER) END`,
    `__lb_size_map(x) AS CASE WHEN x IS NULL THEN ${mode === 'ansi' ? 'NULL' : '-1'} ELSE CAST(cardinality(x) AS INTEGER) END`,
    `__lb_array_contains(a, v) AS CASE WHEN a IS NULL OR v IS NULL THEN NULL WHEN list_contains(a, v) THEN true
      WHEN list_contains(list_transform(a, e -> e IS NULL), true) THEN NULL ELSE false END`,
    `__lb_element_at(a, i) AS CASE WHEN typeof(a) LIKE 'MAP(%' THEN a[i]
      WHEN i = 0 THEN error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).')
      WHEN abs(i) > len(a) THEN ${outOfBounds} ELSE a[i] END`,
    `__lb_sort_array(a) AS list_sort(a, 'ASC', 'NULLS FIRST')`,
    `__lb_sort_array(a, ascending) AS CASE WHEN typeof(ascending) NOT IN ('BOOLEAN', '"NULL"') THEN error('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] sort_array takes a BOOLEAN sort order, not ' || typeof(ascending))
      WHEN ascending IS NULL THEN NULL WHEN ascending THEN list_sort(a, 'ASC', 'NULLS FIRST') ELSE list_sort(a, 'DESC', 'NULLS LAST') END`
  ]
}

/** struct(a, b AS c, 1) -> struct_pack(a := a, c := b, col3 := 1): Spark names fields after columns, aliases, or colN. */
const structRewrite: CallRewrite = (call) => {
  if (call.args.length === 0) return null
  const edits = [replaceToken(call.name, 'struct_pack')]
  call.args.forEach((arg, k) => {
    const as = arg.findIndex((t, j) => j > 0 && isKeyword(t, 'AS'))
    if (as > 0 && as === arg.length - 2) {
      const alias = identifierOf(arg[as + 1]!)
      edits.push(insertBefore(arg[0]!, `"${(alias ?? `col${k + 1}`).replace(/"/g, '""')}" := `), replaceToken(arg[as]!, ''), replaceToken(arg[as + 1]!, ''))
      return
    }
    const last = arg[arg.length - 1]!
    const named = (arg.length === 1 || arg[arg.length - 2]?.text === '.') && identifierOf(last) !== null && last.kind !== 'string' && !isKeyword(last, 'NULL', 'TRUE', 'FALSE')
    const name = named ? identifierOf(last)! : `col${k + 1}`
    edits.push(insertBefore(arg[0]!, `"${name.replace(/"/g, '""')}" := `))
  })
  return edits
}

/** named_struct('a', x, ...) -> struct_pack("a" := x, ...). */
const namedStructRewrite: CallRewrite = (call) => {
  const n = call.args.length
  if (n === 0 || n % 2 !== 0 || !call.args.every((a, k) => k % 2 === 1 || stringLiteral(a) !== undefined)) return null
  const edits = [replaceToken(call.name, 'struct_pack')]
  for (let k = 0; k < n; k += 2) edits.push(replaceToken(call.args[k]![0]!, `"${call.args[k]![0]!.value.replace(/"/g, '""')}"`), replaceToken(call.commas[k]!, ' :='))
  return edits
}

/**
 * Two column names after a generator call: `AS (a, b)` in a SELECT list (end: significant index of the `)`), or
 * `LATERAL VIEW [OUTER] g(x) t [AS] a, b` (end -1: the lateral view rewrite removes those names).
 */
function pairAlias(sig: readonly Token[], closeIndex: number, nameIndex: number): { names: [string, string]; end: number } | null {
  if (isKeyword(sig[nameIndex - 1], 'VIEW') || (isKeyword(sig[nameIndex - 1], 'OUTER') && isKeyword(sig[nameIndex - 2], 'VIEW'))) {
    let k = closeIndex + 2
    if (isKeyword(sig[k], 'AS')) k++
    const [a, comma, b] = sig.slice(k, k + 3)
    const names = [a && identifierOf(a), comma?.text === ',' && b ? identifierOf(b) : null]
    return names[0] && names[1] ? { names: [names[0], names[1]], end: -1 } : null
  }
  const [as, open, a, comma, b, close] = sig.slice(closeIndex + 1, closeIndex + 7)
  if (!isKeyword(as, 'AS') || open?.text !== '(' || comma?.text !== ',' || close?.text !== ')') return null
  const names = [a && identifierOf(a), b && identifierOf(b)]
  return names[0] && names[1] ? { names: [names[0], names[1]], end: closeIndex + 6 } : null
}

const fieldName = (name: string): string => `'${name.replace(/'/g, "''")}'`

/**
 * Generators in the SELECT list: explode -> unnest, posexplode -> unnest of {pos, col} structs into two columns.
 * A MAP (known from its spelling, or from two aliases `AS (k, v)`) explodes into key/value columns; `AS (a, b)`
 * names the two columns of posexplode or of a map's explode.
 */
const generator = (outer: boolean, positions: boolean): CallRewrite => (call, { sig, index }) => {
  if (call.args.length !== 1) return null
  const closeIndex = sig.indexOf(call.close)
  const alias = pairAlias(sig, closeIndex, index)
  const isMap = !positions && (collectionKind(call.args[0]!) === 'map' || alias !== null)
  let input = outer ? (positions ? '__lb_positions_outer(__lb_generator_input(' : '__lb_explode_outer(__lb_generator_input(') : positions ? '__lb_positions(__lb_generator_input(' : '__lb_generator_input('
  let closing = outer || positions ? '))' : ')'
  if (isMap) {
    input = outer ? '__lb_map_entries_outer(' : 'map_entries('
    closing = ')'
  }
  const [first, second] = positions ? ['pos', 'col'] : ['key', 'value']
  if (alias && (positions || isMap)) {
    input = `list_transform(${input}`
    closing += `, e -> {${fieldName(alias.names[0])}: e.${first}, ${fieldName(alias.names[1])}: e.${second}})`
  }
  const edits = [replaceToken(call.name, 'unnest'), insertAfter(call.open, input), insertBefore(call.close, closing + (positions || isMap ? ', recursive := true' : ''))]
  if (alias && alias.end >= 0 && (positions || isMap)) edits.push({ start: call.close.end, end: sig[alias.end]!.end, text: '' })
  return edits
}

export const collectionFamily: FunctionFamily = {
  family: 'array/collection',
  macros,
  rewrites: {
    EXPLODE: generator(false, false),
    EXPLODE_OUTER: generator(true, false),
    POSEXPLODE: generator(false, true),
    POSEXPLODE_OUTER: generator(true, true),
    SIZE: (call) => (call.args.length === 1 ? rename(call, collectionKind(call.args[0]!) === 'map' ? '__lb_size_map' : '__lb_size') : null),
    ARRAY_CONTAINS: (call) => (call.args.length === 2 ? rename(call, '__lb_array_contains') : null),
    ELEMENT_AT: (call) => (call.args.length === 2 ? rename(call, '__lb_element_at') : null),
    SORT_ARRAY: (call) => (call.args.length === 1 || call.args.length === 2 ? rename(call, '__lb_sort_array') : null),
    ARRAYS_ZIP: (call) => (call.args.length > 0 ? rename(call, 'list_zip') : null),
    STRUCT: structRewrite,
    NAMED_STRUCT: namedStructRewrite,
    ARRAY: (call, { sig, index }) => (isKeyword(call.args[0]?.[0], 'SELECT', 'WITH', 'FROM', 'VALUES') || sig[index - 1]?.text === '::' ? null : rename(call, 'list_value')),
    MAP: (call) => {
      const n = call.args.length
      if (n === 0) return [replaceToken(call.name, 'MAP'), replaceToken(call.open, ' {'), replaceToken(call.close, '}')]
      if (n % 2 !== 0 || (n === 2 && call.args[0]![0]?.text === '[')) return null
      // Spark's map(k1, v1, ...) becomes DuckDB's MAP {k1: v1, ...}; DuckDB's map([keys], [values]) is left alone.
      return [replaceToken(call.name, 'MAP'), replaceToken(call.open, ' {'), replaceToken(call.close, '}'), ...call.commas.map((c, k) => replaceToken(c, k % 2 === 0 ? ':' : ','))]
    }
  },
  notes: [
    { name: 'explode', status: 'partial', differences: [
      'Supported in the SELECT list and LATERAL VIEW. A MAP explodes into key/value columns when the statement shows it is a map: a map-building call (map(...), str_to_map(...), ...) or two aliases (`AS (k, v)`, `LATERAL VIEW explode(m) t AS k, v`); a bare explode(map_column) is rejected by DuckDB.',
      'Map values that are structs are expanded into their fields as well.'
    ] },
    { name: 'posexplode', status: 'yes', differences: ['Columns are named pos and col unless aliased `AS (p, c)`.'] },
    { name: 'size', status: 'partial', differences: ['size(map) works when the argument is built by a map call (map(...), str_to_map(...), ...); on a MAP column DuckDB rejects it (use cardinality(m)).'] },
    { name: 'array_contains', status: 'yes', differences: [] },
    { name: 'element_at', status: 'yes', differences: [
      'A missing map key gives NULL in both modes.',
      '`arr[i]` is 0-based as in Spark (INVALID_ARRAY_INDEX under ANSI, NULL in legacy mode) when the index is numeric or the base is built by an array call; `m[\'k\']` is a map lookup. A column index on a column of unknown type (`c[i]`) is left to DuckDB (1-based for arrays): use element_at(c, i + 1).'
    ] },
    { name: 'struct', status: 'yes', differences: [] },
    { name: 'named_struct', status: 'yes', differences: ['Field names must be string literals.'] },
    { name: 'map', status: 'yes', differences: ['Duplicate keys raise DuckDB\'s error (Spark: DUPLICATED_MAP_KEY unless last-wins policy is set).'] }
  ]
}
