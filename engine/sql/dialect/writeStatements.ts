// CREATE SCHEMA, CREATE TABLE ... USING DELTA [AS SELECT], INSERT INTO/OVERWRITE and DELETE FROM, run through DeltaTable.
import path from 'node:path'
import { DeltaTable } from '../../delta/deltaTable'
import { DeltaError } from '../../delta/errors'
import { sqlIdent } from '../../delta/parquetPort'
import type { StructField, StructType } from '../../delta/schema'
import { deltaTypeOf, duckdbTypeOf } from '../../delta/typeMapping'
import { isPathName, type ResolvedTable, type SqlCatalog } from '../catalog'
import type { DuckdbSession } from '../duckdbSession'
import { SqlError } from '../sqlError'
import type { TableScan, TableBinder } from '../tableBinding'
import { unqualifiedDeletePredicate } from './deletePredicate'
import type { NamedTable, SparkStatement } from './statements'
import { identifierOf, isKeyword, isSignificant, type Token } from './tokenizer'

export interface WriteContext {
  session: DuckdbSession
  catalog: SqlCatalog
  binder: TableBinder
  /** Commit clock (tests and the sample generator inject one). */
  clock?: { now(): number }
}

export interface WriteOutcome {
  message: string
  scans: TableScan[]
}

type Of<K extends SparkStatement['kind']> = Extract<SparkStatement, { kind: K }>

function where(t: NamedTable): { line: number; column: number } {
  return { line: t.line, column: t.column }
}

/** Runs a Delta write, naming the table in any Delta error it raises. */
async function naming<T>(displayName: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (e) {
    if (e instanceof DeltaError) {
      const file = typeof e.detail.file === 'string' ? e.detail.file : undefined
      throw new SqlError(e.code, `${displayName}: ${e.message}`, { table: displayName, file, cause: e })
    }
    throw e
  }
}

function metricText(metrics: Record<string, number>, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof metrics[k] === 'number') return metrics[k]
  return undefined
}

/** CREATE SCHEMA [IF NOT EXISTS] name. @throws SqlError SCHEMA_EXISTS / INVALID_NAME. */
export async function runCreateSchema(ctx: WriteContext, st: Of<'createSchema'>): Promise<WriteOutcome> {
  const lakehouse = ctx.catalog.lakehouse
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(st.name)) throw new SqlError('INVALID_NAME', `Invalid schema name '${st.name}': use letters, digits and underscores`)
  const created = await lakehouse.createSchema(st.name)
  if (!created && !st.ifNotExists) throw new SqlError('SCHEMA_EXISTS', `Schema ${st.name} already exists (lakehouse ${lakehouse.root})`)
  return { message: created ? `Created schema ${st.name.toLowerCase()}` : `Schema ${st.name} already exists`, scans: [] }
}

/** The columns (name, DuckDB type) a query produces, from DuckDB's DESCRIBE. */
async function describeQuery(ctx: WriteContext, sql: string): Promise<{ name: string; type: string }[]> {
  const rows = await ctx.session.query(`DESCRIBE ${sql}`)
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }))
}

/**
 * A SELECT that maps a query's columns onto a table schema the way Spark does: by position (or by the listed
 * columns), cast to the table's types, unlisted columns NULL, static partition values as constants.
 * @throws SqlError SCHEMA_MISMATCH naming the table and both column counts.
 */
async function alignToSchema(
  ctx: WriteContext, displayName: string, schema: StructType, querySql: string,
  options: { columns?: string[]; byName?: boolean; constants?: Map<string, string> }
): Promise<string> {
  const byLower = new Map(schema.fields.map((f) => [f.name.toLowerCase(), f]))
  const constants = options.constants ?? new Map<string, string>()
  const produced = await describeQuery(ctx, querySql)
  let targets: StructField[]
  if (options.byName) {
    targets = produced.map((c) => {
      const f = byLower.get(c.name.toLowerCase())
      if (!f) throw new SqlError('SCHEMA_MISMATCH', `Column ${c.name} of the query does not exist in ${displayName} (columns: ${schema.fields.map((x) => x.name).join(', ')})`, { table: displayName })
      return f
    })
  } else if (options.columns) {
    targets = options.columns.map((name) => {
      const f = byLower.get(name.toLowerCase())
      if (!f) throw new SqlError('SCHEMA_MISMATCH', `Column ${name} does not exist in ${displayName} (columns: ${schema.fields.map((x) => x.name).join(', ')})`, { table: displayName })
      return f
    })
  } else {
    targets = schema.fields.filter((f) => !constants.has(f.name.toLowerCase()))
  }
  if (produced.length !== targets.length) {
    throw new SqlError('SCHEMA_MISMATCH', `Cannot write to ${displayName}: the query produces ${produced.length} column(s) but ${targets.length} are expected (${targets.map((f) => f.name).join(', ')})`, { table: displayName })
  }
  // The query's columns are renamed to their target columns, so a failing cast names the column it was meant for.
  const positional = targets.map((f) => f.name)
  const select = schema.fields.map((f) => {
    const type = duckdbTypeOf(f.type)
    const idx = targets.indexOf(f)
    const constant = constants.get(f.name.toLowerCase())
    const value = idx >= 0 ? sqlIdent(positional[idx]!) : constant ?? 'NULL'
    return `CAST(${value} AS ${type}) AS ${sqlIdent(f.name)}`
  })
  return `SELECT ${select.join(', ')} FROM (${querySql}) AS __lb_src(${positional.map(sqlIdent).join(', ')})`
}

