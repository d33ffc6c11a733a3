// Finds the pipeline runner (engine/pipeline/runner.ts) at run time, so sample tests skip cleanly while it is absent.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Lakehouse } from '../engine/lakehouse/folder'
import type { PipelineRunResult, RunPipelineOptions } from '../engine/pipeline/run/runTypes'

export type RunPipelineFn = (lakehouse: Lakehouse, name: string, options?: RunPipelineOptions) => Promise<PipelineRunResult>

/** Absolute path of the runner module the samples drive. */
export const RUNNER_MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'engine', 'pipeline', 'runner.ts')

/**
 * The runner's `runPipeline`, or null while engine/pipeline/runner.ts does not exist or does not export it yet.
 * A runner module that exists but fails to load is an error, not a silent fallback.
 * @throws the module's own load error.
 */
export async function loadRunPipeline(): Promise<RunPipelineFn | null> {
  try {
    await fs.access(RUNNER_MODULE)
  } catch {
    return null
  }
  const mod = (await import(/* @vite-ignore */ RUNNER_MODULE)) as { runPipeline?: unknown }
  return typeof mod.runPipeline === 'function' ? (mod.runPipeline as RunPipelineFn) : null
}

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
export async function runSamplePipeline(runPipeline: RunPipelineFn, lakehouse: Lakehouse, name: string, clock?: SimulatedClock): Promise<PipelineRunResult> {
  const result = await runPipeline(lakehouse, name, clock ? { clock } : {})
  if (result.status !== 'completed') {
    const failed = result.flows.filter((f) => f.status === 'failed').map((f) => `${f.flow}: ${f.error ?? 'failed'}`)
    const diagnostics = result.diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.code} ${d.message}`)
    throw new Error(`Pipeline '${name}' in ${lakehouse.root} ended ${result.status}: ${result.error ?? ''}\n${[...failed, ...diagnostics].join('\n')}`)
  }
  return result
}
