// Spark JSON functions on DuckDB: from_json with DDL schemas and date formats, to_json, get_json_object and `col:path`.
import { INTEGER, VARCHAR } from '@duckdb/node-api'
import { rename, replaceCall, sparkErrorSql, sqlText, stringLiteral, type Call, type SparkMode } from './callSyntax'
import type { CallRewrite, FunctionFamily } from './family'
import { DatePatternError, parseWithPattern } from './javaDatePattern'
import { rowFunction, SparkFunctionError } from './scalarUdf'
import { duckdbTypeOfSchema, SparkTypeError, type SparkTypeText } from './sparkTypeText'
import { isKeyword } from '../tokenizer'
import { collectionKind } from './operators'

/** Marks a value that does not fit the schema: arrays and the top level become NULL, struct fields NULL. */
const MISMATCH = Symbol('mismatch')

interface JsonOptions { dateFormat?: string; timestampFormat?: string }

function parseDate(text: string, options: JsonOptions, zone: string, timestamp: boolean): string | typeof MISMATCH {
  const pattern = timestamp ? options.timestampFormat : options.dateFormat
  if (!pattern) {
    const d = new Date(text)
    if (!timestamp) return /^\d{4}-\d{1,2}-\d{1,2}/.test(text) ? text.slice(0, 10) : MISMATCH
    return Number.isNaN(d.getTime()) ? MISMATCH : text
  }
  let parsed: bigint | string
  try {
    parsed = parseWithPattern(text, pattern, zone)
  } catch (e) {
    if (e instanceof DatePatternError) throw new SparkFunctionError(`[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] ${e.message}`)
    throw e
  }
  if (parsed === 'invalid') throw new SparkFunctionError(`[INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER] '${text}' cannot be parsed with '${pattern}'`)
  if (parsed === 'mismatch') return MISMATCH
  const micros = parsed as bigint
  const iso = new Date(Number(micros / 1000n)).toISOString()
  if (!timestamp) {
    // The date of that instant in the session zone.
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Number(micros / 1000n)))
    return local
  }
  return `${iso.slice(0, 19)}.${String(micros % 1_000_000n).padStart(6, '0')}Z`
}

/** A JSON value checked and converted against a json_transform structure, Spark's PERMISSIVE way. */
function conform(value: unknown, structure: unknown, options: JsonOptions, zone: string): unknown {
  if (value === null || value === undefined) return null
  if (Array.isArray(structure)) {
    if (!Array.isArray(value)) return MISMATCH
    const items = value.map((v) => conform(v, structure[0], options, zone))
    return items.includes(MISMATCH) ? MISMATCH : items
  }
  if (structure !== null && typeof structure === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return MISMATCH
    const out: Record<string, unknown> = {}
    for (const [name, type] of Object.entries(structure)) {
      const v = conform((value as Record<string, unknown>)[name], type, options, zone)
      out[name] = v === MISMATCH ? null : v
    }
    return out
  }
  const type = String(structure)
  if (type.startsWith('MAP(')) {
    if (typeof value !== 'object' || Array.isArray(value)) return MISMATCH
    const valueType = /^MAP\([^,]+,\s*(.*)\)$/.exec(type)?.[1] ?? 'VARCHAR'
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as object)) {
      const c = conform(v, valueType, options, zone)
      if (c === MISMATCH) return MISMATCH
      out[k] = c
    }
    return out
  }
  if (['INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT'].includes(type)) return typeof value === 'number' && Number.isInteger(value) ? value : MISMATCH
  if (type === 'DOUBLE' || type === 'FLOAT' || type.startsWith('DECIMAL')) return typeof value === 'number' ? value : MISMATCH
  if (type === 'BOOLEAN') return typeof value === 'boolean' ? value : MISMATCH
  if (type === 'VARCHAR') return typeof value === 'string' ? value : JSON.stringify(value)
  if (type === 'DATE' || type === 'TIMESTAMPTZ' || type === 'TIMESTAMP') return typeof value === 'string' ? parseDate(value, options, zone, type !== 'DATE') : MISMATCH
  return value
}

