// tableHistoryStore: the open table's page: its versions, the picked version's facts and rows, a diff, RESTORE and maintenance.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import { type ReadableError, readableError } from '../../platform/readableError'
import { type HistoryEntry, type OptimizeResult, type RestorePreview, type VacuumResult, type VersionDiff, type VersionInfo, tableHistoryApi } from './tableHistoryApi'

/** Something loaded from the engine: not asked yet, on its way, there, or failed (as a readable error). */
export type Load<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ReadableError }

export type PageTab = 'version' | 'diff' | 'detail' | 'profile'
export type VersionTab = 'schema' | 'preview' | 'files' | 'actions'

export interface PreviewRows {
  version: number
  rows: Uint8Array
  rowCount: number
}

/** The confirm-then-act flow shared by RESTORE, OPTIMIZE and VACUUM. */
export type ActionFlow<Plan, Done> =
  | { status: 'idle' }
  | { status: 'planning' }
  | { status: 'confirm'; plan: Plan }
  | { status: 'running'; plan: Plan }
  | { status: 'done'; result: Done }
  | { status: 'error'; error: ReadableError }

export interface DiffRequest {
  from: number
  to: number
  /** Chosen key columns; empty lets the engine infer one. */
  key: string[]
}

export const previewLimit = 200
export const diffLimit = 500

interface TableHistoryState {
  table: string | null
  history: Load<HistoryEntry[]>
  selected: number | null
  pageTab: PageTab
  versionTab: VersionTab
  version: Load<VersionInfo>
  preview: Load<PreviewRows>
  diffRequest: DiffRequest | null
  diff: Load<VersionDiff>
  detail: Load<Record<string, unknown>>
  restore: ActionFlow<RestorePreview, { version: number }> & { target?: number }
  optimize: ActionFlow<null, OptimizeResult>
  vacuum: ActionFlow<VacuumResult, VacuumResult>

  /** Opens `table` (`schema.name`): loads its history and selects the newest version. */
  open(engine: EngineApi, table: string): Promise<void>
  /** Reloads the history (after a write) and keeps the selection when that version still exists. */
  refresh(engine: EngineApi, select?: number): Promise<void>
  select(engine: EngineApi, version: number): Promise<void>
  setPageTab(engine: EngineApi, tab: PageTab): void
  setVersionTab(tab: VersionTab): void
  setDiffRequest(change: Partial<DiffRequest>): void
  runDiff(engine: EngineApi): Promise<void>
  loadDetail(engine: EngineApi): Promise<void>
  /** Step 1 of RESTORE: asks the engine what restoring to `version` changes, and waits for confirmation. */
  planRestore(engine: EngineApi, version: number): Promise<void>
  /** Step 2 of RESTORE: restores, then reloads the history and selects the new version. */
  confirmRestore(engine: EngineApi): Promise<void>
  planOptimize(): void
  confirmOptimize(engine: EngineApi): Promise<void>
  /** VACUUM always runs as a dry run first; the listed files are what confirmVacuum deletes. */
  planVacuum(engine: EngineApi, retentionHours?: number): Promise<void>
  confirmVacuum(engine: EngineApi): Promise<void>
  dismiss(flow: 'restore' | 'optimize' | 'vacuum'): void
}

// Every load carries a ticket: an answer for an older table or version never overwrites a newer one.
let ticket = 0
const tickets: Record<string, number> = {}
const take = (slot: string) => (tickets[slot] = ++ticket)
const current = (slot: string, t: number) => tickets[slot] === t