/** Where a new table goes: lakehouse schema folder (which must exist) or a delta.`path`. */
async function newTableLocation(ctx: WriteContext, table: NamedTable): Promise<{ root: string; displayName: string; name: string }> {
  const lakehouse = ctx.catalog.lakehouse
  if (isPathName(table.parts)) {
    const root = path.resolve(lakehouse.root, table.parts[1]!)
    return { root, displayName: `delta.\`${table.parts[1]}\``, name: path.basename(root) }
  }
  if (table.parts.length !== 2) throw new SqlError('INVALID_NAME', `Name lakehouse tables as schema.table, not ${table.parts.join('.')}`, where(table))
  const [schemaPart, name] = table.parts as [string, string]
  const schema = await lakehouse.resolveSchemaName(schemaPart)
  if (schema === null) throw await ctx.catalog.schemaNotFound(schemaPart, where(table))
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SqlError('INVALID_NAME', `Invalid table name '${name}': use letters, digits and underscores`, where(table))
  return { root: lakehouse.tablePath(schema, name), displayName: `${schema}.${name.toLowerCase()}`, name: name.toLowerCase() }
}

/**
 * CREATE TABLE [IF NOT EXISTS] s.t (cols) USING DELTA [PARTITIONED BY] [COMMENT] [TBLPROPERTIES] [AS SELECT].
 * @throws SqlError TABLE_EXISTS, SCHEMA_NOT_FOUND, UNSUPPORTED (OR REPLACE of an existing table), SCHEMA_MISMATCH.
 */
export async function runCreateTable(ctx: WriteContext, st: Of<'createTable'>): Promise<WriteOutcome> {
  const location = await newTableLocation(ctx, st.table)
  if (await DeltaTable.exists(location.root)) {
    if (st.ifNotExists) return { message: `Table ${location.displayName} already exists`, scans: [] }
    if (st.orReplace) throw new SqlError('UNSUPPORTED', `CREATE OR REPLACE of the existing table ${location.displayName} is not supported; use INSERT OVERWRITE`, { ...where(st.table), table: location.displayName })
    throw new SqlError('TABLE_EXISTS', `Table ${location.displayName} already exists (${location.root})`, { ...where(st.table), table: location.displayName })
  }
  let scans: TableScan[] = []
  let querySql: string | undefined
  if (st.asQuery) {
    const bound = await ctx.binder.bind(st.asQuery)
    scans = bound.scans
    querySql = bound.sql
  }
  let schema: StructType
  if (st.columns) {
    schema = { type: 'struct', fields: st.columns }
  } else {
    const produced = await describeQuery(ctx, querySql!)
    schema = { type: 'struct', fields: produced.map((c) => ({ name: c.name, type: deltaTypeOf(c.type), nullable: true, metadata: {} })) }
  }
  const seen = new Set<string>()
  for (const f of schema.fields) {
    if (seen.has(f.name.toLowerCase())) throw new SqlError('SCHEMA_MISMATCH', `Column ${f.name} appears twice in ${location.displayName} (column names are case-insensitive)`, { ...where(st.table), table: location.displayName })
    seen.add(f.name.toLowerCase())
  }
  const partitionColumns = st.partitionedBy.map((p) => {
    const f = schema.fields.find((x) => x.name.toLowerCase() === p.toLowerCase())
    if (!f) throw new SqlError('SCHEMA_MISMATCH', `Partition column ${p} is not a column of ${location.displayName} (columns: ${schema.fields.map((x) => x.name).join(', ')})`, { ...where(st.table), table: location.displayName })
    return f.name
  })
  const sourceSql = querySql === undefined ? undefined : st.columns ? await alignToSchema(ctx, location.displayName, schema, querySql, {}) : querySql
  await naming(location.displayName, () => DeltaTable.create(location.root, ctx.session, {
    schema, partitionColumns, properties: st.properties, name: location.name, description: st.comment,
    operation: sourceSql ? 'CREATE TABLE AS SELECT' : 'CREATE TABLE', sourceSql
  }, ctx.clock ? { clock: ctx.clock } : undefined))
  ctx.catalog.forget(location.root)
  ctx.binder.forget(location.root)
  return { message: `Created table ${location.displayName}`, scans }
}

