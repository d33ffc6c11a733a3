// pipelinesStore: the pipeline panel's state: pipelines, the picked one's description and run history, validation, the live run, selection.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { EngineEvent } from '../../../engine/api/events'
import type { PipelineDescription, PipelineDiagnosticInfo, PipelineRunRecord, PipelineSummary } from '../../../engine/api/pipelineApi'
import { type ReadableError, readableError } from '../../platform/readableError'
import { flowOwners, flowsOfRun } from './pipelineGraph'
import { type FlowOutcome, type LiveRun, type LogLevel, type NodeState, applyRunEvent, nodeStates, outcomesOfRecord, startLiveRun } from './runProgress'

/** Something loaded from the engine: not asked yet, on its way, there, or failed. */
export type Load<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ReadableError }

export interface Validation {
  valid: boolean
  diagnostics: PipelineDiagnosticInfo[]
  order: string[]
}

export const RUN_HISTORY_LIMIT = 20

interface PipelinesState {
  pipelines: Load<PipelineSummary[]>
  selected: string | null
  description: Load<PipelineDescription>
  history: Load<PipelineRunRecord[]>
  validation: Load<Validation>
  /** The run started from (or seen by) this panel for the selected pipeline, live or just ended. */
  live: LiveRun | null
  /** A run or stop request the engine refused. */
  actionError: ReadableError | null
  /** The node whose detail panel is open. */
  activeNode: string | null
  /** Datasets chosen for a full refresh of selected tables. */
  refreshSelection: string[]
  logLevel: 'all' | LogLevel

  /** Lists the pipelines and picks the first (or keeps the current pick when it still exists). */
  init(engine: EngineApi): Promise<void>
  /** Picks a pipeline: loads its description and run history; forgets the previous one's selection and validation. */
  selectPipeline(engine: EngineApi, name: string): Promise<void>
  /** Reloads the run history of the selected pipeline. */
  loadHistory(engine: EngineApi): Promise<void>
  validate(engine: EngineApi): Promise<void>
  /** Starts a run: `fullRefresh` true = every table, a list = those tables. Refused runs land in actionError. */
  run(engine: EngineApi, fullRefresh?: true | string[]): Promise<void>
  /** Asks the engine to stop the live run after its current step. */
  stop(engine: EngineApi): Promise<void>
  /** Folds an engine event in; call it for every event while the panel is mounted. */
  handleEvent(engine: EngineApi, event: EngineEvent): void
  activate(node: string | null): void
  toggleRefresh(dataset: string): void
  clearRefresh(): void
  setLogLevel(level: 'all' | LogLevel): void
  dismissActionError(): void
}

// Every load carries a ticket: an answer for a pipeline picked earlier never overwrites the current one's.
let ticket = 0
const tickets: Record<string, number> = {}
const take = (slot: string) => (tickets[slot] = ++ticket)
const current = (slot: string, t: number) => tickets[slot] === t

// Events that arrive while run() waits for its id (the engine may report the first flow before the reply lands).
let starting = false
let earlyEvents: EngineEvent[] = []

