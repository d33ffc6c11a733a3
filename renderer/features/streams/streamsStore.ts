// streamsStore: the streaming panel's state: producer and query status, the chosen pipeline's batches, late rows and checkpoint.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { EngineEvent } from '../../../engine/api/events'
import type { CheckpointFlowInfo, LateRowInfo, ProducerSettings, StreamBatchInfo, StreamStatus, StreamTrigger } from '../../../engine/api/streamApi'
import { type ReadableError, readableError } from '../../platform/readableError'
import { lateRowKey } from './streamFormat'

/** Something loaded from the engine: not asked yet, on its way, there, or failed. */
export type Load<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ReadableError }

export type TriggerKind = StreamTrigger['kind']

/** Batches kept for the charts: enough for a long session, bounded so a day-long stream does not grow without end. */
export const BATCH_LIMIT = 500
/** The pipeline picked when a lakehouse has it: the sbit sample's continuous pipeline. */
export const DEFAULT_PIPELINE = 'sbit_live'

interface StreamsState {
  status: Load<StreamStatus>
  /** The pipeline whose query is started and whose batches, late rows and checkpoint show. */
  pipeline: string | null
  triggerKind: TriggerKind
  /** The processingTime interval, as typed (validated on start). */
  intervalMs: number
  /** Batches of the chosen pipeline, oldest first (all runs), at most BATCH_LIMIT. */
  batches: StreamBatchInfo[]
  batchesError: ReadableError | null
  lateRows: Load<LateRowInfo[]>
  checkpoint: Load<CheckpointFlowInfo[]>
  /** lateRowKey of the late row whose explanation is open. */
  selectedLate: string | null
  /** A producer request the engine refused (a knob out of range, no producer). */
  producerError: ReadableError | null
  /** A start or stop request the engine refused. */
  queryError: ReadableError | null
  /** A producer or query request is on its way (buttons wait for it). */
  pending: 'producer' | 'query' | null

  /** Loads the status and picks a pipeline (the current pick when it still exists, else sbit_live, else the first). */
  init(engine: EngineApi): Promise<void>
  selectPipeline(engine: EngineApi, name: string): Promise<void>
  /** Reloads batches, late rows and checkpoint of the chosen pipeline. */
  reload(engine: EngineApi): Promise<void>
  /** Reads everything again (the Refresh button): the lists show as loading until the new answers are in. */
  refresh(engine: EngineApi): Promise<void>
  configureProducer(engine: EngineApi, settings: Partial<ProducerSettings>): Promise<boolean>
  controlProducer(engine: EngineApi, action: 'start' | 'pause' | 'resume' | 'step'): Promise<void>
  setTrigger(kind: TriggerKind, intervalMs?: number): void
  /** Starts the chosen pipeline with the chosen trigger; refusals land in queryError. */
  startQuery(engine: EngineApi): Promise<void>
  /** Stops the running query (whichever pipeline it streams). */
  stopQuery(engine: EngineApi): Promise<void>
  /** Folds an engine event in; call it for every event while the panel is mounted. */
  handleEvent(engine: EngineApi, event: EngineEvent): void
  selectLate(key: string | null): void
  dismissErrors(): void
}

// Every load carries a ticket: an answer for a pipeline picked earlier never overwrites the current one's.
let ticket = 0
const tickets: Record<string, number> = {}
const take = (slot: string) => (tickets[slot] = ++ticket)
const current = (slot: string, t: number) => tickets[slot] === t

const batchKey = (b: StreamBatchInfo) => `${b.runId}/${b.batchId}`

/** `batches` plus `added`, without repeats, in trigger-time order, the newest BATCH_LIMIT kept. */
export function mergeBatches(batches: StreamBatchInfo[], added: StreamBatchInfo[]): StreamBatchInfo[] {
  const byKey = new Map(batches.map((b) => [batchKey(b), b]))
  for (const b of added) byKey.set(batchKey(b), b)
  return [...byKey.values()].sort((a, b) => a.timestamp - b.timestamp || a.batchId - b.batchId).slice(-BATCH_LIMIT)
}

