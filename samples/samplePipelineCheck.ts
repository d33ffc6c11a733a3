// Test support for the sample pipelines: actual row counts next to the documented ones, and table versions.
import { arrowRows } from '../engine/sql/arrow'
import { SqlEngine } from '../engine/sql/queryRunner'
import type { Lakehouse } from '../engine/lakehouse/folder'
import { countSql, type ExpectedCount } from './expectedCount'
import { runSamplePipeline, type SimulatedClock } from './pipelineRunner'

function label(c: ExpectedCount): string {
  return c.where ? `${c.table} WHERE ${c.where}` : c.table
}

/**
 * Counts each expected table in the lakehouse. Returns `{ expected, actual }` keyed by `table [WHERE ...]`, where a
 * table that cannot be read shows its error text, so one comparison reports every mismatch at once.
 */
export async function compareCounts(lakehouse: Lakehouse, expected: readonly ExpectedCount[]): Promise<{ expected: Record<string, number>; actual: Record<string, number | string> }> {
  const engine = await SqlEngine.open(lakehouse)
  const actual: Record<string, number | string> = {}
  try {
    for (const c of expected) {
      try {
        const results = await engine.execute(countSql(c))
        actual[label(c)] = Number(arrowRows(results[results.length - 1]!.arrow)[0]!.n)
      } catch (e) {
        actual[label(c)] = `error: ${(e as Error).message.split('\n')[0]}`
      }
    }
  } finally {
    engine.close()
  }
  return { expected: Object.fromEntries(expected.map((c) => [label(c), c.rows])), actual }
}

/** The latest version of every Delta table in the lakehouse, keyed by `schema.table`. */
export async function tableVersions(lakehouse: Lakehouse): Promise<Record<string, number>> {
  const engine = await SqlEngine.open(lakehouse)
  const versions: Record<string, number> = {}
  try {
    for (const t of await lakehouse.listTables()) {
      const results = await engine.execute(`DESCRIBE HISTORY ${t.schema}.${t.name} LIMIT 1`)
      versions[`${t.schema}.${t.name}`] = Number(arrowRows(results[0]!.arrow)[0]!.version)
    }
  } finally {
    engine.close()
  }
  return versions
}

/** Rows a warn-only expectation flagged over all runs, from system.quality_results. */
export async function warnFailures(lakehouse: Lakehouse, dataset: string, expectation: string): Promise<number> {
  const engine = await SqlEngine.open(lakehouse)
  try {
    const results = await engine.execute(
      `SELECT coalesce(sum(failed), 0) AS n FROM system.quality_results WHERE dataset = '${dataset}' AND expectation = '${expectation}' AND action = 'warn'`)
    return Number(arrowRows(results[0]!.arrow)[0]!.n)
  } finally {
    engine.close()
  }
}

/**
 * Runs the sample's pipeline once more with no new data and reports what changed: flows that committed, and data tables
 * (not system.*, which log every run) whose version moved. Both are empty when the pipeline is truly incremental.
 */
export async function rerunChanges(lakehouse: Lakehouse, sample: string, clock: SimulatedClock): Promise<{ committedFlows: string[]; movedTables: Record<string, [number, number | undefined]> }> {
  const dataOnly = (v: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(v).filter(([t]) => !t.startsWith('system.')))
  const before = dataOnly(await tableVersions(lakehouse))
  const result = await runSamplePipeline(lakehouse, sample, clock)
  const after = dataOnly(await tableVersions(lakehouse))
  const movedTables: Record<string, [number, number | undefined]> = {}
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[table] !== after[table]) movedTables[table] = [before[table] ?? -1, after[table]]
  }
  const committedFlows = result.flows.filter((f) => f.version !== null).map((f) => `${f.flow} -> ${f.target} v${f.version}`)
  return { committedFlows, movedTables }
}
