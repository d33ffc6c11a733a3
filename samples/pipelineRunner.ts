// Drives the pipeline runner for the samples: a simulated nightly clock and a run that must complete.
import type { Lakehouse } from '../engine/lakehouse/folder'
import { runPipeline } from '../engine/pipeline/runner'
import type { PipelineRunResult } from '../engine/pipeline/run/runTypes'

/** A simulated clock for commit and load times: it starts where it is set and moves one second per reading. */
export class SimulatedClock {
  private current: number
  constructor(start: number) {
    this.current = start
  }
  setTo(ms: number): void {
    this.current = ms
  }
  now(): number {
    this.current += 1000
    return this.current
  }
}

/**
 * Runs pipeline `name` and checks that it completed.
 * @throws Error naming the pipeline, the failed flows and the runner's first error when the run did not complete.
 */
export async function runSamplePipeline(lakehouse: Lakehouse, name: string, clock?: SimulatedClock): Promise<PipelineRunResult> {
  const result = await runPipeline(lakehouse, name, clock ? { clock } : {})
  if (result.status !== 'completed') {
    const failed = result.flows.filter((f) => f.status === 'failed').map((f) => `${f.flow}: ${f.error ?? 'failed'}`)
    const diagnostics = result.diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.code} ${d.message}`)
    throw new Error(`Pipeline '${name}' in ${lakehouse.root} ended ${result.status}: ${result.error ?? ''}\n${[...failed, ...diagnostics].join('\n')}`)
  }
  return result
}
