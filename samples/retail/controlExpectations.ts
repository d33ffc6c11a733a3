// What the retail run should record in system.reconciliation_log and system.watermark_control after data sets 1..n,
// derived from the generator and the thresholds in pipelines/retail/pipeline.json.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { samplePipelineSource } from '../dataSets'
import { addCounts, countRows, keptRows, totalRows, type LandedRow, type RowCounts } from '../landingManifest'
import { generateRetailDataSets, RETAIL_SEED, type RetailDataSet } from './retailDataSets'

interface ReconciliationConfig {
  source: string
  target: string
  warnThreshold?: number
  failThreshold?: number
}

export interface ExpectedReconciliation {
  source: string
  target: string
  sourceCount: number
  targetCount: number
  status: 'PASS' | 'WARN' | 'FAIL'
}

export interface ExpectedWatermark {
  table: string
  /** `yyyy-MM-dd HH:mm:ss` (UTC) of the latest parseable value landed. */
  lastProcessed: string
}

const ZERO: RowCounts = { good: 0, late: 0, duplicate: 0, malformed: 0, warned: 0 }

/**
 * Reconciliation of each pre-stage table with its stage table over the whole tables (the stage drops exactly the
 * malformed rows), judged on the row-count variance with the configured thresholds; and each watermark at the latest
 * landed event time of its table.
 * @throws Error when pipeline.json cannot be read or reconciles a table this function does not know.
 */
export function retailControlExpectations(throughSet: number, seed = RETAIL_SEED): { reconciliation: ExpectedReconciliation[]; watermarks: ExpectedWatermark[] } {
  const sets = generateRetailDataSets(throughSet, seed)
  const config = JSON.parse(readFileSync(path.join(samplePipelineSource('retail'), 'pipeline.json'), 'utf8')) as { reconciliation: ReconciliationConfig[] }
  const rowsOf: Record<string, (s: RetailDataSet) => readonly LandedRow<unknown>[]> = {
    'bronze.customers': (s) => s.customers, 'bronze.products': (s) => s.products, 'bronze.transactions': (s) => s.transactions
  }
  const reconciliation = config.reconciliation.map((r): ExpectedReconciliation => {
    const pick = rowsOf[r.source]
    if (!pick) throw new Error(`pipeline.json reconciles ${r.source}, which retailControlExpectations does not model`)
    const counts = sets.map((s) => countRows(pick(s))).reduce(addCounts, ZERO)
    const [sourceCount, targetCount] = [totalRows(counts), keptRows(counts)]
    const variance = Math.abs(targetCount - sourceCount) / sourceCount
    const status = variance > (r.failThreshold ?? Infinity) ? 'FAIL' : variance > (r.warnThreshold ?? 0) ? 'WARN' : 'PASS'
    return { source: r.source, target: r.target, sourceCount, targetCount, status }
  })
  const latest = (values: string[]): string => values.filter((v) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(v)).sort().at(-1)!
  const watermarks: ExpectedWatermark[] = [
    { table: 'bronze.transactions', lastProcessed: latest(sets.flatMap((s) => s.transactions.map((r) => r.row.line.transaction_ts))) },
    { table: 'bronze.customers', lastProcessed: latest(sets.flatMap((s) => s.customers.map((r) => r.row.line.updated_at))) },
    { table: 'bronze.products', lastProcessed: latest(sets.flatMap((s) => s.products.map((r) => r.row.line.updated_at))) }
  ]
  return { reconciliation, watermarks }
}
