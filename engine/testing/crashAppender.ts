// Child process for the crash-injection test: appends idempotent batches to one table forever, until it is killed.
// Usage: node --import tsx engine/testing/crashAppender.ts <tableRoot> <appId> <rowsPerBatch>
// Each batch b writes rows (batch = b, seq = 0..rows-1) over two partitions together with txn(appId, b), so the table
// itself records which batches committed; after a restart the loop resumes at the batch after the table's txn version.
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaTable } from '../delta/deltaTable'

async function main(): Promise<void> {
  const [root, appId, rowsArg] = process.argv.slice(2)
  if (!root || !appId || !rowsArg) throw new Error('usage: crashAppender <tableRoot> <appId> <rowsPerBatch>')
  const rows = Number(rowsArg)
  const port = await DuckdbSession.create({ threads: 1 })
  const table = await DeltaTable.open(root, port)
  // The parent starts its kill timer when it sees this line, so kills land in writes rather than in start-up.
  process.stdout.write('ready\n')
  for (;;) {
    const snapshot = await table.snapshot()
    const batch = (snapshot.txns.get(appId)?.version ?? -1) + 1
    await table.write({
      mode: 'append',
      sourceSql: `SELECT ${batch} AS batch, range AS seq, range % 2 AS part FROM range(${rows})`,
      txn: { appId, version: batch }
    })
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crashAppender failed: ${(e as Error).stack ?? String(e)}\n`)
  process.exit(1)
})
