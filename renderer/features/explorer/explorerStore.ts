// explorerStore: the lakehouse's schemas and tables as the explorer shows them, each table's summary, and which schemas are expanded.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { TableRef, TableSummary } from '../../../engine/api/tablesApi'

export interface SchemaNode {
  name: string
  tables: TableRef[]
}

interface ExplorerState {
  status: 'loading' | 'ready' | 'error'
  schemas: SchemaNode[]
  error?: string
  /** Rows, size and last change by `schema.table`; a table is missing until its summary arrives. */
  summaries: Record<string, TableSummary>
  /** Why the summaries could not be read (the tree still shows). */
  summariesError?: string
  /** Schema names the user collapsed (everything starts expanded, so a new lakehouse shows its tables at once). */
  collapsed: Record<string, boolean>
  load(engine: EngineApi): Promise<void>
  toggle(schema: string): void
}

/** The medallion layers first, in the order data flows through them; any other schema after, alphabetically. */
const LAYERS = ['bronze', 'silver', 'gold', 'system']

/** `names` in explorer order: bronze, silver, gold, system, then the rest sorted. */
export function orderSchemas(names: readonly string[]): string[] {
  const rank = (name: string) => {
    const i = LAYERS.indexOf(name.toLowerCase())
    return i === -1 ? LAYERS.length : i
  }
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

let latestLoad = 0

export const useExplorerStore = create<ExplorerState>((set) => ({
  status: 'loading',
  schemas: [],
  summaries: {},
  collapsed: {},
  async load(engine) {
    const loadId = ++latestLoad
    set((s) => ({ status: s.schemas.length > 0 ? 'ready' : 'loading', error: undefined }))
    // Summaries read every table's log; the tree must not wait for (or fail with) them.
    const summaries = engine.tables.summaries().then(
      (list) => {
        if (loadId !== latestLoad) return
        set({ summaries: Object.fromEntries(list.map((s) => [`${s.schema}.${s.name}`, s])), summariesError: undefined })
      },
      (error: Error) => loadId === latestLoad && set({ summariesError: error.message })
    )
    try {
      const [names, tables] = await Promise.all([engine.tables.listSchemas(), engine.tables.listTables()])
      if (loadId !== latestLoad) return
      const schemas = orderSchemas(names).map((name) => ({ name, tables: tables.filter((t) => t.schema === name) }))
      set({ status: 'ready', schemas })
    } catch (error) {
      if (loadId === latestLoad) set({ status: 'error', error: (error as Error).message })
    }
    await summaries
  },
  toggle: (schema) => set((s) => ({ collapsed: { ...s.collapsed, [schema]: !s.collapsed[schema] } }))
}))
