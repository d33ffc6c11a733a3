// sqlEditorStore: the editor's text, what ran last and its outcome (results or error), and pending insertions.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { EngineErrorPayload } from '../../../engine/api/errors'
import type { StatementResult } from '../../../engine/api/sqlApi'
import type { RunScope } from './statementAtCursor'

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; sql: string; scope: RunScope; startedAt: number }
  | { status: 'done'; sql: string; scope: RunScope; results: StatementResult[]; elapsedMs: number }
  | { status: 'error'; sql: string; scope: RunScope; error: EngineErrorPayload; elapsedMs: number }

interface SqlEditorState {
  text: string
  run: RunState
  /** Text the editor should insert at its cursor; `seq` changes for every request. */
  insertRequest: { text: string; seq: number } | null
  setText(text: string): void
  requestInsert(text: string): void
  /** Runs `sql` on `engine`; a newer run supersedes an older one's outcome. */
  execute(engine: EngineApi, sql: string, scope: RunScope): Promise<void>
  cancel(engine: EngineApi): Promise<void>
}

export const initialSql = `-- Spark SQL over this lakehouse
SHOW TABLES IN silver;
`

let latestRun = 0

export const useSqlEditorStore = create<SqlEditorState>((set, get) => ({
  text: initialSql,
  run: { status: 'idle' },
  insertRequest: null,
  setText: (text) => set({ text }),
  requestInsert: (text) => set({ insertRequest: { text, seq: (get().insertRequest?.seq ?? 0) + 1 } }),
  async execute(engine, sql, scope) {
    if (sql.trim() === '') return
    const runId = ++latestRun
    const startedAt = performance.now()
    set({ run: { status: 'running', sql, scope, startedAt } })
    try {
      const results = await engine.sql.execute({ sql })
      if (runId === latestRun) set({ run: { status: 'done', sql, scope, results, elapsedMs: performance.now() - startedAt } })
    } catch (error) {
      if (runId === latestRun) set({ run: { status: 'error', sql, scope, error: errorPayload(error), elapsedMs: performance.now() - startedAt } })
    }
  },
  async cancel(engine) {
    if (get().run.status === 'running') await engine.sql.cancel().catch(() => undefined)
  }
}))

/** EngineError from connectRpc carries code/message/detail; anything else becomes an INTERNAL payload. */
function errorPayload(error: unknown): EngineErrorPayload {
  const e = error as Partial<EngineErrorPayload> | null
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message, detail: e.detail ?? {} }
  return { code: 'INTERNAL', message: String((error as Error)?.message ?? error), detail: {} }
}
