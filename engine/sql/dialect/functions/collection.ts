// Spark arrays, maps and structs on DuckDB: constructors, generators (explode/posexplode), size, element_at, array_contains.
import { identifierOf, isKeyword } from '../tokenizer'
import { insertAfter, insertBefore, rename, replaceToken, stringLiteral, type SparkMode } from './callSyntax'
import type { CallRewrite, FunctionFamily } from './family'

const IS_LIST = `(typeof(x) LIKE '%[]' OR typeof(x) LIKE 'MAP(%')`

function macros(mode: SparkMode): string[] {
  const outOfBounds = mode === 'ansi'
    ? `error('[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index ' || CAST(i AS VARCHAR) || ' is out of bounds. The array has ' || CAST(len(a) AS VARCHAR) || ' elements.')`
    : 'NULL'
  return [
    `__lb_generator_input(x) AS CASE WHEN ${IS_LIST} THEN x ELSE error('[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] explode/posexplode take an ARRAY or MAP, not ' || typeof(x)) END`,
    `__lb_explode_outer(x) AS CASE WHEN x IS NULL OR len(x) = 0 THEN [NULL] ELSE x END`,
    `__lb_positions(x) AS list_transform(x, (e, i) -> {'pos': CAST(i - 1 AS INTEGER), 'col': e})`,
    `__lb_positions_outer(x) AS CASE WHEN x IS NULL OR len(x) = 0 THEN [{'pos': CAST(NULL AS INTEGER), 'col': NULL}] ELSE __lb_positions(x) END`,
    // Spark 4: size(NULL) is NULL under ANSI, -1 with the legacy flag.
    `__lb_size(x) AS CASE WHEN x IS NULL THEN ${mode === 'ansi' ? 'NULL' : '-1'} ELSE CAST(len(x) AS INTEGER) END`,
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

/** Generators in the SELECT list: explode -> unnest, posexplode -> unnest of {pos, col} structs into two columns. */
const generator = (outer: boolean, positions: boolean): CallRewrite => (call) => {
  if (call.args.length !== 1) return null
  const input = outer ? (positions ? '__lb_positions_outer(__lb_generator_input(' : '__lb_explode_outer(__lb_generator_input(') : positions ? '__lb_positions(__lb_generator_input(' : '__lb_generator_input('
  const closing = outer || positions ? '))' : ')'
  return [replaceToken(call.name, 'unnest'), insertAfter(call.open, input), insertBefore(call.close, closing + (positions ? ', recursive := true' : ''))]
}

export const collectionFamily: FunctionFamily = {
  family: 'array/collection',
  macros,
  rewrites: {
    EXPLODE: generator(false, false),
    EXPLODE_OUTER: generator(true, false),
    POSEXPLODE: generator(false, true),
    POSEXPLODE_OUTER: generator(true, true),
    SIZE: (call) => (call.args.length === 1 ? rename(call, '__lb_size') : null),
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
    { name: 'explode', status: 'partial', differences: ['Supported in the SELECT list and LATERAL VIEW; exploding a MAP yields DuckDB map entries, not key/value columns.'] },
    { name: 'posexplode', status: 'partial', differences: ['Columns are named pos and col; the multi-alias form AS (p, c) is not supported.'] },
    { name: 'size', status: 'partial', differences: ['Arrays only: size(map) is rejected by DuckDB (use cardinality(map)).'] },
    { name: 'array_contains', status: 'yes', differences: [] },
    { name: 'element_at', status: 'yes', differences: ['A missing map key gives NULL in both modes.'] },
    { name: 'struct', status: 'yes', differences: [] },
    { name: 'named_struct', status: 'yes', differences: ['Field names must be string literals.'] },
    { name: 'map', status: 'yes', differences: ['Duplicate keys raise DuckDB\'s error (Spark: DUPLICATED_MAP_KEY unless last-wins policy is set).'] }
  ]
}
