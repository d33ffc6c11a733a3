// Binds the table references of a statement to DuckDB views over Delta snapshots (time travel and file pruning included).
import type { AddFile } from '../delta/actions'
import { pruneFiles, type PruneFilter } from '../delta/filePruning'
import { scanSql } from '../delta/scan'
import type { Snapshot } from '../delta/snapshot'
import { fileScanSql, type SqlCatalog, type ResolvedTable } from './catalog'
import { extractPruneFilters } from './dialect/pruneFilters'
import { findTableReferences, type TableReference } from './dialect/tableReferences'
import { sparkSyntaxEdits } from './dialect/sparkSyntax'
import { sparkSettingsOf } from './dialect/functions/sparkFunctions'
import { renderMapped, renderWithEdits, type TextEdit } from './dialect/textEdits'
import type { Token } from './dialect/tokenizer'
import type { DuckdbSession } from './duckdbSession'
import { SqlError } from './sqlError'

/** What one table reference read: shown to users and asserted by tests (pruning works when filesScanned < filesTotal). */
export interface TableScan {
  table: string
  version: number
  filesScanned: number
  filesTotal: number
  /** The pruning filters applied, as text (empty when none). */
  filters: string[]
}

export interface BoundSql {
  sql: string
  scans: TableScan[]
  /** Maps an offset in `sql` back to the statement's source offset (for DuckDB error positions). */
  sourceOffset(offset: number): number
}

/** A source-range replacement in a statement (kept under this name for existing callers). */
export type Replacement = TextEdit

/** Renders tokens with replacements applied; see renderMapped in dialect/textEdits. */
export function renderWithReplacements(tokens: readonly Token[], replacements: readonly Replacement[]): string {
  return renderWithEdits(tokens, replacements)
}

let viewCounter = 0

/**
 * Turns Spark table references into DuckDB views. Full-snapshot views are created once per (table, id, version) and
 * reused by every later statement (data files of a version never change); pruned views are specific to one
 * statement and dropped by `endStatement`.
 */
export class TableBinder {
  private readonly fullViews = new Map<string, string>()
  /** View name -> the table (and version) it shows, so DuckDB messages can name the user's table. */
  private readonly viewTables = new Map<string, string>()
  private statementViews: string[] = []
  /** Table roots bound by the current statement -> `name@vN`, to name the table in file errors. */
  private statementRoots = new Map<string, string>()
  private duckdbNamespaces: Set<string> | null = null

  constructor(private readonly session: DuckdbSession, private readonly catalog: SqlCatalog) {}

  /**
   * Rewrites every table reference in `tokens` that names a lakehouse table (or delta.`path`) to a view, applying
   * time travel and pruning the files each reference reads by the simple conjuncts of its WHERE clause.
   * @throws SqlError TABLE_NOT_FOUND / SCHEMA_NOT_FOUND / VERSION_NOT_FOUND / TIMESTAMP_OUT_OF_RANGE naming the table
   *   and where it was written.
   */
  async bind(tokens: readonly Token[]): Promise<BoundSql> {
    const { references } = findTableReferences(tokens)
    const replacements: Replacement[] = []
    const scans: TableScan[] = []
    for (const ref of references) {
      const where = { line: ref.line, column: ref.column }
      const file = fileScanSql(ref.parts, this.catalog.lakehouse.root)
      if (file !== null && !ref.timeTravel) {
        replacements.push({ start: ref.start, end: ref.end, text: file })
        continue
      }
      const table = await this.catalog.resolve(ref.parts, where)
      if (!table) {
        await this.checkUnresolved(ref)
        continue
      }
      const snapshot = await this.catalog.snapshot(table, await this.snapshotAt(ref, table), where)
      // Recorded before the view exists: creating it already reads data files.
      this.statementRoots.set(snapshot.tableRoot, `${table.displayName}@v${snapshot.version}`)
      const filters = this.filtersFor(ref, snapshot)
      const files = filters.length > 0 ? pruneFiles(snapshot, filters) : snapshot.files
      const view = await this.viewFor(snapshot, files.length === snapshot.files.length ? undefined : files, table.displayName)
      const alias = ref.alias === undefined ? ` AS "${(table.name ?? ref.parts[ref.parts.length - 1]!).replace(/"/g, '""')}"` : ''
      replacements.push({ start: ref.start, end: ref.end, text: `"${view}"${alias}` })
      scans.push({
        table: table.displayName,
        version: snapshot.version,
        filesScanned: files.length,
        filesTotal: snapshot.files.length,
        filters: filters.map((f) => `${f.column} ${f.op}${f.value === undefined ? '' : ` ${JSON.stringify(f.value)}`}`)
      })
    }
    // Spark spellings inside a rewritten table reference (a TIMESTAMP AS OF expression) were handled with it.
    const inReference = (e: TextEdit): boolean => replacements.some((r) => e.start >= r.start && e.start < r.end)
    const rendered = renderMapped(tokens, [...replacements, ...sparkSyntaxEdits(tokens, sparkSettingsOf(this.session)).filter((e) => !inReference(e))])
    return { sql: rendered.sql, scans, sourceOffset: rendered.sourceOffset }
  }