export const useStreamsStore = create<StreamsState>((set, get) => {
  const loadLate = async (engine: EngineApi, pipeline: string) => {
    const t = take('late')
    if (get().lateRows.status !== 'ready') set({ lateRows: { status: 'loading' } })
    try {
      const value = await engine.stream.lateRows({ pipeline })
      if (current('late', t) && get().pipeline === pipeline) set({ lateRows: { status: 'ready', value } })
    } catch (error) {
      if (current('late', t)) set({ lateRows: { status: 'error', error: readableError(error) } })
    }
  }
  const loadCheckpoint = async (engine: EngineApi, pipeline: string) => {
    const t = take('checkpoint')
    if (get().checkpoint.status !== 'ready') set({ checkpoint: { status: 'loading' } })
    try {
      const value = await engine.stream.checkpoint({ pipeline })
      if (current('checkpoint', t) && get().pipeline === pipeline) set({ checkpoint: { status: 'ready', value } })
    } catch (error) {
      if (current('checkpoint', t)) set({ checkpoint: { status: 'error', error: readableError(error) } })
    }
  }
  const loadBatches = async (engine: EngineApi, pipeline: string) => {
    const t = take('batches')
    try {
      const value = await engine.stream.progress({ pipeline, limit: BATCH_LIMIT })
      // Events that arrived while the list was on its way are kept: merging never loses a batch.
      if (current('batches', t) && get().pipeline === pipeline) set({ batches: mergeBatches(get().batches, value), batchesError: null })
    } catch (error) {
      if (current('batches', t)) set({ batchesError: readableError(error) })
    }
  }

  // After a batch: its late rows and checkpoint entries exist now. One refresh at a time; batches arriving meanwhile
  // ask for one more, so a 500 ms trigger never piles up requests.
  let refreshing = false
  let refreshAgain = false
  const refreshAfterBatch = async (engine: EngineApi, pipeline: string, withLate: boolean) => {
    if (refreshing) {
      refreshAgain = true
      return
    }
    refreshing = true
    try {
      await Promise.all([withLate || get().lateRows.status !== 'ready' ? loadLate(engine, pipeline) : undefined, loadCheckpoint(engine, pipeline)])
    } finally {
      refreshing = false
    }
    if (refreshAgain) {
      refreshAgain = false
      const now = get().pipeline
      if (now !== null) await refreshAfterBatch(engine, now, true)
    }
  }

  return {
    status: { status: 'idle' },
    pipeline: null,
    triggerKind: 'processingTime',
    intervalMs: 500,
    batches: [],
    batchesError: null,
    lateRows: { status: 'idle' },
    checkpoint: { status: 'idle' },
    selectedLate: null,
    producerError: null,
    queryError: null,
    pending: null,

    async init(engine) {
      const t = take('status')
      if (get().status.status !== 'ready') set({ status: { status: 'loading' } })
      try {
        const value = await engine.stream.status()
        if (!current('status', t)) return
        set({ status: { status: 'ready', value } })
        const keep = get().pipeline
        const running = value.query?.status === 'running' ? value.query.pipeline : null
        const pick =
          keep !== null && value.pipelines.includes(keep)
            ? keep
            : running !== null && value.pipelines.includes(running)
              ? running
              : value.pipelines.includes(DEFAULT_PIPELINE)
                ? DEFAULT_PIPELINE
                : (value.pipelines[0] ?? null)
        if (pick === null) set({ pipeline: null, batches: [], lateRows: { status: 'idle' }, checkpoint: { status: 'idle' } })
        else await get().selectPipeline(engine, pick)
      } catch (error) {
        if (current('status', t)) set({ status: { status: 'error', error: readableError(error) } })
      }
    },

    async selectPipeline(engine, name) {
      if (get().pipeline !== name) set({ pipeline: name, batches: [], batchesError: null, lateRows: { status: 'idle' }, checkpoint: { status: 'idle' }, selectedLate: null })
      await get().reload(engine)
    },

    async reload(engine) {
      const pipeline = get().pipeline
      if (pipeline === null) return
      await Promise.all([loadBatches(engine, pipeline), loadLate(engine, pipeline), loadCheckpoint(engine, pipeline)])
    },

    async refresh(engine) {
      set({ lateRows: { status: 'loading' }, checkpoint: { status: 'loading' } })
      await get().init(engine)
    },

    async configureProducer(engine, settings) {
      set({ pending: 'producer', producerError: null })
      try {
        const producer = await engine.stream.configureProducer(settings)
        const status = get().status
        if (status.status === 'ready') set({ status: { status: 'ready', value: { ...status.value, producer } } })
        return true
      } catch (error) {
        set({ producerError: readableError(error) })
        return false
      } finally {
        set({ pending: null })
      }
    },

    async controlProducer(engine, action) {
      set({ pending: 'producer', producerError: null })
      try {
        const producer = await engine.stream.controlProducer({ action })
        const status = get().status
        if (status.status === 'ready') set({ status: { status: 'ready', value: { ...status.value, producer } } })
      } catch (error) {
        set({ producerError: readableError(error) })
      } finally {
        set({ pending: null })
      }
    },

    setTrigger(kind, intervalMs) {
      set({ triggerKind: kind, ...(intervalMs === undefined ? {} : { intervalMs }) })
    },

    async startQuery(engine) {
      const { pipeline, triggerKind, intervalMs } = get()
      if (pipeline === null) return
      const trigger: StreamTrigger = triggerKind === 'processingTime' ? { kind: 'processingTime', intervalMs } : { kind: triggerKind }
      set({ pending: 'query', queryError: null })
      try {
        const query = await engine.stream.start({ pipeline, trigger })
        const status = get().status
        if (status.status === 'ready') set({ status: { status: 'ready', value: { ...status.value, query } } })
      } catch (error) {
        set({ queryError: readableError(error) })
      } finally {
        set({ pending: null })
      }
    },

    async stopQuery(engine) {
      const status = get().status
      const query = status.status === 'ready' ? status.value.query : null
      if (!query || query.status !== 'running') return
      set({ pending: 'query', queryError: null })
      try {
        const stopped = await engine.stream.stop({ runId: query.runId })
        const latest = get().status
        if (latest.status === 'ready') set({ status: { status: 'ready', value: { ...latest.value, query: stopped } } })
      } catch (error) {
        set({ queryError: readableError(error) })
      } finally {
        set({ pending: null })
      }
    },

    handleEvent(engine, e) {
      if (e.type === 'lakehouse.opened') {
        set({ pipeline: null, batches: [], lateRows: { status: 'idle' }, checkpoint: { status: 'idle' }, selectedLate: null, producerError: null, queryError: null })
        void get().init(engine)
      } else if (e.type === 'stream.status') {
        set({ status: { status: 'ready', value: e.status } })
      } else if (e.type === 'stream.progress') {
        const pipeline = get().pipeline
        if (e.pipeline !== pipeline) return
        set({ batches: mergeBatches(get().batches, [e.batch]) })
        void refreshAfterBatch(engine, pipeline, e.batch.numRowsLate > 0)
      } else if (e.type === 'tables.changed') {
        // A statement may have emptied or rewritten a late table: the list follows.
        const pipeline = get().pipeline
        if (pipeline !== null && get().lateRows.status === 'ready') void loadLate(engine, pipeline)
      }
    },

    selectLate(key) {
      set({ selectedLate: key })
    },
    dismissErrors() {
      set({ producerError: null, queryError: null })
    }
  }
})

