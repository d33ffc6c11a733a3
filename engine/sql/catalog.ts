// Name resolution for SQL (schema.table and delta.`/path` -> Delta table folders) and the per-(table, version) snapshot cache.
import path from 'node:path'
import { DeltaError } from '../delta/errors'
import { latestVersion, loadSnapshot, type SnapshotAt } from '../delta/logReplay'
import { LogStore } from '../delta/logStore'
import type { ParquetPort } from '../delta/parquetPort'
import type { Snapshot } from '../delta/snapshot'
import type { Lakehouse } from '../lakehouse/folder'
import { SqlError } from './sqlError'

const MAX_CACHED_SNAPSHOTS = 64

/** A Delta table a SQL name resolved to. */
export interface ResolvedTable {
  /** How messages name it: `bronze.users` or delta.`/abs/path`. */
  displayName: string
  root: string
  /** Lakehouse schema and table folder names, when the table lives in the lakehouse. */
  schema?: string
  name?: string
}

/** Where a name was written, so errors can point at it. */
export interface NamePosition {
  line?: number
  column?: number
}

/** Levenshtein distance, for "Did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = current
    }
  }
  return row[b.length]!
}

/** The closest candidate to `wanted` (case-insensitive), if it is close enough to be a plausible typo. */
export function closestName(wanted: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(wanted.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined
}

/** True when the parts name a table by path: delta.`/abs/path` (also parquet-free relative paths like delta.`./t`). */
export function isPathName(parts: readonly string[]): boolean {
  return parts.length === 2 && parts[0]!.toLowerCase() === 'delta' && /[\\/]/.test(parts[1]!)
}

const FILE_READERS: Record<string, string> = { parquet: 'read_parquet', csv: 'read_csv', json: 'read_json_auto', text: 'read_text' }

/**
 * Spark's direct file queries (parquet.`/path`, csv.`/path`, json.`/path`, text.`/path`) as the DuckDB reader call,
 * with a relative path taken from the lakehouse root; null for any other name.
 */
export function fileScanSql(parts: readonly string[], lakehouseRoot: string): string | null {
  if (parts.length !== 2 || !/[\\/.*]/.test(parts[1]!)) return null
  const reader = FILE_READERS[parts[0]!.toLowerCase()]
  if (!reader) return null
  const file = path.resolve(lakehouseRoot, parts[1]!)
  return `${reader}('${file.replace(/'/g, "''")}')`
}

/**
 * Resolves table names against a lakehouse and caches snapshots per (table root, table id, version). The latest
 * version of a table is re-checked once per statement with a cheap log listing, so repeated queries reuse the
 * snapshot until someone commits.
 */
export class SqlCatalog {
  private readonly snapshots = new Map<string, Snapshot>()
  /** Latest version per table root, valid for the current statement only. */
  private latestThisStatement = new Map<string, number | null>()
  /** Latest version seen per table root across statements: a hint that turns the next check into two file probes. */
  private readonly lastKnownLatest = new Map<string, number>()

  constructor(readonly lakehouse: Lakehouse, private readonly port: ParquetPort) {}

  /** Forget per-statement state (latest versions); call before each statement. */
  beginStatement(): void {
    this.latestThisStatement = new Map()
  }

  /** True when `schema` is a schema of the lakehouse (ignoring case). */
  async isLakehouseSchema(schema: string): Promise<boolean> {
    return (await this.lakehouse.resolveSchemaName(schema)) !== null
  }

  /**
   * Resolves name parts to a Delta table: delta.`/path` (absolute, or relative to the lakehouse root) or
   * schema.table in the lakehouse. Returns null when the name is not a lakehouse name at all (so DuckDB handles it).
   * @throws SqlError TABLE_NOT_FOUND (with a "Did you mean" suggestion) when the schema exists but the table does not,
   *   or a path has no _delta_log.
   */
  async resolve(parts: readonly string[], where: NamePosition = {}): Promise<ResolvedTable | null> {
    if (isPathName(parts)) {
      const root = path.resolve(this.lakehouse.root, parts[1]!)
      const displayName = `delta.\`${parts[1]}\``
      if ((await latestVersion(new LogStore(root))) === null) {
        throw new SqlError('TABLE_NOT_FOUND', `Table ${displayName} not found: ${path.join(root, '_delta_log')} has no commits`, { ...where, table: displayName, file: root })
      }
      return { displayName, root }
    }
    if (parts.length !== 2) return null
    const [schemaPart, tablePart] = parts as [string, string]
    const schema = await this.lakehouse.resolveSchemaName(schemaPart)
    if (schema === null) return null
    const table = await this.lakehouse.resolveTable(schema, tablePart)
    if (!table) {
      const wanted = `${schemaPart}.${tablePart}`
      const all = (await this.lakehouse.listTables()).map((t) => `${t.schema}.${t.name}`)
      const suggestion = closestName(wanted, all)
      throw new SqlError(
        'TABLE_NOT_FOUND',
        `Table ${wanted} not found (lakehouse ${this.lakehouse.root}).${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
        { ...where, table: wanted }
      )
    }
    return { displayName: `${table.schema}.${table.name}`, root: table.path, schema: table.schema, name: table.name }
  }

  /**
   * Like resolve, but a name that is not a lakehouse name is an error too.
   * @throws SqlError SCHEMA_NOT_FOUND or TABLE_NOT_FOUND naming the lakehouse and the closest existing name.
   */
  async require(parts: readonly string[], where: NamePosition = {}): Promise<ResolvedTable> {
    const resolved = await this.resolve(parts, where)
    if (resolved) return resolved
    const written = parts.join('.')
    if (parts.length === 2) throw await this.schemaNotFound(parts[0]!, where)
    const all = (await this.lakehouse.listTables()).map((t) => `${t.schema}.${t.name}`)
    const suggestion = closestName(written, all) ?? all.find((t) => t.endsWith(`.${written.toLowerCase()}`))
    throw new SqlError(
      'TABLE_NOT_FOUND',
      `Table ${written} not found: name lakehouse tables as schema.table${suggestion ? `. Did you mean ${suggestion}?` : ''}`,
      { ...where, table: written }
    )
  }

  /** The SCHEMA_NOT_FOUND error for `schema`, with the lakehouse's schemas and the closest one. */
  async schemaNotFound(schema: string, where: NamePosition = {}): Promise<SqlError> {
    const schemas = await this.lakehouse.listSchemas()
    const suggestion = closestName(schema, schemas)
    return new SqlError(
      'SCHEMA_NOT_FOUND',
      `Schema ${schema} not found (lakehouse ${this.lakehouse.root}; schemas: ${schemas.join(', ') || 'none'}).${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
      where
    )
  }

  /** Latest version of a table, listed once per statement. */
  private async latest(table: ResolvedTable): Promise<number> {
    let v: number | null | undefined = this.latestThisStatement.get(table.root)
    if (v === undefined) {
      const listed: number | null = await latestVersion(new LogStore(table.root), this.lastKnownLatest.get(table.root))
      this.latestThisStatement.set(table.root, listed)
      if (listed === null) this.lastKnownLatest.delete(table.root)
      else this.lastKnownLatest.set(table.root, listed)
      v = listed
    }
    if (v === null || v === undefined) throw new SqlError('TABLE_NOT_FOUND', `Table ${table.displayName} has no commits (${path.join(table.root, '_delta_log')})`, { table: table.displayName, file: table.root })
    return v
  }

  /**
   * The snapshot of a table at a version, a timestamp (ms) or the latest version.
   * @throws SqlError VERSION_NOT_FOUND ("Version 12 of silver.workouts does not exist; the table has versions 0..7"),
   *   TIMESTAMP_OUT_OF_RANGE, or the Delta error's code, each naming the table.
   */
  async snapshot(table: ResolvedTable, at: SnapshotAt = {}, where: NamePosition = {}): Promise<Snapshot> {
    const latest = await this.latest(table)
    const version = at.version ?? (at.timestamp === undefined ? latest : undefined)
    if (version !== undefined) {
      if (version > latest || version < 0) throw this.versionNotFound(table, version, latest, where)
      const cached = this.cached(table, version)
      if (cached) return cached
    }
    try {
      // Replaying only the commits after the newest cached snapshot keeps "latest" cheap as a table grows.
      const from = version !== undefined ? this.newestCachedBefore(table, version) : undefined
      const snap = await loadSnapshot(new LogStore(table.root), this.port, version !== undefined ? { version } : at, from)
      this.snapshots.set(`${table.root}\u0000${snap.version}`, snap)
      // Bound memory: forget the oldest cached snapshot beyond the limit (Map keeps insertion order).
      if (this.snapshots.size > MAX_CACHED_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!)
      return snap
    } catch (e) {
      throw this.explain(e, table, at, latest, where)
    }
  }

  private newestCachedBefore(table: ResolvedTable, version: number): Snapshot | undefined {
    let best: Snapshot | undefined
    for (const [key, snap] of this.snapshots) {
      if (key.startsWith(`${table.root}\u0000`) && snap.version < version && (!best || snap.version > best.version)) best = snap
    }
    return best
  }

  private cached(table: ResolvedTable, version: number): Snapshot | undefined {
    return this.snapshots.get(`${table.root}\u0000${version}`)
  }

  /** Drops cached snapshots of a table (after it is replaced or removed). */
  forget(root: string): void {
    for (const key of [...this.snapshots.keys()]) if (key.startsWith(`${root}\u0000`)) this.snapshots.delete(key)
    this.latestThisStatement.delete(root)
    this.lastKnownLatest.delete(root)
  }

  private versionNotFound(table: ResolvedTable, version: number, latest: number, where: NamePosition): SqlError {
    return new SqlError('VERSION_NOT_FOUND', `Version ${version} of ${table.displayName} does not exist; the table has versions 0..${latest}`, {
      ...where, table: table.displayName, version
    })
  }

  /** Turns a Delta reader error into a SqlError that names the table as the user wrote it. */
  private explain(e: unknown, table: ResolvedTable, at: SnapshotAt, latest: number, where: NamePosition): unknown {
    if (!(e instanceof DeltaError)) return e
    const detail = { ...where, table: table.displayName, version: at.version, file: typeof e.detail.file === 'string' ? e.detail.file : undefined, cause: e }
    if (e.code === 'VERSION_NOT_FOUND' && at.version !== undefined) return this.versionNotFound(table, at.version, latest, where)
    if (e.code === 'TIMESTAMP_OUT_OF_RANGE' && at.timestamp !== undefined) {
      return new SqlError(e.code, `${table.displayName} has no version at ${new Date(at.timestamp).toISOString()}: ${e.message}`, detail)
    }
    return new SqlError(e.code, `${table.displayName}: ${e.message}`, detail)
  }
}