  /** The table (as `name@vN`) whose folder holds `file`, among the tables bound since the last endStatement. */
  tableOfFile(file: string): string | undefined {
    const found = [...this.statementRoots].find(([root]) => file.startsWith(`${root}/`) || file.startsWith(`${root}\\`))
    return found?.[1]
  }

  /** The table a binder view shows, as `name@vN`, or undefined for names that are not binder views. */
  tableOfView(view: string): string | undefined {
    return this.viewTables.get(view)
  }

  /** A view over the whole snapshot, or over `files` only (statement-scoped); `displayName` names it in errors. */
  async viewFor(snapshot: Snapshot, files?: AddFile[], displayName = snapshot.tableRoot): Promise<string> {
    const key = `${snapshot.tableRoot}\u0000${snapshot.metadata.id}\u0000${snapshot.version}`
    if (!files) {
      const existing = this.fullViews.get(key)
      if (existing) return existing
    }
    const name = `__lb_t${++viewCounter}`
    const select = await scanSql(snapshot, this.session, files ? { files } : {})
    await this.session.exec(`CREATE OR REPLACE TEMP VIEW "${name}" AS ${select}`)
    this.viewTables.set(name, `${displayName}@v${snapshot.version}`)
    if (files) this.statementViews.push(name)
    else this.fullViews.set(key, name)
    return name
  }

  /** Drops the views created for the statement that just ran. */
  async endStatement(): Promise<void> {
    const views = this.statementViews
    this.statementViews = []
    this.statementRoots = new Map()
    // ATTACH / CREATE SCHEMA in DuckDB may change its namespaces between statements.
    this.duckdbNamespaces = null
    for (const v of views) {
      this.viewTables.delete(v)
      await this.session.exec(`DROP VIEW IF EXISTS "${v}"`).catch(() => undefined)
    }
  }

  /** Forgets cached views of a table (after it is replaced). */
  forget(root: string): void {
    for (const key of [...this.fullViews.keys()]) if (key.startsWith(`${root}\u0000`)) this.fullViews.delete(key)
  }

  private async snapshotAt(ref: TableReference, table: ResolvedTable): Promise<{ version?: number; timestamp?: number }> {
    const travel = ref.timeTravel
    if (!travel) return {}
    if (travel.kind === 'version') return { version: travel.version }
    let rows: Record<string, unknown>[]
    try {
      rows = await this.session.query(`SELECT epoch_ms(CAST((${travel.sql}) AS TIMESTAMPTZ))::BIGINT AS ms`)
    } catch (e) {
      throw new SqlError('INVALID_TIMESTAMP', `TIMESTAMP AS OF ${travel.sql} for ${table.displayName} is not a timestamp: ${(e as Error).message.split('\n')[0]}`, {
        line: ref.line, column: ref.column, table: table.displayName
      })
    }
    return { timestamp: Number(rows[0]!.ms) }
  }

  /** Pruning filters for one reference: qualified by its alias, or unqualified when it is alone in its FROM clause. */
  private filtersFor(ref: TableReference, snapshot: Snapshot): PruneFilter[] {
    const scope = ref.scope
    if (scope.hasNonInnerJoin || scope.where.length === 0) return []
    const names = new Set([(ref.alias ?? ref.parts[ref.parts.length - 1]!).toLowerCase()])
    const alone = scope.references.length === 1 && scope.otherRelations === 0
    const columns = new Map(snapshot.schema.fields.map((f) => [f.name.toLowerCase(), f.name]))
    const filters: PruneFilter[] = []
    for (const f of extractPruneFilters(scope.where)) {
      if (f.qualifier !== undefined ? !names.has(f.qualifier.toLowerCase()) : !alone) continue
      const column = columns.get(f.column.toLowerCase())
      if (column === undefined) continue
      filters.push({ column, op: f.op, ...(f.value === undefined ? {} : { value: f.value }) } as PruneFilter)
    }
    return filters
  }

  /** A two-part name that is neither a lakehouse schema nor a DuckDB schema/catalog is a typo: say so. */
  private async checkUnresolved(ref: TableReference): Promise<void> {
    if (ref.timeTravel) {
      throw new SqlError('UNSUPPORTED', `Time travel needs a Delta table; ${ref.nameText} is not a lakehouse table (use schema.table or delta.\`/path\`)`, {
        line: ref.line, column: ref.column, table: ref.nameText
      })
    }
    if (ref.parts.length !== 2) return
    this.duckdbNamespaces ??= new Set(
      (await this.session.query('SELECT schema_name AS n FROM duckdb_schemas() UNION SELECT database_name FROM duckdb_databases()')).map((r) => String(r.n).toLowerCase())
    )
    if (this.duckdbNamespaces.has(ref.parts[0]!.toLowerCase())) return
    throw await this.catalog.schemaNotFound(ref.parts[0]!, { line: ref.line, column: ref.column })
  }
}