/** The late row whose explanation is open, or null. */
export function selectedLateRow(state: Pick<StreamsState, 'lateRows' | 'selectedLate'>): LateRowInfo | null {
  if (state.selectedLate === null || state.lateRows.status !== 'ready') return null
  return state.lateRows.value.find((r) => lateRowKey(r) === state.selectedLate) ?? null
}

/**
 * Workbench commands for the streaming panel, usable before the panel was ever shown (they load the status first).
 * Each resolves once the engine answered; refusals land in the store's errors, where the panel shows them.
 */
export const streamsCommands = {
  async startQuery(engine: EngineApi): Promise<void> {
    const store = useStreamsStore.getState()
    if (store.status.status !== 'ready') await store.init(engine)
    await useStreamsStore.getState().startQuery(engine)
  },
  async stopQuery(engine: EngineApi): Promise<void> {
    const store = useStreamsStore.getState()
    if (store.status.status !== 'ready') await store.init(engine)
    await useStreamsStore.getState().stopQuery(engine)
  },
  /** Starts or resumes an idle or paused producer; pauses a running one. */
  async toggleProducer(engine: EngineApi): Promise<void> {
    const store = useStreamsStore.getState()
    if (store.status.status !== 'ready') await store.init(engine)
    const latest = useStreamsStore.getState()
    const producer = latest.status.status === 'ready' ? latest.status.value.producer : null
    const action = producer?.status === 'running' ? 'pause' : producer?.status === 'paused' ? 'resume' : 'start'
    await latest.controlProducer(engine, action)
  },
  async stepProducer(engine: EngineApi): Promise<void> {
    await useStreamsStore.getState().controlProducer(engine, 'step')
  }
}
