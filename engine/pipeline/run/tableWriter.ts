// Pipeline tables on disk: create a dataset's Delta table from its first rows, write batches idempotently, compare content, replace on schema change.
import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { DeltaTable } from '../../delta/deltaTable'
import { sqlIdent } from '../../delta/parquetPort'
import { scanSql } from '../../delta/scan'
import type { StructType } from '../../delta/schema'
import type { Snapshot } from '../../delta/snapshot'
import { deltaTypeOf, duckdbTypeOf, field } from '../../delta/typeMapping'
import type { Lakehouse } from '../../lakehouse/folder'
import type { DuckdbSession } from '../../sql/duckdbSession'
import type { Dataset } from '../model'
import type { RunClock } from './runTypes'
import { PipelineRunError } from './runTypes'

export interface TableSpec {
  /** `schema.table`. */
  stored: string
  partitionColumns?: string[]
  properties?: Record<string, string>
  comment?: string
  /** Columns declared NOT NULL. */
  notNull?: string[]
}

/** The table spec a dataset's definition gives its stored table `stored`. */
export function tableSpecOf(dataset: Dataset, stored: string): TableSpec {
  return {
    stored,
    partitionColumns: dataset.partitionColumns,
    properties: dataset.properties,
    ...(dataset.comment ? { comment: dataset.comment } : {}),
    notNull: dataset.columns.filter((c) => !c.nullable).map((c) => c.name)
  }
}

/** The Delta schema of a temp table's columns. */
export async function relationSchema(session: DuckdbSession, relation: string, notNull: readonly string[] = []): Promise<StructType> {
  const described = await session.query(`DESCRIBE ${sqlIdent(relation)}`)
  const required = new Set(notNull.map((c) => c.toLowerCase()))
  return {
    type: 'struct',
    fields: described.map((row) => {
      const name = String(row.column_name)
      let type
      try {
        type = deltaTypeOf(String(row.column_type))
      } catch (e) {
        throw new PipelineRunError('UNSUPPORTED_TYPE', `column '${name}' has type ${String(row.column_type)}, which a Delta table cannot store: ${(e as Error).message}`, { column: name })
      }
      return field(name, type, !required.has(name.toLowerCase()))
    })
  }
}

/** True when two schemas have the same column names (ignoring case) and types, in order. */
export function sameSchema(a: StructType, b: StructType): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name.toLowerCase() === b.fields[i]!.name.toLowerCase() && JSON.stringify(f.type) === JSON.stringify(b.fields[i]!.type))
}

/** The folder of `schema.table`, creating the schema folder when needed. */
export async function tableRootOf(lakehouse: Lakehouse, stored: string): Promise<string> {
  const [schema, table] = stored.split('.') as [string, string]
  await lakehouse.createSchema(schema)
  const existing = await lakehouse.resolveTable(schema, table)
  return existing?.path ?? lakehouse.tablePath(schema, table)
}

/** Opens the table, or null when it does not exist yet. */
export async function openIfExists(session: DuckdbSession, root: string, clock: RunClock): Promise<DeltaTable | null> {
  if (!(await DeltaTable.exists(root))) return null
  return DeltaTable.open(root, session, { clock })
}

/**
 * Creates the table with the columns of `relation` (version 0, no rows): its rows are then written by an idempotent
 * write whose txn records the batch.
 * @throws DeltaError from createTable (e.g. an unknown partition column), PipelineRunError UNSUPPORTED_TYPE.
 */
export async function createFor(session: DuckdbSession, root: string, relation: string, spec: TableSpec, clock: RunClock, asSelect = false): Promise<DeltaTable> {
  const schema = await relationSchema(session, relation, spec.notNull)
  const properties = Object.fromEntries(Object.entries(spec.properties ?? {}).filter(([k]) => !k.startsWith('delta.')))
  return DeltaTable.create(root, session, {
    schema,
    name: spec.stored.split('.')[1],
    ...(spec.comment ? { description: spec.comment } : {}),
    partitionColumns: spec.partitionColumns ?? [],
    properties,
    ...(asSelect ? { sourceSql: `SELECT * FROM ${sqlIdent(relation)}` } : {})
  }, { clock })
}

/**
 * Replaces a table whose schema no longer matches its query (a full refresh or a changed materialized view): the old
 * folder is moved aside, the new table created with the rows, and the old folder removed once the new one exists.
 */
export async function replaceTable(session: DuckdbSession, root: string, relation: string, spec: TableSpec, clock: RunClock): Promise<DeltaTable> {
  const aside = path.join(path.dirname(root), `.${path.basename(root)}.replaced-${randomUUID()}`)
  await fs.rename(root, aside)
  const table = await createFor(session, root, relation, spec, clock, true)
  await fs.rm(aside, { recursive: true, force: true })
  return table
}

/** `relation`'s columns cast to the table's types, in the table's order (what a write or a comparison sees). */
function conformed(relation: string, schema: StructType, exclude: Set<string>): string {
  const cols = schema.fields.filter((f) => !exclude.has(f.name.toLowerCase()))
  return `SELECT ${cols.map((f) => `CAST(${sqlIdent(f.name)} AS ${duckdbTypeOf(f.type)}) AS ${sqlIdent(f.name)}`).join(', ')} FROM ${relation}`
}

/**
 * True when the table at `snapshot` holds exactly the rows of `relation` (as multisets, EXCEPT ALL both ways),
 * ignoring `excludeColumns`. A comparison DuckDB cannot make counts as different.
 */
export async function sameContent(session: DuckdbSession, snapshot: Snapshot, relation: string, excludeColumns: string[] = []): Promise<boolean> {
  const exclude = new Set(excludeColumns.map((c) => c.toLowerCase()))
  const current = `(${await scanSql(snapshot, session)})`
  const fresh = conformed(sqlIdent(relation), snapshot.schema, exclude)
  const old = conformed(current, snapshot.schema, exclude)
  try {
    const rows = await session.query(`SELECT (SELECT count(*) FROM (${fresh} EXCEPT ALL ${old})) + (SELECT count(*) FROM (${old} EXCEPT ALL ${fresh}))::BIGINT AS d`)
    return Number(rows[0]!.d) === 0
  } catch {
    return false
  }
}