export const usePipelinesStore = create<PipelinesState>((set, get) => {
  /** After a run: new history, and a description that names quarantine tables the run may have created. */
  const reloadAfterRun = async (engine: EngineApi) => {
    const name = get().selected
    if (name === null) return
    const t = take('description')
    await Promise.all([
      get().loadHistory(engine),
      engine.pipeline.describe({ name }).then(
        (value) => current('description', t) && get().selected === name && set({ description: { status: 'ready', value } }),
        // The graph already shows the description from before the run; a failed refresh keeps it.
        () => undefined
      )
    ])
  }

  const expectedFlows = () => {
    const d = get().description
    return d.status === 'ready' ? flowsOfRun(d.value).length : 0
  }

  return {
    pipelines: { status: 'idle' },
    selected: null,
    description: { status: 'idle' },
    history: { status: 'idle' },
    validation: { status: 'idle' },
    live: null,
    actionError: null,
    activeNode: null,
    refreshSelection: [],
    logLevel: 'all',

    async init(engine) {
      const t = take('pipelines')
      set({ pipelines: { status: 'loading' } })
      try {
        const list = await engine.pipeline.list()
        if (!current('pipelines', t)) return
        set({ pipelines: { status: 'ready', value: list } })
        const keep = get().selected
        const pick = keep !== null && list.some((p) => p.name === keep) ? keep : (list[0]?.name ?? null)
        if (pick === null) set({ selected: null, description: { status: 'idle' }, history: { status: 'idle' }, live: null })
        else await get().selectPipeline(engine, pick)
      } catch (error) {
        if (current('pipelines', t)) set({ pipelines: { status: 'error', error: readableError(error) } })
      }
    },

    async selectPipeline(engine, name) {
      const changed = get().selected !== name
      const t = take('description')
      set({
        selected: name,
        description: { status: 'loading' },
        ...(changed ? { validation: { status: 'idle' }, activeNode: null, refreshSelection: [], actionError: null, live: get().live?.pipeline === name ? get().live : null } : {})
      })
      await Promise.all([
        engine.pipeline.describe({ name }).then(
          (value) => current('description', t) && set({ description: { status: 'ready', value } }),
          (error) => current('description', t) && set({ description: { status: 'error', error: readableError(error) } })
        ),
        get().loadHistory(engine)
      ])
    },

    async loadHistory(engine) {
      const name = get().selected
      if (name === null) return
      const t = take('history')
      if (get().history.status !== 'ready') set({ history: { status: 'loading' } })
      try {
        const value = await engine.pipeline.runs({ name, limit: RUN_HISTORY_LIMIT })
        if (current('history', t) && get().selected === name) set({ history: { status: 'ready', value } })
      } catch (error) {
        if (current('history', t)) set({ history: { status: 'error', error: readableError(error) } })
      }
    },

    async validate(engine) {
      const name = get().selected
      if (name === null) return
      const t = take('validation')
      set({ validation: { status: 'loading' } })
      try {
        const value = await engine.pipeline.validate({ name })
        if (current('validation', t)) set({ validation: { status: 'ready', value } })
      } catch (error) {
        if (current('validation', t)) set({ validation: { status: 'error', error: readableError(error) } })
      }
    },

    async run(engine, fullRefresh) {
      const name = get().selected
      if (name === null || get().live?.status === 'running') return
      set({ actionError: null })
      starting = true
      earlyEvents = []
      try {
        const { runId } = await engine.pipeline.run(fullRefresh === undefined ? { name } : { name, fullRefresh })
        const note = fullRefresh === true ? 'Full refresh of every table requested' : fullRefresh ? `Full refresh requested for ${fullRefresh.join(', ')}` : 'Run requested'
        let live = startLiveRun(runId, name, expectedFlows(), Date.now(), note)
        for (const event of earlyEvents) live = applyRunEvent(live, event, Date.now())
        set({ live })
        if (live.status !== 'running') void reloadAfterRun(engine)
      } catch (error) {
        set({ actionError: readableError(error) })
      } finally {
        starting = false
        earlyEvents = []
      }
    },

    async stop(engine) {
      const live = get().live
      if (!live || live.status !== 'running') return
      try {
        await engine.pipeline.cancel({ runId: live.runId })
        const seq = (live.log[live.log.length - 1]?.seq ?? 0) + 1
        const latest = get().live
        if (latest?.runId === live.runId && latest.status === 'running') {
          set({ live: { ...latest, log: [...latest.log, { seq, time: Date.now(), level: 'warn', message: 'Stop requested: the run ends after the step in progress' }] } })
        }
      } catch (error) {
        set({ actionError: readableError(error) })
      }
    },

    handleEvent(engine, event) {
      if (event.type === 'lakehouse.opened') {
        set({ live: null, selected: null, validation: { status: 'idle' }, activeNode: null, refreshSelection: [] })
        void get().init(engine)
        return
      }
      if (event.type !== 'pipeline.progress' && event.type !== 'pipeline.finished') return
      if (starting) {
        earlyEvents.push(event)
        return
      }
      const { live, selected } = get()
      if (live?.runId === event.runId) {
        const next = applyRunEvent(live, event, Date.now())
        set({ live: next })
        if (event.type === 'pipeline.finished') void reloadAfterRun(engine)
        return
      }
      if (event.pipeline !== selected) return
      if (event.type === 'pipeline.progress') {
        // A run of this pipeline started elsewhere (another window, the command palette): follow it from here on.
        set({ live: applyRunEvent(startLiveRun(event.runId, event.pipeline, expectedFlows(), Date.now(), 'Run started outside this panel'), event, Date.now()) })
      } else void reloadAfterRun(engine)
    },

    activate(node) {
      set({ activeNode: node })
    },
    toggleRefresh(dataset) {
      const selection = get().refreshSelection
      set({ refreshSelection: selection.includes(dataset) ? selection.filter((d) => d !== dataset) : [...selection, dataset] })
    },
    clearRefresh() {
      set({ refreshSelection: [] })
    },
    setLogLevel(logLevel) {
      set({ logLevel })
    },
    dismissActionError() {
      set({ actionError: null })
    }
  }
})

/** The flow outcomes the graph shows: the live run's when there is one, else the newest recorded run's. */
export function shownOutcomes(state: Pick<PipelinesState, 'live' | 'history'>): { outcomes: FlowOutcome[]; running: string[]; source: 'live' | 'history' | 'none' } {
  if (state.live) return { outcomes: state.live.finished, running: state.live.running, source: 'live' }
  const newest = state.history.status === 'ready' ? state.history.value[0] : undefined
  return newest ? { outcomes: outcomesOfRecord(newest), running: [], source: 'history' } : { outcomes: [], running: [], source: 'none' }
}

/** Node states of the selected pipeline's graph (see shownOutcomes); empty until its description is loaded. */
export function shownNodeStates(state: Pick<PipelinesState, 'live' | 'history' | 'description'>): Map<string, NodeState> {
  if (state.description.status !== 'ready') return new Map()
  const { outcomes, running } = shownOutcomes(state)
  return nodeStates(flowOwners(state.description.value), outcomes, running)
}

/** The table names a full refresh of the chosen datasets passes to the engine (stored names; views are skipped). */
export function refreshTables(description: PipelineDescription, selection: string[]): string[] {
  return description.datasets.filter((d) => selection.includes(d.name) && d.table !== null).map((d) => d.table!)
}
