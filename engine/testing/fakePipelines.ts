// fakePipelines: the in-memory pipeline domain of the fake engine: one medallion pipeline whose runs emit real-shaped events.
import type { PipelineApi, PipelineDatasetDetail, PipelineDescription, PipelineFlowProgress, PipelineRunRecord } from '../api/pipelineApi'
import { EngineError } from '../api/errors'
import type { EngineEvent } from '../api/events'

/** How one flow of the fake pipeline runs: rows in and how many its DROP expectation quarantines. */
interface FakeFlowScript {
  dataset: string
  rowsIn: number
  dropped: number
}

export const FAKE_PIPELINE = 'demo'

const definition = (file: string, line: number, text: string) => ({ file: `pipelines/demo/${file}`, line, column: 1, text })

/** landing/events → bronze.events → silver.events (DROP ROW valid_id, quarantined) → gold.daily_counts. */
function fakeDatasets(): PipelineDatasetDetail[] {
  return [
    {
      name: 'bronze.events', table: 'bronze.events', kind: 'streaming_table', dependsOn: [], streaming: true, flows: ['bronze.events'],
      definitions: [definition('01_bronze.sql', 1, "CREATE OR REFRESH STREAMING TABLE bronze.events\nAS SELECT * FROM STREAM read_files('landing/events', format => 'json')")],
      fileSources: [{ function: 'read_files', path: 'landing/events', format: 'json', streaming: true }], expectations: [], quarantineTable: null
    },
    {
      name: 'events', table: 'silver.events', kind: 'streaming_table', dependsOn: ['bronze.events'], streaming: true, flows: ['events'],
      definitions: [definition('02_silver.sql', 1, 'CREATE OR REFRESH STREAMING TABLE events (\n  CONSTRAINT valid_id EXPECT (id IS NOT NULL) ON VIOLATION DROP ROW\n)\nAS SELECT * FROM STREAM(bronze.events)')],
      fileSources: [], expectations: [{ name: 'valid_id', expression: 'id IS NOT NULL', action: 'drop', line: 2 }], quarantineTable: 'silver.events_quarantine'
    },
    {
      name: 'gold.daily_counts', table: 'gold.daily_counts', kind: 'materialized_view', dependsOn: ['events'], streaming: false, flows: ['gold.daily_counts'],
      definitions: [definition('03_gold.sql', 1, 'CREATE OR REFRESH MATERIALIZED VIEW gold.daily_counts\nAS SELECT day, count(*) AS n FROM events GROUP BY day')],
      fileSources: [], expectations: [], quarantineTable: null
    }
  ]
}

const scripts: FakeFlowScript[] = [
  { dataset: 'bronze.events', rowsIn: 120, dropped: 0 },
  { dataset: 'events', rowsIn: 120, dropped: 3 },
  { dataset: 'gold.daily_counts', rowsIn: 7, dropped: 0 }
]

/**
 * The fake pipeline domain. `demo` is the only pipeline; a run starts at once and emits, one macrotask apart, a started
 * and a finished `pipeline.progress` event per flow then `pipeline.finished`, and is recorded for `runs`. A second run
 * while one is in flight fails with PIPELINE_RUNNING; cancel stops it before the next flow (status `cancelled`).
 * `fullRefresh` makes streaming flows read their whole input again (the same counts here); without it, a run after a
 * completed one finds no new data for streaming tables and leaves the materialized view unchanged.
 */