/** `__lb_json_conform(json, structure, options, zone, isStruct)`: JSON text DuckDB's json_transform reads as Spark would. */
function conformUdf() {
  return rowFunction('__lb_json_conform', [VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER], VARCHAR, ([text, structureText, optionsText, zone, isStruct]) => {
    const structure: unknown = JSON.parse(String(structureText))
    const options = JSON.parse(String(optionsText)) as JsonOptions
    let parsed: unknown
    try {
      parsed = JSON.parse(String(text))
    } catch {
      return isStruct ? JSON.stringify(Object.fromEntries(Object.keys(structure as object).map((k) => [k, null]))) : null
    }
    const result = conform(parsed, structure, options, String(zone))
    if (result === MISMATCH) return isStruct ? JSON.stringify(Object.fromEntries(Object.keys(structure as object).map((k) => [k, null]))) : null
    return JSON.stringify(result)
  })
}

/** Spark's schema_of_json for a literal: objects become structs (fields sorted), numbers bigint/double. */
export function schemaOfJson(text: string): string {
  const infer = (v: unknown): string => {
    if (Array.isArray(v)) return `array<${v.length > 0 ? infer(v[0]) : 'string'}>`
    if (v !== null && typeof v === 'object') return `struct<${Object.keys(v).sort().map((k) => `${k}:${infer((v as Record<string, unknown>)[k])}`).join(',')}>`
    if (typeof v === 'number') return Number.isInteger(v) ? 'bigint' : 'double'
    if (typeof v === 'boolean') return 'boolean'
    return 'string'
  }
  return infer(JSON.parse(text))
}

/** Literal `map('k', 'v', ...)` options as an object, or undefined when the argument is not one. */
function literalOptions(arg: Call['args'][number] | undefined): Record<string, string> | undefined {
  if (!arg || !isKeyword(arg[0], 'MAP') || arg[1]?.text !== '(') return undefined
  const values = arg.filter((t) => t.kind === 'string').map((t) => t.value)
  const options: Record<string, string> = {}
  for (let k = 0; k + 1 < values.length; k += 2) options[values[k]!] = values[k + 1]!
  return options
}

const fromJsonRewrite: CallRewrite = (call, { mode }) => {
  if (call.args.length < 2 || call.args.length > 3) return null
  const schemaArg = call.args[1]!
  let schemaText = stringLiteral(schemaArg)
  if (schemaText === undefined && isKeyword(schemaArg[0], 'SCHEMA_OF_JSON') && schemaArg.length === 4) {
    const sample = stringLiteral([schemaArg[2]!])
    if (sample !== undefined) schemaText = schemaOfJson(sample)
  }
  if (schemaText === undefined) return replaceCall(call, sparkErrorSql('DATATYPE_MISMATCH.NON_FOLDABLE_INPUT', 'from_json needs the schema as a string literal'))
  let type: SparkTypeText
  try {
    type = duckdbTypeOfSchema(schemaText, mode === 'ansi')
  } catch (e) {
    if (e instanceof SparkTypeError) return replaceCall(call, sparkErrorSql('PARSE_SYNTAX_ERROR', `from_json schema: ${e.message}`))
    throw e
  }
  const options = call.args.length === 3 ? literalOptions(call.args[2]) : {}
  if (options === undefined) return replaceCall(call, sparkErrorSql('INVALID_OPTIONS.NON_MAP_FUNCTION', 'from_json options must be map(...)'))
  const structure = JSON.stringify(type.jsonStructure)
  const isStruct = type.duckdb.startsWith('STRUCT(') ? 1 : 0
  return [
    { start: call.name.start, end: call.open.end, text: 'CAST(json_transform(__lb_json_conform(CAST(' },
    { start: call.commas[0]!.start, end: call.close.end, text: ` AS VARCHAR), ${sqlText(structure)}, ${sqlText(JSON.stringify(options))}, current_setting('TimeZone'), ${isStruct}), ${sqlText(structure)}) AS ${type.duckdb})` }
  ]
}

/**
 * Spark's text for a struct used as a JSON object key (InternalRow.toString): `[v1,v2]` with strings bare, nulls
 * `null`, nested structs and arrays bracketed; numbers keep their JSON spelling (`1.0` stays `1.0`).
 */
