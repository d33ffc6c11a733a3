// Picks the stateful runner of a streaming flow from its query's event-time shape: windows/sessions, a stream-stream join, or none.
import type { Flow } from '../model'
import type { FlowCheckpoint } from '../run/checkpoints'
import type { PlannedDataset } from '../run/plan'
import type { RunContext } from '../run/runContext'
import { PipelineRunError } from '../run/runTypes'
import { EventTimeFlow } from './eventTimeFlow'
import type { StatefulFlow } from './flowState'
import { StreamJoinFlow } from './joinFlow'
import { eventTimeShapeOf } from './windowQuery'

/**
 * The stateful runner of `flow`: EventTimeFlow for a watermarked windowed aggregation, StreamJoinFlow for a join of two
 * watermarked streams, null for any other query (it runs as plain SQL over each batch).
 * @throws PipelineRunError UNSUPPORTED (a watermarked form we do not run, naming file:line:column and what is supported)
 *   or INVALID_WATERMARK.
 */
export function openStatefulFlow(ctx: RunContext, planned: PlannedDataset, flow: Flow, checkpoint: FlowCheckpoint): StatefulFlow | null {
  if (!flow.query) return null
  const shape = eventTimeShapeOf(flow.query)
  if (shape.kind === 'unsupported') {
    const at = shape.location
    throw new PipelineRunError('UNSUPPORTED', `Flow '${flow.name}' (${at.file}:${at.line}:${at.column}): ${shape.message}`, { flow: flow.name, location: at })
  }
  if (shape.kind === 'window') return new EventTimeFlow(ctx, planned, flow, checkpoint, shape.plan)
  if (shape.kind === 'join') return new StreamJoinFlow(ctx, planned, flow, checkpoint, shape.plan)
  return null
}