export function fakePipelines(emit: (event: EngineEvent) => void, record: (method: string, arg: unknown) => void): PipelineApi {
  const history: PipelineRunRecord[] = []
  const versions = new Map<string, number>()
  let inFlight: { runId: string; cancelled: boolean } | null = null
  let nextRun = 1
  const check = (name: string) => {
    if (name !== FAKE_PIPELINE) throw new EngineError('PIPELINE_NOT_FOUND', `The fake engine has no pipeline '${name}'`, { pipeline: name })
  }
  const describe = (): PipelineDescription => ({ name: FAKE_PIPELINE, target: 'silver', files: ['01_bronze.sql', '02_silver.sql', '03_gold.sql'].map((f) => `pipelines/demo/${f}`), datasets: fakeDatasets(), diagnostics: [] })

  const runFlows = async (runId: string, fullRefresh: boolean, run: { cancelled: boolean }) => {
    const startedAt = Date.now()
    const flows: PipelineFlowProgress[] = []
    const datasets = fakeDatasets()
    const incremental = !fullRefresh && history.some((h) => h.status === 'completed')
    for (const script of scripts) {
      const dataset = datasets.find((d) => d.name === script.dataset)!
      if (run.cancelled) break
      emit({ type: 'pipeline.progress', runId, pipeline: FAKE_PIPELINE, flow: script.dataset })
      await new Promise((resolve) => setTimeout(resolve, 0))
      const fresh = !incremental
      const written = fresh ? script.rowsIn - script.dropped : 0
      const version = fresh ? (versions.get(dataset.table!) ?? -1) + 1 : null
      if (version !== null) versions.set(dataset.table!, version)
      const flow: PipelineFlowProgress = {
        flow: script.dataset, target: dataset.table!, kind: dataset.kind, status: fresh ? 'completed' : dataset.streaming ? 'no_new_data' : 'unchanged',
        rowsIn: fresh ? script.rowsIn : 0, rowsWritten: written, rowsQuarantined: fresh ? script.dropped : 0,
        expectations: dataset.expectations.map((e) => ({ dataset: dataset.name, expectation: e.name, action: e.action, passed: fresh ? script.rowsIn - script.dropped : 0, failed: fresh ? script.dropped : 0 })),
        version, durationMs: 5
      }
      flows.push(flow)
      emit({ type: 'pipeline.progress', runId, pipeline: FAKE_PIPELINE, flow: script.dataset, finished: flow })
    }
    const status = run.cancelled ? 'cancelled' : 'completed'
    const endedAt = Date.now()
    history.unshift({
      runId, pipeline: FAKE_PIPELINE, status, startedAt, endedAt, durationMs: endedAt - startedAt,
      rowsIn: flows.reduce((n, f) => n + f.rowsIn, 0), rowsWritten: flows.reduce((n, f) => n + f.rowsWritten, 0), rowsQuarantined: flows.reduce((n, f) => n + f.rowsQuarantined, 0), error: null,
      flows: flows.map((f) => ({ flow: f.flow, status: f.status, startedAt, endedAt, rowsIn: f.rowsIn, rowsRead: null, rowsWritten: f.rowsWritten, rowsQuarantined: f.rowsQuarantined, durationMs: f.durationMs, version: f.version, error: null, expectations: f.expectations }))
    })
    inFlight = null
    emit({ type: 'pipeline.finished', runId, pipeline: FAKE_PIPELINE, status, flows })
  }

  return {
    async list() {
      record('pipeline.list', undefined)
      const { name, target, datasets, diagnostics } = describe()
      return [{ name, target, datasets: datasets.map(({ name: n, table, kind, dependsOn }) => ({ name: n, table, kind, dependsOn })), diagnostics }]
    },
    async validate(arg) {
      record('pipeline.validate', arg)
      check(arg.name)
      return { valid: true, diagnostics: [], order: fakeDatasets().map((d) => d.name) }
    },
    async run(arg) {
      record('pipeline.run', arg)
      check(arg.name)
      if (inFlight) throw new EngineError('PIPELINE_RUNNING', `Pipeline ${arg.name} is already running; cancel it or wait for it to finish`, { pipeline: arg.name })
      const run = { runId: `fake-run-${nextRun++}`, cancelled: false }
      inFlight = run
      // Like the real engine: the id comes back first, events follow.
      setTimeout(() => void runFlows(run.runId, arg.fullRefresh !== undefined, run), 0)
      return { runId: run.runId }
    },
    async cancel(arg) {
      record('pipeline.cancel', arg)
      if (inFlight?.runId === arg.runId) inFlight.cancelled = true
    },
    async describe(arg) {
      record('pipeline.describe', arg)
      check(arg.name)
      return describe()
    },
    async runs(arg) {
      record('pipeline.runs', arg)
      check(arg.name)
      return history.slice(0, arg.limit ?? 20)
    }
  }
}
