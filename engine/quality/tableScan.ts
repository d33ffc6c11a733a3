// tableScan: the latest version of a lakehouse table as one DuckDB SELECT, or null when the table does not exist yet.
import { DeltaTable } from '../delta/deltaTable'
import { sqlIdent } from '../delta/parquetPort'
import { scanSql } from '../delta/scan'
import type { Lakehouse } from '../lakehouse/folder'
import type { DuckdbSession } from '../sql/duckdbSession'

export interface QualityContext {
  lakehouse: Lakehouse
  session: DuckdbSession
}

export interface TableScan {
  /** `schema.table` as stored. */
  table: string
  /** A SELECT over the table's latest version. */
  sql: string
  /** Lower-cased column names of that version's schema. */
  columns: Set<string>
}

/**
 * Scans `schema.name` at its latest version; null when the lakehouse has no such Delta table (a system table that
 * nothing has written yet), so readers can answer with empty results instead of failing.
 * @throws DeltaError when the table exists but its log or files cannot be read.
 */
export async function scanLatest(ctx: QualityContext, schema: string, name: string): Promise<TableScan | null> {
  const found = await ctx.lakehouse.resolveTable(schema, name)
  if (!found) return null
  const snapshot = await (await DeltaTable.open(found.path, ctx.session)).snapshot()
  return {
    table: `${found.schema}.${found.name}`,
    sql: await scanSql(snapshot, ctx.session),
    columns: new Set(snapshot.schema.fields.map((f) => f.name.toLowerCase()))
  }
}

/**
 * `expression` when every column it needs is in the scan, else `fallback`: system tables written by older versions
 * lack later columns, and a missing column should read as NULL rather than fail the whole panel.
 */
export function ifColumns(scan: TableScan, needs: string[], expression: string, fallback = 'NULL'): string {
  return needs.every((c) => scan.columns.has(c.toLowerCase())) ? expression : fallback
}

/** `column` quoted when the scan has it, else `NULL AS column` (for a SELECT list). */
export function columnOrNull(scan: TableScan, column: string, cast?: string): string {
  const ident = sqlIdent(column)
  if (!scan.columns.has(column.toLowerCase())) return `CAST(NULL AS ${cast ?? 'VARCHAR'}) AS ${ident}`
  return cast ? `CAST(${ident} AS ${cast}) AS ${ident}` : ident
}

/** A BIGINT/HUGEINT/DOUBLE value from DuckDB as a JS number; null stays null. */
export function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}

/** A VARCHAR value from DuckDB as a string; null stays null. */
export function stringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value)
}
