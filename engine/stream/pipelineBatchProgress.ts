// How one pipeline run becomes the event-time and state parts of a micro-batch's progress (Spark's eventTime and stateOperators).
import type { PipelineRunResult } from '../pipeline/runner'
import type { BatchProgress, StateOperatorProgress } from './progress'

/**
 * The event time of a batch over the pipeline's watermarked flows (those whose result carries `eventTime`): the
 * watermark is the lowest any of them ran with (a pipeline is only as far along as its slowest stream; null when none
 * has one yet), min/max span the event times they all read. Undefined when no flow is watermarked.
 */
export function batchEventTime(run: Pick<PipelineRunResult, 'flows'>): BatchProgress['eventTime'] {
  const timed = run.flows.filter((f) => f.eventTime !== undefined).map((f) => f.eventTime!)
  if (timed.length === 0) return undefined
  const lowest = (values: (number | null)[]): number | null => {
    const known = values.filter((v): v is number => v !== null)
    return known.length === 0 ? null : Math.min(...known)
  }
  const highest = (values: (number | null)[]): number | null => {
    const known = values.filter((v): v is number => v !== null)
    return known.length === 0 ? null : Math.max(...known)
  }
  return { watermark: lowest(timed.map((t) => t.watermark)), min: lowest(timed.map((t) => t.min)), max: highest(timed.map((t) => t.max)) }
}

/**
 * One state operator per stateful flow (those whose result carries `state`), in flow order, named by the table it
 * writes: its own watermark and event-time range, state rows kept, updated and evicted, and the flow's late rows as the
 * rows the watermark dropped (they went to `<table>_late`).
 */
export function batchStateOperators(run: Pick<PipelineRunResult, 'flows'>): StateOperatorProgress[] {
  return run.flows.filter((f) => f.state !== undefined).map((f) => ({
    operatorName: f.target,
    ...(f.eventTime ? { eventTime: { ...f.eventTime } } : {}),
    numRowsTotal: f.state!.rowsTotal,
    numRowsUpdated: f.state!.rowsUpdated,
    numRowsDroppedByWatermark: f.rowsLate ?? 0,
    numRowsRemoved: f.state!.rowsRemoved
  }))
}
