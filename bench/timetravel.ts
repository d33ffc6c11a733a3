// Time-travel benchmark: Lakebench reading version N through SQL vs DuckDB read_parquet over that version's files,
// plus snapshot build from a checkpoint and by pure JSON replay of 10,000 commits.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Bench } from 'tinybench'
import { formatActions, type Action } from '../engine/delta/actions'
import { DeltaTable } from '../engine/delta/deltaTable'
import { loadSnapshot } from '../engine/delta/logReplay'
import { LogStore, commitFileName } from '../engine/delta/logStore'
import { sqlString } from '../engine/delta/parquetPort'
import { field } from '../engine/delta/typeMapping'
import { Lakehouse } from '../engine/lakehouse/folder'
import { DuckdbSession } from '../engine/sql/duckdbSession'
import { SqlEngine } from '../engine/sql/queryRunner'

const ROWS_PER_COMMIT = 50_000
const COMMITS = 100
const TARGET_VERSION = 73 // between checkpoints 70 and 80: checkpoint + 3 JSON commits
const REPLAY_COMMITS = 10_000
const ROUNDS = 40
const WARMUP_ROUNDS = 3

interface Measured {
  name: string
  medianMs: number
  meanMs: number
  samples: number
}

async function measure(name: string, fn: () => Promise<unknown>, options: { iterations: number; time: number }): Promise<Measured> {
  const bench = new Bench({ iterations: options.iterations, time: options.time, warmupIterations: 3 })
  bench.add(name, fn)
  await bench.run()
  const task = bench.tasks[0]!
  const result = task.result as { latency?: { p50: number; mean: number; samplesCount?: number }; error?: unknown }
  if (!result.latency) throw new Error(`benchmark ${name} failed: ${String(result.error)}`)
  return { name, medianMs: result.latency.p50, meanMs: result.latency.mean, samples: result.latency.samplesCount ?? options.iterations }
}