/** Parses PARTITION (col = literal, ...) into column -> SQL literal. */
function staticPartition(tokens: readonly Token[] | undefined): Map<string, string> {
  const values = new Map<string, string>()
  if (!tokens) return values
  const sig = tokens.filter(isSignificant)
  for (let k = 0; k < sig.length; ) {
    const name = identifierOf(sig[k]!)
    if (name === null || sig[k + 1]?.text !== '=' || !sig[k + 2]) throw new SqlError('SYNTAX_ERROR', `PARTITION needs col = value pairs (line ${sig[k]?.line})`, { line: sig[k]?.line, column: sig[k]?.column })
    values.set(name.toLowerCase(), sig[k + 2]!.text)
    k += 3
    if (sig[k]?.text === ',') k++
  }
  return values
}

/**
 * INSERT INTO | INSERT OVERWRITE [TABLE] t [PARTITION (...)] [(cols) | BY NAME] [REPLACE WHERE p] query.
 * @throws SqlError TABLE_NOT_FOUND, SCHEMA_MISMATCH, or the writer's Delta error code.
 */
export async function runInsert(ctx: WriteContext, st: Of<'insert'>, table: ResolvedTable): Promise<WriteOutcome> {
  const delta = await DeltaTable.open(table.root, ctx.session, ctx.clock ? { clock: ctx.clock } : undefined)
  const snapshot = await ctx.catalog.snapshot(table, {}, where(st.table))
  const bound = await ctx.binder.bind(st.query)
  const constants = staticPartition(st.partition)
  const sourceSql = await alignToSchema(ctx, table.displayName, snapshot.schema, bound.sql, { columns: st.columns, byName: st.byName, constants })
  let replaceWhere: string | undefined
  if (st.replaceWhere) replaceWhere = (await ctx.binder.bind(st.replaceWhere)).sql
  else if (st.overwrite && constants.size > 0) replaceWhere = [...constants].map(([c, v]) => `${sqlIdent(snapshot.schema.fields.find((f) => f.name.toLowerCase() === c)?.name ?? c)} = ${v}`).join(' AND ')
  const mode = st.overwrite || replaceWhere !== undefined ? 'overwrite' : 'append'
  const result = await naming(table.displayName, () => delta.write({ sourceSql, mode, ...(replaceWhere === undefined ? {} : { replaceWhere }) })).catch((e: unknown) => {
    if (!(e instanceof Error) || e instanceof SqlError || !/^(Conversion|Invalid Input) Error/.test(e.message)) throw e
    // A value that does not fit its column: say which table, in Spark's words for where the value came from.
    throw new SqlError('CAST_ERROR', `Cannot write to ${table.displayName}: ${e.message.split('\n')[0]!.replace('when casting from source column', 'for column')}`, {
      ...where(st.table), table: table.displayName, cause: e
    })
  })
  const rows = metricText(result.metrics, 'numOutputRows', 'numRows')
  return {
    message: `${mode === 'append' ? 'Inserted' : 'Wrote'} ${rows ?? '?'} row(s) into ${table.displayName} (version ${result.version})`,
    scans: bound.scans
  }
}

/** DELETE FROM t [alias] [WHERE predicate]. @throws SqlError with the writer's Delta error code. */
export async function runDelete(ctx: WriteContext, st: Of<'delete'>, table: ResolvedTable): Promise<WriteOutcome> {
  const delta = await DeltaTable.open(table.root, ctx.session, ctx.clock ? { clock: ctx.clock } : undefined)
  let predicate: string | undefined
  let scans: TableScan[] = []
  if (st.where) {
    const names = new Set([(st.alias ?? table.name ?? '').toLowerCase(), (table.name ?? '').toLowerCase()].filter(Boolean))
    const bound = await ctx.binder.bind(unqualifiedDeletePredicate(st.where, names, table.displayName))
    predicate = bound.sql.trim()
    scans = bound.scans
  }
  const result = await naming(table.displayName, () => delta.delete(predicate))
  const rows = metricText(result.metrics, 'numDeletedRows', 'numRemovedRows')
  return { message: `Deleted ${rows ?? '?'} row(s) from ${table.displayName} (version ${result.version})`, scans }
}

