// Adapts an event-time operator (window, session window, interval join) to the StatefulStep seam of the query runner.
//
//   per batch N: [restore state/<C>/<op.id> on the first batch of a resumed run] ─► inputs (transform output, or SQL per
//   input over the source relations) ─► measure event time per input partition ─► op.process(watermark of offsets/N)
//   ─► op.save(state/<N>/<op.id>) ─► emitted rows + one late relation back to the runner (which writes them, then commits/N)
import path from 'node:path'
import { sqlIdent } from '../delta/parquetPort'
import { operatorTablePrefix, type EventTimeOperator, type OperatorOutput } from './eventTime/operator'
import { measureEventTime, mergeEventTimes, type BatchEventTime } from './queryWatermark'
import type { StatefulStep, StatefulStepInput, StatefulStepOutput } from './statefulStep'
import { StreamError } from './streamError'

export interface EventTimeStepOptions {
  /**
   * Builds the operator on the query's DuckDB session. Called on first use, and again whenever in-memory state cannot be
   * trusted (a batch re-run in the same process after a cancel): the state then comes from the checkpoint, never from memory.
   */
  operator: () => EventTimeOperator
  /**
   * SQL per operator input over the batch (default: the transform's output as the single input). A stream-stream join over
   * two sources takes e.g. `({ sources }) => [\`SELECT ... FROM ${sources[0]}\`, \`SELECT ... FROM ${sources[1]}\`]`.
   * Keep a topic's `partition` column in an input for per-partition watermarks.
   */
  inputs?: (batch: { relation: string; sources: string[] }) => string[]
  /** Event-time column per input (default: the query's EventTimeSpec.column for every input). */
  eventTimeColumns?: string[]
}

/**
 * A StatefulStep running `options.operator()` as the operator.ts contract asks: process with the batch's recorded watermark,
 * save state into state/<N>/<op.id> before the runner writes commits/N, restore state/<C>/<op.id> when a run resumes.
 * Late rows of several inputs are returned as one relation (UNION ALL BY NAME plus an `_input` column = input index), since
 * the runner writes `<sink>_late` once per batch under the batch's txn.
 * needsBatchWithoutData answers false only when the operator is known to hold no state (nothing could be emitted).
 * The step throws StreamError INVALID_ARGUMENT (operator on another session, wrong number of inputs, no event-time
 * column), EventTimeError STATE_CORRUPT / STATE_INCOMPATIBLE from the restore (naming the file), EVENT_TIME_COLUMN.
 */
export function eventTimeStep(options: EventTimeStepOptions): StatefulStep {
  let op: EventTimeOperator | null = null
  /** The batch id the in-memory state is ready for; null when it must be rebuilt. */
  let readyFor: number | null = null
  let stateRows: number | null = null

  const prepare = async (input: StatefulStepInput): Promise<EventTimeOperator> => {
    if (op && input.restoreFrom === null && readyFor === input.batchId) return op
    if (op) await op.close()
    op = null
    stateRows = null
    const fresh = options.operator()
    if (fresh.port !== input.port) throw new StreamError('INVALID_ARGUMENT', `operator ${fresh.id} was built on another DuckDB session than the query runs on`)
    if (input.restoreFrom !== null) await fresh.load(path.join(input.restoreFrom, fresh.id))
    op = fresh
    return fresh
  }

  const step = async (input: StatefulStepInput): Promise<StatefulStepOutput> => {
    const operator = await prepare(input)
    readyFor = null
    const prefix = `__step_${operatorTablePrefix(operator.id)}`
    const sqls = options.inputs?.({ relation: input.relation, sources: input.sources ?? [] }) ?? null
    const relations = sqls ? sqls.map((_, i) => `${prefix}_in${i}`) : [input.relation]
    if (relations.length !== operator.inputCount) {
      throw new StreamError('INVALID_ARGUMENT', `operator ${operator.id} takes ${operator.inputCount} input(s) but the step gives it ${relations.length}`)
    }
    try {
      for (const [i, sql] of (sqls ?? []).entries()) await input.port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(relations[i]!)} AS ${sql}`)
      const columns = options.eventTimeColumns ?? relations.map(() => input.eventTimeColumn)
      const measured: BatchEventTime[] = []
      for (const [i, relation] of relations.entries()) {
        const column = columns[i]
        if (!column) throw new StreamError('INVALID_ARGUMENT', `operator ${operator.id}: no event-time column for input ${i} (declare the query's eventTime or eventTimeColumns)`)
        measured.push(await measureEventTime(input.port, relation, column, String(i)))
      }
      const out = await operator.process({ relations, watermarkMs: input.watermarkMs, batchId: input.batchId })
      await operator.save(path.join(input.stateDir, operator.id))
      readyFor = input.batchId + 1
      stateRows = out.stateRows
      return {
        emitted: out.emitted, late: [await oneLateRelation(input, out, `${prefix}_late`)], numLateRows: out.numLateRows,
        stateOperators: [{ numRowsTotal: out.stateRows, numRowsUpdated: out.stateRowsUpdated, numRowsDroppedByWatermark: out.numLateRows, numRowsRemoved: out.stateRowsRemoved }],
        eventTime: mergeEventTimes(measured)
      }
    } finally {
      for (const relation of sqls ? relations : []) await input.port.exec(`DROP TABLE IF EXISTS ${sqlIdent(relation)}`).catch(() => undefined)
    }
  }
  return Object.assign(step, { needsBatchWithoutData: () => stateRows === null || stateRows > 0 })
}

/** The operator's late relations as one: itself when there is one, else a union by name tagged with `_input`. */
async function oneLateRelation(input: StatefulStepInput, out: OperatorOutput, name: string): Promise<string> {
  if (out.late.length === 1) return out.late[0]!
  const parts = out.late.map((r, i) => `SELECT ${i}::INTEGER AS _input, * FROM ${sqlIdent(r)}`)
  await input.port.exec(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(name)} AS ${parts.join(' UNION ALL BY NAME ')}`)
  return name
}
