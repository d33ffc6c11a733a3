// lakehouseStore: the lakehouse switcher's state: recent lakehouses, the open/new dialog, and an open or create in progress.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { LakehouseCreationStep, LakehouseSampleName, RecentLakehouse } from '../../../engine/api/lakehouseApi'
import { type LakehouseErrorText, isAbsoluteFolderPath, lakehouseErrorSentence } from './lakehouseErrorSentence'

export type LakehouseDialogKind = 'open' | 'create'

/** What the new-lakehouse form asks for. */
export interface NewLakehouseRequest {
  dir: string
  name?: string
  sample?: LakehouseSampleName
}

/** Work under way: which folder, and for a sample the step it is on. */
export interface LakehouseWork {
  kind: LakehouseDialogKind
  dir: string
  step?: LakehouseCreationStep
}

interface LakehouseState {
  recents: RecentLakehouse[]
  /** The open/new dialog, when shown; `dir` pre-fills its folder field. */
  dialog: { kind: LakehouseDialogKind; dir: string } | null
  /** The last failure, shown in the dialog until the next attempt. */
  error: LakehouseErrorText | null
  working: LakehouseWork | null
  loadRecents(engine: EngineApi): Promise<void>
  showDialog(kind: LakehouseDialogKind, dir?: string): void
  closeDialog(): void
  /** Opens `dir`; on success the dialog closes, on failure it shows (or stays) with a sentence naming the folder. */
  openLakehouse(engine: EngineApi, dir: string): Promise<boolean>
  /** Creates a lakehouse (optionally from a sample, whose steps arrive through `progress`); same error handling. */
  createLakehouse(engine: EngineApi, request: NewLakehouseRequest): Promise<boolean>
  /** A lakehouse.progress event: shown when it is about the folder being created. */
  progress(dir: string, step: LakehouseCreationStep): void
}

export const useLakehouseStore = create<LakehouseState>((set, get) => {
  /** Runs one open/create, keeping the dialog informed; true when it succeeded. */
  const attempt = async (kind: LakehouseDialogKind, dir: string, work: () => Promise<unknown>, engine: EngineApi): Promise<boolean> => {
    const trimmed = dir.trim()
    if (!isAbsoluteFolderPath(trimmed)) {
      set({
        dialog: { kind, dir },
        error: { sentence: trimmed === '' ? 'Enter the folder’s full path.' : `“${trimmed}” is not a full path: start it with / (or a drive letter on Windows).`, detail: 'The engine resolves folders on its own machine, so a relative path would be ambiguous.' }
      })
      return false
    }
    set({ working: { kind, dir: trimmed }, error: null })
    try {
      await work()
      set({ working: null, dialog: null, error: null })
      void get().loadRecents(engine)
      return true
    } catch (error) {
      set({ working: null, dialog: { kind, dir: trimmed }, error: lakehouseErrorSentence(kind, trimmed, error) })
      return false
    }
  }

  return {
    recents: [],
    dialog: null,
    error: null,
    working: null,
    async loadRecents(engine) {
      try {
        set({ recents: await engine.lakehouse.recent() })
      } catch {
        // The list is a convenience; the switcher still offers Open… and New… without it.
      }
    },
    showDialog: (kind, dir = '') => set({ dialog: { kind, dir }, error: null }),
    closeDialog: () => {
      if (!get().working) set({ dialog: null, error: null })
    },
    openLakehouse: (engine, dir) => attempt('open', dir, () => engine.lakehouse.open({ dir: dir.trim() }), engine),
    createLakehouse: (engine, request) =>
      attempt(
        'create',
        request.dir,
        () =>
          engine.lakehouse.create({
            dir: request.dir.trim(),
            ...(request.name?.trim() ? { name: request.name.trim() } : {}),
            ...(request.sample ? { sample: request.sample } : {})
          }),
        engine
      ),
    progress(dir, step) {
      const working = get().working
      if (working && working.dir === dir) set({ working: { ...working, step } })
    }
  }
})
