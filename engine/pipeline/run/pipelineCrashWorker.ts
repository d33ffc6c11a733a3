// Child process for the pipeline crash tests: runs a pipeline and SIGKILLs itself when a chosen flow reaches a chosen step.
// Usage: node --import tsx engine/pipeline/run/pipelineCrashWorker.ts <lakehouseDir> <pipeline> <stage> <flow> <clockMs>
import { Lakehouse } from '../../lakehouse/folder'
import { runPipeline } from '../runner'
import type { RunStage } from './runContext'

async function main(): Promise<void> {
  const [dir, pipeline, stage, flow, clockMs] = process.argv.slice(2)
  if (!dir || !pipeline || !stage || !flow || !clockMs) throw new Error('usage: pipelineCrashWorker <lakehouseDir> <pipeline> <stage> <flow> <clockMs>')
  const now = Number(clockMs)
  const result = await runPipeline(await Lakehouse.open(dir), pipeline, { clock: { now: () => now } }, {
    onStage: (reached: RunStage, at: string) => {
      if (reached === stage && at === flow) process.kill(process.pid, 'SIGKILL')
    }
  })
  process.stdout.write(`${result.status}\n`)
}

main().catch((e: unknown) => {
  process.stderr.write(`pipelineCrashWorker failed: ${(e as Error).stack ?? String(e)}\n`)
  process.exit(1)
})