async function buildBenchTable(lakehouse: Lakehouse, session: DuckdbSession): Promise<DeltaTable> {
  const root = lakehouse.tablePath('bench', 'events')
  const table = await DeltaTable.create(root, session, {
    schema: {
      type: 'struct',
      fields: [field('id', 'long'), field('ts', 'timestamp'), field('user_id', 'integer'), field('amount', 'double'), field('category', 'string')]
    },
    name: 'events'
  })
  const started = performance.now()
  for (let commit = 0; commit < COMMITS; commit++) {
    const first = commit * ROWS_PER_COMMIT
    await table.write({
      mode: 'append',
      sourceSql: `SELECT (${first} + i)::BIGINT AS id,
          TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds((${first} + i)::BIGINT) AS ts,
          ((${first} + i) % 9973)::INTEGER AS user_id,
          ((${first} + i) % 1000) / 10.0 AS amount,
          ['gym', 'run', 'swim', 'bike', 'row'][((${first} + i) % 5) + 1] AS category
        FROM range(${ROWS_PER_COMMIT}) t(i)`
    })
    if ((commit + 1) % 20 === 0) process.stdout.write(`  built ${commit + 1}/${COMMITS} commits (${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
  }
  return table
}

/** A log of REPLAY_COMMITS small commits, each adding one file (every tenth also removing one), with no checkpoint. */
async function buildReplayLog(root: string): Promise<void> {
  const logDir = path.join(root, '_delta_log')
  await fs.mkdir(logDir, { recursive: true })
  const schemaString = JSON.stringify({ type: 'struct', fields: [field('id', 'long'), field('v', 'double')] })
  const v0: Action[] = [
    { commitInfo: { timestamp: 0, operation: 'CREATE TABLE' } },
    { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
    { metaData: { id: 'bench-replay', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {}, createdTime: 0 } }
  ]
  await fs.writeFile(path.join(logDir, commitFileName(0)), formatActions(v0))
  const writes: Promise<void>[] = []
  for (let v = 1; v < REPLAY_COMMITS; v++) {
    const actions: Action[] = [
      { commitInfo: { timestamp: v * 1000, operation: 'WRITE', operationParameters: { mode: 'Append' }, isBlindAppend: true } },
      { add: { path: `part-${v}.parquet`, partitionValues: {}, size: 1000, modificationTime: v * 1000, dataChange: true,
        stats: JSON.stringify({ numRecords: 10, minValues: { id: v * 10, v: 0.5 }, maxValues: { id: v * 10 + 9, v: 9.5 }, nullCount: { id: 0, v: 0 } }) } }
    ]
    if (v % 10 === 0) actions.push({ remove: { path: `part-${v - 5}.parquet`, deletionTimestamp: v * 1000, dataChange: true } })
    writes.push(fs.writeFile(path.join(logDir, commitFileName(v)), formatActions(actions)))
    if (writes.length >= 256) await Promise.all(writes.splice(0))
  }
  await Promise.all(writes)
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function summarize(name: string, samples: number[]): Measured {
  return { name, medianMs: medianOf(samples), meanMs: samples.reduce((a, b) => a + b, 0) / samples.length, samples: samples.length }
}

/** Runs every task once per round (after WARMUP_ROUNDS untimed rounds), rotating the order, and returns the times per task. */
async function interleave<K extends string>(rounds: number, tasks: Record<K, () => Promise<unknown>>): Promise<Record<K, number[]>> {
  const names = Object.keys(tasks) as K[]
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>
  for (let round = -WARMUP_ROUNDS; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]!)
    for (const name of order) {
      const start = performance.now()
      await tasks[name]()
      if (round >= 0) times[name].push(performance.now() - start)
    }
  }
  return times
}

function verdict(value: number, target: number): string {
  return value <= target ? `ok (target <= ${target})` : `ABOVE TARGET (target <= ${target})`
}

export async function runTimeTravelBench(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-bench-'))
  const session = await DuckdbSession.create()
  try {
    console.log(`timetravel: building ${COMMITS} commits x ${ROWS_PER_COMMIT.toLocaleString()} rows in ${dir}`)
    const lakehouse = await Lakehouse.create(path.join(dir, 'lh'), { name: 'bench' })
    const table = await buildBenchTable(lakehouse, session)
    const snapshot = await table.snapshot({ version: TARGET_VERSION })
    const files = snapshot.files.map((f) => path.join(table.root, decodeURIComponent(f.path)))
    const aggregate = 'count(*) AS n, sum(amount) AS total, max(ts) AS last_ts, count(DISTINCT category) AS categories'
    const lakebenchSql = `SELECT ${aggregate} FROM bench.events VERSION AS OF ${TARGET_VERSION}`
    const baselineSql = `SELECT ${aggregate} FROM read_parquet([${files.map(sqlString).join(', ')}])`

    // Both sides must agree before their times mean anything.
    const warmEngine = await SqlEngine.open(lakehouse, { session })
    const ours = (await warmEngine.execute(lakebenchSql))[0]!
    const theirs = await session.query(baselineSql)
    const expectedRows = TARGET_VERSION * ROWS_PER_COMMIT
    if (ours.rowCount !== 1 || Number(theirs[0]!.n) !== expectedRows) throw new Error(`benchmark queries disagree or miscounted (expected ${expectedRows} rows at version ${TARGET_VERSION})`)
    const oursCheck = await session.query(lakebenchSql.replace(`bench.events VERSION AS OF ${TARGET_VERSION}`, `read_parquet([${files.map(sqlString).join(', ')}])`))
    if (String(oursCheck[0]!.total) !== String(theirs[0]!.total)) throw new Error('benchmark queries disagree on sum(amount)')

    // The three read paths run interleaved, round by round, so load from anything else on the machine hits them
    // alike; each ratio is the median over rounds of (ours / baseline) within the same round.
    const rounds = await interleave(ROUNDS, {
      baseline: () => session.query(baselineSql),
      warm: () => warmEngine.execute(lakebenchSql),
      cold: async () => {
        const engine = await SqlEngine.open(lakehouse, { session })
        await engine.execute(lakebenchSql)
        engine.close()
      }
    })
    const baseline = summarize('duckdb read_parquet(version files)', rounds.baseline)
    const warm = summarize('lakebench SQL, snapshot cached', rounds.warm)
    const cold = summarize('lakebench SQL, snapshot built', rounds.cold)

    const store = new LogStore(table.root)
    const fromCheckpoint = await measure(`snapshot build at v${COMMITS} (checkpoint)`, () => loadSnapshot(store, session, { version: COMMITS }), { iterations: 50, time: 2000 })
    const fromCheckpointPlusJson = await measure(`snapshot build at v${TARGET_VERSION} (checkpoint + JSON)`, () => loadSnapshot(store, session, { version: TARGET_VERSION }), { iterations: 50, time: 2000 })

    const replayRoot = path.join(dir, 'replay')
    await buildReplayLog(replayRoot)
    const replayStore = new LogStore(replayRoot)
    const replayed = await loadSnapshot(replayStore, session)
    if (replayed.version !== REPLAY_COMMITS - 1) throw new Error(`replay reached version ${replayed.version}, expected ${REPLAY_COMMITS - 1}`)
    const replay = await measure(`snapshot build by JSON replay of ${REPLAY_COMMITS.toLocaleString()} commits`, () => loadSnapshot(replayStore, session), { iterations: 10, time: 3000 })

    console.log('\nresults (medians)')
    for (const m of [baseline, warm, cold, fromCheckpoint, fromCheckpointPlusJson, replay]) {
      console.log(`  ${m.name.padEnd(58)} ${m.medianMs.toFixed(2).padStart(9)} ms  (mean ${m.meanMs.toFixed(2)} ms)`)
    }
    const warmRatio = medianOf(rounds.warm.map((ms, i) => ms / rounds.baseline[i]!))
    const coldRatio = medianOf(rounds.cold.map((ms, i) => ms / rounds.baseline[i]!))
    console.log(`\nratios against the baseline measured in this run (median of ${ROUNDS} interleaved rounds)`)
    console.log(`  warm  (snapshot cached) / read_parquet: ${warmRatio.toFixed(3)}  ${verdict(warmRatio, 1.1)}`)
    console.log(`  cold  (snapshot built)  / read_parquet: ${coldRatio.toFixed(3)}  ${verdict(coldRatio, 1.5)}`)
    console.log(`  snapshot from checkpoint: ${fromCheckpoint.medianMs.toFixed(2)} ms  ${verdict(fromCheckpoint.medianMs, 40)}`)
    console.log(`  snapshot by JSON replay (${REPLAY_COMMITS} commits): ${replay.medianMs.toFixed(2)} ms  ${verdict(replay.medianMs, 100)}`)
    warmEngine.close()
  } finally {
    session.close()
    await fs.rm(dir, { recursive: true, force: true })
  }
}