export const useTableHistoryStore = create<TableHistoryState>((set, get) => {
  const loadVersion = async (engine: EngineApi, table: string, version: number) => {
    const api = tableHistoryApi(engine)
    const t = take('version')
    set({ version: { status: 'loading' }, preview: { status: 'loading' } })
    await Promise.all([
      api.versionInfo({ table, version }).then(
        (value) => current('version', t) && set({ version: { status: 'ready', value } }),
        (error) => current('version', t) && set({ version: { status: 'error', error: readableError(error) } })
      ),
      api.preview({ table, version, limit: previewLimit }).then(
        (value) => current('version', t) && set({ preview: { status: 'ready', value: { version, rows: value.rows, rowCount: value.rowCount } } }),
        (error) => current('version', t) && set({ preview: { status: 'error', error: readableError(error) } })
      )
    ])
  }

  const loadHistory = async (engine: EngineApi, table: string, select?: number) => {
    const t = take('history')
    try {
      const entries = await tableHistoryApi(engine).history({ table })
      if (!current('history', t) || get().table !== table) return
      const versions = entries.map((e) => e.version)
      const newest = versions.length > 0 ? Math.max(...versions) : null
      const keep = select ?? get().selected
      const selected = keep !== null && versions.includes(keep) ? keep : newest
      const oldest = versions.length > 0 ? Math.min(...versions) : 0
      const prior = get().diffRequest
      const diffRequest: DiffRequest | null =
        newest === null ? null : prior && versions.includes(prior.from) && versions.includes(prior.to) ? prior : { from: Math.max(oldest, newest - 1), to: newest, key: [] }
      set({ history: { status: 'ready', value: entries }, selected, diffRequest })
      if (selected !== null) await loadVersion(engine, table, selected)
    } catch (error) {
      if (current('history', t)) set({ history: { status: 'error', error: readableError(error) } })
    }
  }

  // What a freshly opened table page shows before anything loads (also the state on switching tables).
  const pageReset = {
    selected: null,
    pageTab: 'version',
    version: { status: 'idle' },
    preview: { status: 'idle' },
    diffRequest: null,
    diff: { status: 'idle' },
    detail: { status: 'idle' },
    restore: { status: 'idle' },
    optimize: { status: 'idle' },
    vacuum: { status: 'idle' }
  } as const
  return {
    table: null,
    history: { status: 'idle' },
    versionTab: 'schema',
    ...pageReset,

    async open(engine, table) {
      if (get().table === table && get().history.status !== 'error') return
      set({ table, history: { status: 'loading' }, ...pageReset })
      await loadHistory(engine, table)
    },

    async refresh(engine, select) {
      const table = get().table
      if (!table) return
      // A diff compares two fixed versions, so it stays valid; DESCRIBE DETAIL describes the current state.
      set({ detail: { status: 'idle' } })
      await loadHistory(engine, table, select)
      if (get().pageTab === 'detail') await get().loadDetail(engine)
    },

    async select(engine, version) {
      const table = get().table
      if (!table) return
      set({ selected: version, pageTab: get().pageTab === 'detail' ? 'version' : get().pageTab })
      await loadVersion(engine, table, version)
    },

    setPageTab(engine, tab) {
      set({ pageTab: tab })
      if (tab === 'detail' && get().detail.status === 'idle') void get().loadDetail(engine)
    },

    setVersionTab: (tab) => set({ versionTab: tab }),

    setDiffRequest(change) {
      const prior = get().diffRequest
      if (prior) set({ diffRequest: { ...prior, ...change } })
    },

    async runDiff(engine) {
      const { table, diffRequest } = get()
      if (!table || !diffRequest) return
      const t = take('diff')
      set({ diff: { status: 'loading' } })
      try {
        const { from, to, key } = diffRequest
        const value = await tableHistoryApi(engine).diff({ table, from, to, key: key.length > 0 ? key : undefined, limit: diffLimit })
        if (current('diff', t)) set({ diff: { status: 'ready', value } })
      } catch (error) {
        if (current('diff', t)) set({ diff: { status: 'error', error: readableError(error) } })
      }
    },

    async loadDetail(engine) {
      const table = get().table
      const api = tableHistoryApi(engine)
      if (!table) return
      const t = take('detail')
      set({ detail: { status: 'loading' } })
      try {
        const value = await api.detail({ table })
        if (current('detail', t)) set({ detail: { status: 'ready', value } })
      } catch (error) {
        if (current('detail', t)) set({ detail: { status: 'error', error: readableError(error) } })
      }
    },

    async planRestore(engine, version) {
      const table = get().table
      if (!table) return
      set({ restore: { status: 'planning', target: version } })
      try {
        const plan = await tableHistoryApi(engine).restorePreview({ table, version })
        if (get().restore.target === version) set({ restore: { status: 'confirm', plan, target: version } })
      } catch (error) {
        set({ restore: { status: 'error', error: readableError(error), target: version } })
      }
    },

    async confirmRestore(engine) {
      const { table, restore } = get()
      if (!table || restore.status !== 'confirm') return
      set({ restore: { status: 'running', plan: restore.plan, target: restore.target } })
      try {
        const result = await tableHistoryApi(engine).restore({ table, version: restore.plan.toVersion })
        // Selecting first means any concurrent reload (e.g. on the engine's tables.changed event) keeps the new version.
        set({ restore: { status: 'done', result, target: restore.target }, selected: result.version })
        await get().refresh(engine, result.version)
      } catch (error) {
        set({ restore: { status: 'error', error: readableError(error), target: restore.target } })
      }
    },

    planOptimize: () => set({ optimize: { status: 'confirm', plan: null } }),

    async confirmOptimize(engine) {
      const table = get().table
      const api = tableHistoryApi(engine)
      if (!table || get().optimize.status !== 'confirm') return
      set({ optimize: { status: 'running', plan: null } })
      try {
        const result = await api.optimize({ table })
        set({ optimize: { status: 'done', result }, ...(result.version !== null ? { selected: result.version } : {}) })
        await get().refresh(engine, result.version ?? undefined)
      } catch (error) {
        set({ optimize: { status: 'error', error: readableError(error) } })
      }
    },

    async planVacuum(engine, retentionHours) {
      const table = get().table
      const api = tableHistoryApi(engine)
      if (!table) return
      set({ vacuum: { status: 'planning' } })
      try {
        const plan = await api.vacuum({ table, retentionHours, dryRun: true })
        set({ vacuum: { status: 'confirm', plan } })
      } catch (error) {
        set({ vacuum: { status: 'error', error: readableError(error) } })
      }
    },

    async confirmVacuum(engine) {
      const { table, vacuum } = get()
      const api = tableHistoryApi(engine)
      if (!table || vacuum.status !== 'confirm') return
      set({ vacuum: { status: 'running', plan: vacuum.plan } })
      try {
        const result = await api.vacuum({ table, retentionHours: vacuum.plan.retentionHours, dryRun: false })
        set({ vacuum: { status: 'done', result } })
        await get().refresh(engine)
      } catch (error) {
        set({ vacuum: { status: 'error', error: readableError(error) } })
      }
    },

    dismiss: (flow) => set({ [flow]: { status: 'idle' } } as Partial<TableHistoryState>)
  }
})
