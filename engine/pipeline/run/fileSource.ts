// Landing files for read_files / cloud_files: which files are new, and reading them (CSV/JSON/parquet) with typed columns, _rescued_data and _metadata.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { sqlIdent, sqlString } from '../../delta/parquetPort'
import { deltaTypeOf } from '../../delta/typeMapping'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { FileSource } from '../model'
import type { OffsetFile, SourceSchemaColumn } from './checkpoints'
import { inferCsvTypes, optionFlag, readCsvAsText, type RawCsv } from './csvReader'
import { PipelineRunError } from './runTypes'
import { parseDdlColumns } from './sparkDdl'

/** Option keys compared ignoring case and the `cloudFiles.` prefix. */
function optionsOf(source: FileSource): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(source.options)) out.set(k.toLowerCase().replace(/^cloudfiles\./, ''), v)
  return out
}

const flag = optionFlag

/** A stable key for a source inside a flow's checkpoint. */
export function fileSourceKey(source: FileSource): string {
  return `${source.format}:${source.path}`
}

/**
 * The columns a CSV/JSON source declares with its `schema` option (what its rows will have before any file arrives), or
 * null when it infers them from files (or reads parquet).
 * @throws PipelineRunError INVALID_SCHEMA for a `schema` option that does not parse.
 */
export function declaredSchemaOf(source: FileSource): SourceSchemaColumn[] | null {
  if (source.format !== 'csv' && source.format !== 'json') return null
  const declared = optionsOf(source).get('schema')
  return declared === undefined ? null : parseDdlColumns(declared, 'schema')
}

/**
 * The source's `maxFilesPerTrigger` (also `cloudFiles.maxFilesPerTrigger`): at most this many new files per batch, or
 * null without a limit.
 * @throws PipelineRunError INVALID_OPTION naming the source's location when the value is not a positive integer.
 */
export function maxFilesPerTriggerOf(source: FileSource): number | null {
  const value = optionsOf(source).get('maxfilespertrigger')
  if (value === undefined) return null
  const n = Number(value.trim())
  if (!Number.isInteger(n) || n < 1) {
    const at = source.location
    throw new PipelineRunError('INVALID_OPTION', `${source.function}('${source.path}') (${at.file}:${at.line}:${at.column}): maxFilesPerTrigger must be a positive integer, got '${value}'`, { location: at })
  }
  return n
}