export function sparkRowText(json: string): string {
  let at = 0
  const value = (): string => {
    while (/\s/.test(json[at] ?? '')) at++
    const c = json[at]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      const parts: string[] = []
      at++
      for (;;) {
        while (/[\s,]/.test(json[at] ?? '')) at++
        if (json[at] === close || at >= json.length) break
        if (c === '{') {
          value() // the field name
          while (/[\s:]/.test(json[at] ?? '')) at++
        }
        parts.push(value())
      }
      at++
      return `[${parts.join(',')}]`
    }
    if (c === '"') {
      const end = /^"(?:[^"\\]|\\.)*"/.exec(json.slice(at))![0]
      at += end.length
      return JSON.parse(end) as string
    }
    const scalar = /^[^,\]}\s]+/.exec(json.slice(at))?.[0] ?? ''
    at += scalar.length
    return scalar
  }
  return value()
}

const toJsonRewrite: CallRewrite = (call) => {
  // A map spelled in the call: struct keys become Spark's row text (a MAP column's key type is not known here).
  if (call.args.length === 1 && collectionKind(call.args[0]!) === 'map') return rename(call, '__lb_to_json_map')
  if (call.args.length === 1) return rename(call, '__lb_to_json')
  if (call.args.length === 2) {
    if (literalOptions(call.args[1]) === undefined) return replaceCall(call, sparkErrorSql('INVALID_OPTIONS.NON_MAP_FUNCTION', 'to_json options must be map(...)'))
    return [{ start: call.name.start, end: call.name.end, text: '__lb_to_json' }, { start: call.commas[0]!.start, end: call.close.start, text: '' }]
  }
  return null
}

function macros(_mode: SparkMode): string[] {
  return [
    `__lb_get_json_object(j, p) AS CASE WHEN json_valid(j) THEN json_extract_string(CAST(j AS VARCHAR), p) END`,
    `__lb_to_json(x) AS CAST(to_json(x) AS VARCHAR)`,
    `__lb_to_json_map(x) AS CASE WHEN typeof(x) LIKE 'MAP(STRUCT(%' THEN '{' || array_to_string(list_transform(map_entries(x),
      e -> to_json(__lb_row_text(CAST(to_json(e.key) AS VARCHAR))) || ':' || CAST(to_json(e.value) AS VARCHAR)), ',') || '}' ELSE CAST(to_json(x) AS VARCHAR) END`
  ]
}

/**
 * A Databricks JSON path after `:` (`a.b[0]`, `['key with space']`, `a.b[*]`) as a JSONPath (`$.a.b[0]`,
 * `$."key with space"`); field names are case-sensitive as on Databricks.
 */
export function jsonPathOf(segments: { text: string; kind: string; value: string }[]): string {
  let path = '$'
  for (let k = 0; k < segments.length; k++) {
    const t = segments[k]!
    if (t.text === '.') continue
    if (t.text === '[') {
      const inner = segments[k + 1]!
      path += inner.kind === 'string' || inner.kind === 'quotedIdent' ? `."${inner.value.replace(/"/g, '\\"')}"` : `[${inner.text}]`
      k += 2
    } else path += `.${t.kind === 'quotedIdent' ? `"${t.value}"` : t.text}`
  }
  return path
}

export const jsonFamily: FunctionFamily = {
  family: 'json',
  macros,
  udfs: () => [conformUdf(), rowFunction('__lb_row_text', [VARCHAR], VARCHAR, ([json]) => sparkRowText(String(json)))],
  rewrites: {
    FROM_JSON: fromJsonRewrite,
    TO_JSON: toJsonRewrite,
    GET_JSON_OBJECT: (call) => (call.args.length === 2 ? rename(call, '__lb_get_json_object') : null)
  },
  notes: [
    { name: 'from_json', status: 'partial', differences: [
      'The schema must be a literal (DDL string, type string or schema_of_json(literal)); options other than dateFormat/timestampFormat are ignored.',
      'Only PERMISSIVE mode; a malformed record gives a struct of NULLs (arrays and maps: NULL).'
    ] },
    { name: 'to_json', status: 'partial', differences: ['A map with struct keys prints each key as Spark\'s row text (`{"[1,2]":...}`) when the map is built in the call (map(...), map_from_arrays(...), ...); a MAP column with struct keys prints them as DuckDB struct text.', 'Options are accepted and ignored.'] },
    { name: 'get_json_object', status: 'yes', differences: ['Paths are DuckDB JSONPath: wildcards ([*]) return a JSON array text as Spark does only for simple cases.'] },
    { name: ': (JSON path)', status: 'yes', differences: ['`col:a.b`, `col:a[0]`, `col:[\'k\']` on a STRING column; `::type` after it casts the extracted text.'] }
  ]
}
