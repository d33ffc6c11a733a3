// qualityStore: the data-quality page: quarantine tables and their rows, expectation pass rates, reconciliation, watermarks.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { QualityOverview, QuarantineRows, ReconciliationEntry, WatermarkEntry } from '../../../engine/api/qualityApi'
import { type ReadableError, readableError } from '../../platform/readableError'

/** Something loaded from the engine: not asked yet, on its way, there, or failed (as a readable error). */
export type Load<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ReadableError }

export type QualitySection = 'quarantine' | 'expectations' | 'reconciliation' | 'watermarks'

/** Rows the quarantine browser asks for at a time. */
export const quarantinePageSize = 200
/** Reconciliation runs the page shows (newest first). */
export const reconciliationLimit = 200

interface QualityState {
  section: QualitySection
  overview: Load<QualityOverview>
  reconciliation: Load<ReconciliationEntry[]>
  watermarks: Load<WatermarkEntry[]>
  /** The quarantine table being browsed. */
  table: string | null
  /** Only rows that failed this expectation; null = all. */
  expectation: string | null
  rows: Load<QuarantineRows>
  /** Index (in the loaded page) of the row open in the detail drawer. */
  activeRow: number | null

  /**
   * Loads the overview, reconciliation and watermarks, then browses `focusTable` when given, else keeps the table
   * being browsed if it still exists, else the first quarantine table with rows.
   */
  load(engine: EngineApi, focusTable?: string): Promise<void>
  setSection(section: QualitySection): void
  /** Shows the quarantine section on `table`'s first page with no filter. */
  openTable(engine: EngineApi, table: string): Promise<void>
  filterExpectation(engine: EngineApi, expectation: string | null): Promise<void>
  showPage(engine: EngineApi, offset: number): Promise<void>
  openRow(index: number | null): void
}

// Every load carries a ticket: an answer for an older table, filter or page never overwrites a newer one.
let ticket = 0
const tickets: Record<string, number> = {}
const take = (slot: string) => (tickets[slot] = ++ticket)
const current = (slot: string, t: number) => tickets[slot] === t

async function settle<T>(slot: string, work: Promise<T>, apply: (load: Load<T>) => void): Promise<void> {
  const t = take(slot)
  try {
    const value = await work
    if (current(slot, t)) apply({ status: 'ready', value })
  } catch (error) {
    if (current(slot, t)) apply({ status: 'error', error: readableError(error) })
  }
}

export const useQualityStore = create<QualityState>((set, get) => {
  const loadRows = async (engine: EngineApi, table: string, expectation: string | null, offset: number) => {
    set({ table, expectation, rows: { status: 'loading' }, activeRow: null })
    const arg = { table, limit: quarantinePageSize, offset, ...(expectation === null ? {} : { expectation }) }
    await settle('rows', engine.quality.quarantine(arg), (rows) => set({ rows }))
  }

  return {
    section: 'quarantine',
    overview: { status: 'idle' },
    reconciliation: { status: 'idle' },
    watermarks: { status: 'idle' },
    table: null,
    expectation: null,
    rows: { status: 'idle' },
    activeRow: null,

    async load(engine, focusTable) {
      // Keep what is on screen while reloading, so a refresh after a run does not flash empty panels.
      const keep = <T>(load: Load<T>): Load<T> => (load.status === 'ready' ? load : { status: 'loading' })
      set((s) => ({ overview: keep(s.overview), reconciliation: keep(s.reconciliation), watermarks: keep(s.watermarks) }))
      await Promise.all([
        settle('overview', engine.quality.overview(), (overview) => set({ overview })),
        settle('reconciliation', engine.quality.reconciliation({ limit: reconciliationLimit }), (reconciliation) => set({ reconciliation })),
        settle('watermarks', engine.quality.watermarks(), (watermarks) => set({ watermarks }))
      ])
      const { overview, table, expectation, rows } = get()
      const tables = overview.status === 'ready' ? overview.value.quarantineTables : []
      if (focusTable) {
        set({ section: 'quarantine' })
        return loadRows(engine, focusTable, null, 0)
      }
      if (table && tables.some((t) => t.table === table)) {
        const offset = rows.status === 'ready' ? rows.value.offset : 0
        return loadRows(engine, table, expectation, offset)
      }
      const first = tables.find((t) => t.rowCount > 0) ?? tables[0]
      if (first) return loadRows(engine, first.table, null, 0)
      set({ table: null, expectation: null, rows: { status: 'idle' }, activeRow: null })
    },

    setSection(section) {
      set({ section })
    },

    async openTable(engine, table) {
      set({ section: 'quarantine' })
      await loadRows(engine, table, null, 0)
    },

    async filterExpectation(engine, expectation) {
      const { table } = get()
      if (table) await loadRows(engine, table, expectation, 0)
    },

    async showPage(engine, offset) {
      const { table, expectation } = get()
      if (table) await loadRows(engine, table, expectation, Math.max(0, offset))
    },

    openRow(index) {
      const { rows } = get()
      if (index === null || (rows.status === 'ready' && index >= 0 && index < rows.value.rowCount)) set({ activeRow: index })
    }
  }
})

/** What the app shell may ask of the page without rendering it (e.g. the pipeline panel's "open quarantine"). */
export const qualityCommands = {
  /** Switches the page to `table`'s quarantined rows (any filter cleared). */
  openQuarantine: (engine: EngineApi, table: string) => void useQualityStore.getState().openTable(engine, table)
}
