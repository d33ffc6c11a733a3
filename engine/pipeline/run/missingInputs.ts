// The tables a query reads that do not exist yet: a materialized view over them is skipped (with the reason) rather than failed.
import { DeltaTable } from '../../delta/deltaTable'
import type { Query } from '../model'
import type { RunPlan } from './plan'
import type { RunContext } from './runContext'
import { tableRootOf } from './tableWriter'

/**
 * Stored names of the pipeline datasets `query` reads (directly or through temporary views) whose tables do not exist
 * yet, because no input has reached them. External names are validated before the run and are not reported here.
 */
export async function missingDatasetTables(ctx: RunContext, query: Query): Promise<string[]> {
  const tables = new Set<string>()
  collect(ctx.plan, query, tables, new Set())
  const missing: string[] = []
  for (const table of tables) if (!(await DeltaTable.exists(await tableRootOf(ctx.lakehouse, table)))) missing.push(table)
  return missing
}

function collect(plan: RunPlan, query: Query, tables: Set<string>, visiting: Set<string>): void {
  for (const ref of query.references) {
    const resolved = plan.resolve(ref.name)
    if (resolved.kind !== 'dataset') continue
    if (resolved.dataset.stored !== null) tables.add(resolved.dataset.stored)
    else if (resolved.dataset.dataset.query && !visiting.has(resolved.dataset.dataset.name)) {
      collect(plan, resolved.dataset.dataset.query, tables, new Set([...visiting, resolved.dataset.dataset.name]))
    }
  }
}