function globRegex(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*'
      i++
      if (glob[i + 1] === '/') i++
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '{') {
      const end = glob.indexOf('}', i)
      re += `(${glob.slice(i + 1, end).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`
      i = end
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

/** Data files only: Spark skips names starting with '_' or '.' (_SUCCESS, .crc, temp files). */
function isDataFile(name: string): boolean {
  return !name.startsWith('_') && !name.startsWith('.')
}

/**
 * Every data file the source's path names (a folder, read recursively, or a glob), as paths relative to the
 * lakehouse root when inside it, sorted by path. A missing folder has no files.
 */
export async function listSourceFiles(lakehouseRoot: string, source: FileSource): Promise<OffsetFile[]> {
  const written = source.path.replace(/^file:/, '')
  const absolute = path.resolve(lakehouseRoot, written)
  const globAt = absolute.search(/[*?{[]/)
  const base = globAt < 0 ? absolute : absolute.slice(0, absolute.lastIndexOf(path.sep, globAt))
  const matcher = globAt < 0 ? null : globRegex(absolute.split(path.sep).join('/'))
  let names: string[]
  try {
    const stat = await fs.stat(base)
    names = stat.isDirectory() ? ((await fs.readdir(base, { recursive: true })) as string[]) : ['']
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const files: OffsetFile[] = []
  for (const name of names) {
    const abs = name === '' ? base : path.join(base, name)
    if (name !== '' && name.split(path.sep).some((part) => !isDataFile(part))) continue
    if (matcher && !matcher.test(abs.split(path.sep).join('/'))) continue
    const stat = await fs.stat(abs)
    if (!stat.isFile()) continue
    const rel = path.relative(lakehouseRoot, abs)
    files.push({ path: rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/'), size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs) })
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** A Delta-compatible DuckDB type for an inferred one; anything Delta cannot store (JSON, TIME, unsigned...) reads as text. */
function storableType(type: string): string {
  if (/\bJSON\b/i.test(type)) return 'VARCHAR'
  try {
    deltaTypeOf(type)
    return type
  } catch {
    return 'VARCHAR'
  }
}

const isNested = (type: string): boolean => /[([\]]|STRUCT|MAP/i.test(type) && !/^DECIMAL/i.test(type)

interface ReadContext {
  session: DuckdbSession
  lakehouseRoot: string
  source: FileSource
  files: OffsetFile[]
  options: Map<string, string>
}

const absoluteOf = (root: string, file: OffsetFile): string => path.resolve(root, file.path)

/** The source's columns: the declared schema, else the schema fixed by an earlier batch, else inferred; then schemaHints. */
async function sourceSchema(ctx: ReadContext, known: SourceSchemaColumn[] | undefined): Promise<SourceSchemaColumn[]> {
  const declared = ctx.options.get('schema')
  let columns: SourceSchemaColumn[]
  if (declared !== undefined) columns = parseDdlColumns(declared, 'schema')
  else if (known) columns = known
  else columns = await inferSchema(ctx)
  const hints = ctx.options.get('schemahints')
  if (hints !== undefined && declared === undefined && !known) {
    for (const hint of parseDdlColumns(hints, 'schemaHints')) {
      const at = columns.findIndex((c) => c.name.toLowerCase() === hint.name.toLowerCase())
      if (at >= 0) columns[at] = { name: columns[at]!.name, type: hint.type }
      else columns.push(hint)
    }
  }
  return columns
}

async function inferSchema(ctx: ReadContext): Promise<SourceSchemaColumn[]> {
  const list = `[${ctx.files.map((f) => sqlString(absoluteOf(ctx.lakehouseRoot, f))).join(', ')}]`
  // read_files infers column types by default; Auto Loader (cloud_files) reads text formats as strings unless asked.
  const inferTypes = flag(ctx.options.get('infercolumntypes') ?? ctx.options.get('inferschema'), ctx.source.function === 'read_files')
  const format = ctx.source.format
  let described: Record<string, unknown>[]
  if (format === 'csv') {
    const raw = await Promise.all(ctx.files.map((f) => readCsvAsText(ctx.session, absoluteOf(ctx.lakehouseRoot, f), ctx.options)))
    const inferred = await inferCsvTypes(ctx.session, raw)
    return inferTypes ? inferred : inferred.map((c) => ({ name: c.name, type: 'VARCHAR' }))
  } else if (format === 'json') {
    const multiLine = flag(ctx.options.get('multiline'), false)
    described = await ctx.session.query(`DESCRIBE SELECT * FROM read_json(${list}, format = ${multiLine ? "'auto'" : "'newline_delimited'"}, ignore_errors = true, union_by_name = true)`)
    if (!inferTypes) described = described.map((row) => ({ ...row, column_type: 'VARCHAR' }))
  } else {
    throw new PipelineRunError('UNSUPPORTED', `read_files format '${format}' cannot be inferred here`)
  }
  return described.map((row) => ({ name: String(row.column_name), type: storableType(String(row.column_type)) }))
}

function metadataExpr(root: string, file: OffsetFile): string {
  return `{'file_path': ${sqlString(file.path)}, 'file_name': ${sqlString(path.basename(file.path))}, 'file_size': ${file.size}::BIGINT, ` +
    `'file_modification_time': make_timestamptz(${file.mtimeMs}::BIGINT * 1000)} AS _metadata`
}

/** `{k, v}` entries of values that did not fit, plus where they came from, as Auto Loader's _rescued_data JSON text. */
function rescuedExpr(entries: string[], file: OffsetFile, lineExpr: string, extraEntries?: string): string {
  const list = `list_filter([${entries.join(', ')}]::STRUCT(k VARCHAR, v VARCHAR)[], e -> e.v IS NOT NULL)`
  const all = extraEntries ? `list_concat(${list}, ${extraEntries})` : list
  return `CASE WHEN len(${all}) > 0 THEN to_json(map_from_entries(list_concat(${all}, [{'k': '_file_path', 'v': ${sqlString(file.path)}}, {'k': '_line', 'v': CAST(${lineExpr} AS VARCHAR)}])))::VARCHAR END AS _rescued_data`
}

function csvFileSelect(ctx: ReadContext, file: OffsetFile, columns: SourceSchemaColumn[], raw: RawCsv): string {
  const header = flag(ctx.options.get('header'), false)
  const fileColumns = raw.columns
  const byName = new Map(fileColumns.map((c, i) => [c.toLowerCase(), i]))
  const used = new Set<number>()
  const selects: string[] = []
  const rescue: string[] = []
  columns.forEach((c, i) => {
    const at = header ? byName.get(c.name.toLowerCase()) : i < fileColumns.length ? i : undefined
    if (at === undefined) {
      selects.push(`CAST(NULL AS ${c.type}) AS ${sqlIdent(c.name)}`)
      return
    }
    used.add(at)
    const raw = `r.${sqlIdent(fileColumns[at]!)}`
    if (c.type === 'VARCHAR') selects.push(`${raw} AS ${sqlIdent(c.name)}`)
    else {
      selects.push(`TRY_CAST(${raw} AS ${c.type}) AS ${sqlIdent(c.name)}`)
      rescue.push(`{'k': ${sqlString(c.name)}, 'v': CASE WHEN ${raw} IS NOT NULL AND TRY_CAST(${raw} AS ${c.type}) IS NULL THEN ${raw} END}`)
    }
  })
  fileColumns.forEach((name, i) => {
    if (!used.has(i)) rescue.push(`{'k': ${sqlString(name)}, 'v': r.${sqlIdent(name)}}`)
  })
  return `SELECT ${[...selects, rescuedExpr(rescue, file, 'r.__lb_line'), metadataExpr(ctx.lakehouseRoot, file)].join(', ')} FROM (${raw.sql}) AS r`
}

function jsonFileSelect(ctx: ReadContext, file: OffsetFile, columns: SourceSchemaColumn[]): string {
  const abs = sqlString(absoluteOf(ctx.lakehouseRoot, file))
  const multiLine = flag(ctx.options.get('multiline'), false)
  // Each record as text with its position: one per line, or the elements of a (multi-line) document.
  // DuckDB evaluates JSON functions on every row whatever CASE guards them, so invalid text is turned into NULL
  // (json_valid never raises) before any of them sees it.
  const records = multiLine
    ? `SELECT CAST(unnest(docs) AS VARCHAR) AS line, generate_subscripts(docs, 1) AS ln FROM (SELECT CASE WHEN doc IS NULL THEN [content] ` +
      `WHEN json_type(doc) = 'ARRAY' THEN CAST(json_extract(doc, '$[*]') AS VARCHAR[]) ELSE [doc] END AS docs FROM (SELECT content, CASE WHEN json_valid(content) THEN content END AS doc FROM read_text(${abs})))`
    : `SELECT rtrim(unnest(string_split(content, chr(10))), chr(13)) AS line, generate_subscripts(string_split(content, chr(10)), 1) AS ln FROM read_text(${abs})`
  const parsed = `SELECT line, ln, CASE WHEN json_type(doc) = 'OBJECT' THEN doc END AS obj FROM (SELECT line, ln, CASE WHEN json_valid(line) THEN line END AS doc FROM (${records}))`
  const valid = '(r.obj IS NOT NULL)'
  const selects: string[] = []
  const rescue: string[] = []
  for (const c of columns) {
    const jsonPath = sqlString(`$."${c.name.replace(/"/g, '\\"')}"`)
    const raw = isNested(c.type) ? `json_extract(r.obj, ${jsonPath})` : `json_extract_string(r.obj, ${jsonPath})`
    const value = c.type === 'VARCHAR' ? `json_extract_string(r.obj, ${jsonPath})` : `TRY_CAST(${raw} AS ${c.type})`
    selects.push(`${value} AS ${sqlIdent(c.name)}`)
    if (c.type !== 'VARCHAR') rescue.push(`{'k': ${sqlString(c.name)}, 'v': CASE WHEN ${valid} AND ${raw} IS NOT NULL AND ${value} IS NULL THEN CAST(${raw} AS VARCHAR) END}`)
  }
  rescue.push(`{'k': '_corrupt_record', 'v': CASE WHEN NOT ${valid} THEN r.line END}`)
  const declared = `[${columns.map((c) => sqlString(c.name)).join(', ')}]::VARCHAR[]`
  const extra = `coalesce(list_transform(list_filter(json_keys(r.obj), k -> NOT list_contains(${declared}, k)), k -> {'k': k, 'v': json_extract_string(r.obj, '$."' || k || '"')}), []::STRUCT(k VARCHAR, v VARCHAR)[])`
  return `SELECT ${[...selects, rescuedExpr(rescue, file, 'r.ln', extra), metadataExpr(ctx.lakehouseRoot, file)].join(', ')} FROM (${parsed}) AS r WHERE trim(r.line) <> ''`
}

function parquetFileSelect(ctx: ReadContext, file: OffsetFile): string {
  return `SELECT *, ${metadataExpr(ctx.lakehouseRoot, file)} FROM read_parquet(${sqlString(absoluteOf(ctx.lakehouseRoot, file))})`
}

let stagedCounter = 0

export interface StagedFileSource {
  /** Temp table holding the batch's rows: source columns, _rescued_data (CSV/JSON), _metadata. */
  relation: string
  rowCount: number
  schema: SourceSchemaColumn[]
}

/**
 * Reads `files` of `source` into one temp table. CSV and JSON are read as text and each declared/inferred column is
 * TRY_CAST to its type; a non-null value that does not convert becomes NULL and is kept, with every column the schema
 * lacks, in `_rescued_data` (JSON text with `_file_path` and `_line`); an unparseable JSON record gives a row of NULLs
 * whose `_rescued_data` holds it as `_corrupt_record`. `_metadata` is {file_path (relative to the lakehouse),
 * file_name, file_size, file_modification_time}. `knownSchema` (from an earlier batch) keeps the types stable.
 * @throws PipelineRunError UNSUPPORTED for formats other than csv/json/parquet; INVALID_SCHEMA for a bad schema option;
 *   DuckDB errors naming the file when one cannot be read.
 */
export async function stageFileSource(session: DuckdbSession, lakehouseRoot: string, source: FileSource, files: OffsetFile[], knownSchema?: SourceSchemaColumn[]): Promise<StagedFileSource> {
  const ctx: ReadContext = { session, lakehouseRoot, source, files, options: optionsOf(source) }
  const relation = `__lbp_files_${++stagedCounter}`
  let selects: string[]
  let schema: SourceSchemaColumn[] = []
  if (source.format === 'parquet') {
    selects = files.map((f) => parquetFileSelect(ctx, f))
  } else if (source.format === 'csv' || source.format === 'json') {
    schema = await sourceSchema(ctx, knownSchema)
    if (source.format === 'csv') {
      selects = []
      for (const f of files) {
        selects.push(csvFileSelect(ctx, f, schema, await readCsvAsText(session, absoluteOf(lakehouseRoot, f), ctx.options)))
      }
    } else selects = files.map((f) => jsonFileSelect(ctx, f, schema))
  } else {
    throw new PipelineRunError('UNSUPPORTED', `${source.function}(${source.path}) format '${source.format}' is not supported locally (supported: csv, json, parquet)`, { location: source.location })
  }
  await session.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(relation)} AS ${selects.map((s) => `(${s})`).join(source.format === 'parquet' ? ' UNION ALL BY NAME ' : ' UNION ALL ')}`)
  const count = await session.query(`SELECT count(*)::BIGINT AS n FROM ${sqlIdent(relation)}`)
  if (source.format === 'parquet') {
    const described = await session.query(`DESCRIBE ${sqlIdent(relation)}`)
    schema = described.filter((r) => r.column_name !== '_metadata').map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
  }
  return { relation, rowCount: Number(count[0]!.n), schema }
}
