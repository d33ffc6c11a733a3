// sqlEditorStore: the editor tabs (text, file, last run and its outcome per tab) and pending insertions.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { EngineErrorPayload } from '../../../engine/api/errors'
import type { StatementResult } from '../../../engine/api/sqlApi'
import type { RunScope } from './statementAtCursor'

/** `offset`: where the text that ran starts in the tab's text, to place error markers; null when it is not the tab's text. */
export type RunState =
  | { status: 'idle' }
  | { status: 'running'; sql: string; scope: RunScope; startedAt: number; offset: number | null }
  | { status: 'done'; sql: string; scope: RunScope; results: StatementResult[]; elapsedMs: number; offset: number | null; shown: number }
  | { status: 'error'; sql: string; scope: RunScope; error: EngineErrorPayload; elapsedMs: number; offset: number | null }

export interface EditorTab {
  id: string
  /** The file name in queries/ once opened from or saved to one. */
  file?: string
  text: string
  /** The text as last read from or written to `file`; differs from `text` when there are unsaved edits. */
  savedText?: string
  run: RunState
}

interface SqlEditorState {
  tabs: EditorTab[]
  activeId: string
  /** Text the editor should insert at its cursor; `seq` changes for every request. */
  insertRequest: { text: string; seq: number } | null
  /** Bumped by Ctrl/Cmd+S in the editor; the save control acts on each change. */
  saveRequest: number
  requestSave(): void
  setText(text: string): void
  requestInsert(text: string): void
  newTab(text?: string): void
  /** Opens `file` in a tab (reusing the tab that already has it). */
  openFile(file: string, text: string): void
  /** Records that the active tab was saved as `file`. */
  markSaved(file: string, text: string): void
  selectTab(id: string): void
  closeTab(id: string): void
  /** Shows result `index` of the active tab's last run. */
  showResult(index: number): void
  /**
   * Runs `sql` in the active tab; `offset` is where it starts in the tab's text (omit it for SQL that is not there,
   * e.g. an explorer preview). A newer run in that tab supersedes an older one.
   */
  execute(engine: EngineApi, sql: string, scope: RunScope, offset?: number): Promise<void>
  cancel(engine: EngineApi): Promise<void>
}

export const initialSql = `-- Spark SQL over this lakehouse
SHOW TABLES IN silver;
`

let nextTab = 1
const latestRunOfTab = new Map<string, number>()
let runCounter = 0

function blankTab(text: string): EditorTab {
  return { id: `tab-${nextTab++}`, text, run: { status: 'idle' } }
}

/** A fresh store state: one tab with `text`. */
export function initialEditorState(text = initialSql): Pick<SqlEditorState, 'tabs' | 'activeId' | 'insertRequest' | 'saveRequest'> {
  const tab = blankTab(text)
  return { tabs: [tab], activeId: tab.id, insertRequest: null, saveRequest: 0 }
}

/** The tab shown now. */
export function activeTab(state: Pick<SqlEditorState, 'tabs' | 'activeId'>): EditorTab {
  return state.tabs.find((t) => t.id === state.activeId) ?? state.tabs[0]!
}

/** A tab's title: its file, or "Query N". */
export function tabTitle(tab: EditorTab, index: number): string {
  return tab.file ?? `Query ${index + 1}`
}

export const useSqlEditorStore = create<SqlEditorState>((set, get) => {
  const updateTab = (id: string, change: Partial<EditorTab>) => set({ tabs: get().tabs.map((t) => (t.id === id ? { ...t, ...change } : t)) })
  return {
    ...initialEditorState(),
    requestSave: () => set({ saveRequest: get().saveRequest + 1 }),
    setText: (text) => updateTab(get().activeId, { text }),
    requestInsert: (text) => set({ insertRequest: { text, seq: (get().insertRequest?.seq ?? 0) + 1 } }),
    newTab(text = '') {
      const tab = blankTab(text)
      set({ tabs: [...get().tabs, tab], activeId: tab.id })
    },
    openFile(file, text) {
      const existing = get().tabs.find((t) => t.file === file)
      if (existing) {
        set({ activeId: existing.id })
        return
      }
      const tab = { ...blankTab(text), file, savedText: text }
      set({ tabs: [...get().tabs, tab], activeId: tab.id })
    },
    markSaved: (file, text) => updateTab(get().activeId, { file, savedText: text }),
    selectTab: (id) => set({ activeId: id }),
    closeTab(id) {
      const tabs = get().tabs
      const index = tabs.findIndex((t) => t.id === id)
      if (index === -1) return
      // The last tab is never closed: the editor always has somewhere to type.
      const rest = tabs.length === 1 ? [blankTab('')] : tabs.filter((t) => t.id !== id)
      const activeId = get().activeId === id ? rest[Math.min(index, rest.length - 1)]!.id : get().activeId
      set({ tabs: rest, activeId })
    },
    showResult(index) {
      const tab = activeTab(get())
      if (tab.run.status === 'done') updateTab(tab.id, { run: { ...tab.run, shown: index } })
    },
    async execute(engine, sql, scope, offset?: number) {
      const at = offset ?? null
      if (sql.trim() === '') return
      const tabId = get().activeId
      const runId = ++runCounter
      latestRunOfTab.set(tabId, runId)
      const startedAt = performance.now()
      updateTab(tabId, { run: { status: 'running', sql, scope, startedAt, offset: at } })
      try {
        const results = await engine.sql.execute({ sql })
        const elapsedMs = performance.now() - startedAt
        // Run-all opens on the first result; a single statement's result is the only one anyway.
        if (latestRunOfTab.get(tabId) === runId) updateTab(tabId, { run: { status: 'done', sql, scope, results, elapsedMs, offset: at, shown: 0 } })
      } catch (error) {
        const elapsedMs = performance.now() - startedAt
        if (latestRunOfTab.get(tabId) === runId) updateTab(tabId, { run: { status: 'error', sql, scope, error: errorPayloadOf(error), elapsedMs, offset: at } })
      }
    },
    async cancel(engine) {
      if (get().tabs.some((t) => t.run.status === 'running')) await engine.sql.cancel().catch(() => undefined)
    }
  }
})

/** A file name (without extension) for exports of the active tab's results: its saved file's name or "Query N". */
export function exportBaseName(state: Pick<SqlEditorState, 'tabs' | 'activeId'>): string {
  const index = Math.max(0, state.tabs.findIndex((t) => t.id === state.activeId))
  const title = tabTitle(activeTab(state), index).replace(/\.sql$/i, '')
  return title.replace(/[^A-Za-z0-9 _.-]+/g, '_').replace(/\s+/g, '_') || 'result'
}

/** EngineError from connectRpc carries code/message/detail; anything else becomes an INTERNAL payload. */
export function errorPayloadOf(error: unknown): EngineErrorPayload {
  const e = error as Partial<EngineErrorPayload> | null
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message, detail: e.detail ?? {} }
  return { code: 'INTERNAL', message: String((error as Error)?.message ?? error), detail: {} }
}
