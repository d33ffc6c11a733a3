// explorerStore: the lakehouse's schemas and tables as the explorer shows them, and which schemas are expanded.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { TableRef } from '../../../engine/api/tablesApi'

export interface SchemaNode {
  name: string
  tables: TableRef[]
}

interface ExplorerState {
  status: 'loading' | 'ready' | 'error'
  schemas: SchemaNode[]
  error?: string
  /** Schema names the user collapsed (everything starts expanded, so a new lakehouse shows its tables at once). */
  collapsed: Record<string, boolean>
  load(engine: EngineApi): Promise<void>
  toggle(schema: string): void
}

let latestLoad = 0

export const useExplorerStore = create<ExplorerState>((set) => ({
  status: 'loading',
  schemas: [],
  collapsed: {},
  async load(engine) {
    const loadId = ++latestLoad
    set((s) => ({ status: s.schemas.length > 0 ? 'ready' : 'loading', error: undefined }))
    try {
      const [names, tables] = await Promise.all([engine.tables.listSchemas(), engine.tables.listTables()])
      if (loadId !== latestLoad) return
      const schemas = names.map((name) => ({ name, tables: tables.filter((t) => t.schema === name) }))
      set({ status: 'ready', schemas })
    } catch (error) {
      if (loadId === latestLoad) set({ status: 'error', error: (error as Error).message })
    }
  },
  toggle: (schema) => set((s) => ({ collapsed: { ...s.collapsed, [schema]: !s.collapsed[schema] } }))
}))
