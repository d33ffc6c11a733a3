// Child process for the event-time crash tests: drains topic `words` into gold.word_counts (windowed count, availableNow,
// 6 records a batch) and SIGKILLs itself where STREAM_CRASH_AT says: "<phase>:<n>" = the n-th time a batch reaches that phase.
// Usage: STREAM_CRASH_AT=sinkCommitted:2 node --import tsx engine/stream/testing/eventTimeCrashWorker.ts <lakehouseDir>
import { DuckdbSession } from '../../sql/duckdbSession'
import { ManualClock } from '../clock'
import { StreamingQuery } from '../streamingQuery'
import { windowedCountQuery } from './windowedTopicQuery'

/** The clock and batch size both the worker and the tests' uninterrupted runs use. */
export const CRASH_CLOCK_START = 1_700_000_000_000
export const CRASH_MAX_OFFSETS = 6

async function main(): Promise<void> {
  const [root] = process.argv.slice(2)
  if (!root) throw new Error('usage: eventTimeCrashWorker <lakehouseDir> (crash point in STREAM_CRASH_AT)')
  const [phase, nth] = (process.env.STREAM_CRASH_AT ?? 'none:0').split(':')
  let reached = 0
  const port = await DuckdbSession.create({ threads: 1 })
  const query = new StreamingQuery(windowedCountQuery(root, port, {
    trigger: { kind: 'availableNow' }, clock: new ManualClock(CRASH_CLOCK_START), maxOffsetsPerTrigger: CRASH_MAX_OFFSETS,
    onPhase: (at) => {
      if (at === phase && ++reached === Number(nth)) process.kill(process.pid, 'SIGKILL')
    }
  }))
  await query.start()
  process.stdout.write(`${await query.awaitTermination()}\n`)
  port.close()
}

if (process.argv[1]?.endsWith('eventTimeCrashWorker.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`eventTimeCrashWorker failed: ${(e as Error).stack ?? String(e)}\n`)
    process.exit(1)
  })
}
