// Child process for the offset-log collision test (S5): tries to write offsets/0..N of one checkpoint as writer W and
// prints one JSON line {writer, won: [ids], lost: [ids]} (lost = CHECKPOINT_CONFLICT naming the file). It prints
// `ready` first and starts only once <lakehouseDir>/go exists, so all writers race from the same moment.
// Usage: node --import tsx engine/stream/testing/offsetLogRaceWorker.ts <lakehouseDir> <query> <writer> <lastBatchId>
import { existsSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { StreamCheckpoint } from '../checkpoint/streamCheckpoint'
import { StreamError } from '../streamError'

async function main(): Promise<void> {
  const [root, query, writerText, lastText] = process.argv.slice(2)
  if (!root || !query || writerText === undefined || lastText === undefined) throw new Error('usage: offsetLogRaceWorker <lakehouseDir> <query> <writer> <lastBatchId>')
  const writer = Number(writerText)
  const checkpoint = new StreamCheckpoint(root, query)
  process.stdout.write('ready\n')
  while (!existsSync(path.join(root, 'go'))) await delay(2)
  const won: number[] = []
  const lost: number[] = []
  for (let batchId = 0; batchId <= Number(lastText); batchId++) {
    try {
      await checkpoint.offsets.add({ batchId, triggerTime: writer, watermarkMs: null, sources: { race: { writer, batchId } } })
      won.push(batchId)
    } catch (e) {
      // Only the named conflict counts as losing; anything else fails the worker (and so the test).
      if (!(e instanceof StreamError && e.code === 'CHECKPOINT_CONFLICT' && e.message.includes(checkpoint.offsets.fileOf(batchId)))) throw e
      lost.push(batchId)
    }
  }
  process.stdout.write(`${JSON.stringify({ writer, won, lost })}\n`)
}

main().catch((e: unknown) => {
  process.stderr.write(`offsetLogRaceWorker failed: ${(e as Error).stack ?? String(e)}\n`)
  process.exit(1)
})
