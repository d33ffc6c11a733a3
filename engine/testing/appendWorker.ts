// Child process for the multi-process commit tests: appends N small batches to one table and reports each commit.
// Usage: node --import tsx engine/testing/appendWorker.ts <tableRoot> <workerId> <appends> [rowsPerAppend]
import { DuckdbSession } from '../sql/duckdbSession'
import { DeltaTable } from '../delta/deltaTable'

async function main(): Promise<void> {
  const [root, workerArg, appendsArg, rowsArg] = process.argv.slice(2)
  if (!root || workerArg === undefined || appendsArg === undefined) throw new Error('usage: appendWorker <tableRoot> <workerId> <appends> [rowsPerAppend]')
  const worker = Number(workerArg)
  const appends = Number(appendsArg)
  const rows = Number(rowsArg ?? '3')
  const port = await DuckdbSession.create({ threads: 1 })
  try {
    const table = await DeltaTable.open(root, port)
    const commits: { version: number; retries: number }[] = []
    for (let i = 0; i < appends; i++) {
      // Each row names its writer and batch so the parent can check nothing was lost or duplicated.
      const result = await table.write({
        mode: 'append',
        sourceSql: `SELECT ${worker} AS worker, ${i} AS batch, range AS seq FROM range(${rows})`
      })
      commits.push({ version: result.version, retries: result.retries })
    }
    process.stdout.write(JSON.stringify({ worker, commits }) + '\n')
  } finally {
    port.close()
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`appendWorker failed: ${(e as Error).stack ?? String(e)}\n`)
  process.exit(1)
})
