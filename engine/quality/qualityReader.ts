// qualityReader: the quality domain of the Engine API over one lakehouse and DuckDB session.
import type { QualityApi } from '../api/qualityApi'
import { reconciliationLog, watermarkRows } from './controlTables'
import { expectationPassRates } from './expectationPassRates'
import { listQuarantineTables, quarantineRows } from './quarantineTables'
import type { QualityContext } from './tableScan'

/**
 * QualityApi over the lakehouse `context()` returns at call time (so lakehouse.open switches it too). Reads only:
 * missing system tables give empty results. Errors: TABLE_NOT_FOUND and NOT_A_QUARANTINE_TABLE from quarantine(),
 * DeltaError codes when a table cannot be read; callers convert them with toEngineError.
 */
export function qualityReader(context: () => QualityContext): QualityApi {
  return {
    async overview() {
      const ctx = context()
      return { quarantineTables: await listQuarantineTables(ctx), expectations: await expectationPassRates(ctx) }
    },
    quarantine: (arg) => quarantineRows(context(), arg),
    reconciliation: (arg) => reconciliationLog(context(), arg?.limit),
    watermarks: () => watermarkRows(context())
  }
}
