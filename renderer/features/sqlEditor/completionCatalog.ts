// completionCatalog: loads and caches what completion needs from the Engine API (schemas, tables, columns on demand).
import type { EngineApi } from '../../../engine/api/engineApi'
import type { CompletionCatalog } from './sqlCompletion'

/** A catalog that fills itself: names once, a table's columns the first time a statement mentions it. */
export class CompletionCatalogLoader {
  private names: Promise<Pick<CompletionCatalog, 'schemas' | 'tables'>> | null = null
  private readonly columns = new Map<string, Promise<{ name: string; type: string }[]>>()

  constructor(private readonly engine: EngineApi) {}

  /** Forgets everything (tables changed or another lakehouse opened). */
  invalidate(): void {
    this.names = null
    this.columns.clear()
  }

  /** The catalog with the columns of `tables` (`schema.table`) loaded; unknown tables are skipped, never thrown. */
  async catalogFor(tables: string[]): Promise<CompletionCatalog> {
    this.names ??= Promise.all([this.engine.tables.listSchemas(), this.engine.tables.listTables()]).then(([schemas, refs]) => ({
      schemas,
      tables: refs.map((r) => ({ schema: r.schema, name: r.name }))
    }))
    const names = await this.names.catch(() => ({ schemas: [], tables: [] }))
    const known = tables.filter((t) => names.tables.some((r) => `${r.schema}.${r.name}` === t))
    const entries = await Promise.all(known.map(async (t) => [t, await this.columnsOf(t)] as const))
    return { ...names, columns: Object.fromEntries(entries) }
  }

  private columnsOf(table: string): Promise<{ name: string; type: string }[]> {
    let pending = this.columns.get(table)
    if (!pending) {
      // The latest version's schema: history names it, versionInfo describes it.
      pending = this.engine.tables
        .history({ table, limit: 1 })
        .then(([latest]) => (latest ? this.engine.tables.versionInfo({ table, version: latest.version }) : null))
        .then((info) => info?.schema.map((c) => ({ name: c.name, type: c.type })) ?? [])
        .catch(() => [])
      this.columns.set(table, pending)
    }
    return pending
  }
}
