// Child process for the streaming crash tests: drains landing/events into silver.events (availableNow, one file a batch)
// and SIGKILLs itself at the point STREAM_CRASH_AT names: "<phase>:<n>" = the n-th time a batch reaches that phase.
// Usage: STREAM_CRASH_AT=sinkCommitted:2 node --import tsx engine/stream/testing/streamCrashWorker.ts <lakehouseDir>
import { ManualClock } from '../clock'
import { StreamingQuery } from '../streamingQuery'
import { eventsSource, eventsTransform } from './streamTestLakehouse'

async function main(): Promise<void> {
  const [root] = process.argv.slice(2)
  if (!root) throw new Error('usage: streamCrashWorker <lakehouseDir> (crash point in STREAM_CRASH_AT)')
  const [phase, nth] = (process.env.STREAM_CRASH_AT ?? 'none:0').split(':')
  let reached = 0
  const query = new StreamingQuery({
    name: 'crash', lakehouseRoot: root, sources: [eventsSource(root, 1)], transform: eventsTransform,
    sink: { table: 'silver.events', mode: 'append' }, trigger: { kind: 'availableNow' }, clock: new ManualClock(1_700_000_000_000),
    onPhase: (at) => {
      if (at === phase && ++reached === Number(nth)) process.kill(process.pid, 'SIGKILL')
    }
  })
  await query.start()
  process.stdout.write(`${await query.awaitTermination()}\n`)
}

main().catch((e: unknown) => {
  process.stderr.write(`streamCrashWorker failed: ${(e as Error).stack ?? String(e)}\n`)
  process.exit(1)
})
