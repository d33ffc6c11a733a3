// The hidden Delta table beside a CDC target that remembers, per key, what the target alone cannot: sequences and deletes.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { DeltaTable } from '../../delta/deltaTable'
import { isDeltaError } from '../../delta/errors'
import type { ParquetPort } from '../../delta/parquetPort'
import type { StructField } from '../../delta/schema'
import type { Snapshot } from '../../delta/snapshot'
import { field } from '../../delta/typeMapping'
import { IS_DELETE, SEQ } from './changeBatch'

/**
 * Folder of the state table inside the target's folder. Delta readers only follow `_delta_log`, and VACUUM skips
 * folders starting with `_`, so the state travels with the target (and disappears when the target folder is removed
 * for a full refresh) without being part of it.
 *
 * SCD1 state: one row per key ever seen: the key, the materialised row, SEQ (the sequence that produced it) and
 * IS_DELETE. A deleted key keeps a tombstone row, so a late change with a lower sequence cannot resurrect it.
 * Tombstones are kept until the next full refresh (Databricks expires them after a retention period instead).
 * SCD2 state: every distinct (key, sequence) change ever applied, with IS_DELETE, from which a key's version chain
 * is recomputed when a change for it arrives, in or out of order.
 */
export const CDC_STATE_DIR = '_apply_changes_storage'

/** The target table's metaData.id the state belongs to: a recreated target starts with fresh state. */
const TARGET_ID_PROPERTY = 'lakebench.cdc.targetTableId'
const SCD_TYPE_PROPERTY = 'lakebench.cdc.scdType'

export function cdcStatePath(targetRoot: string): string {
  return path.join(targetRoot, CDC_STATE_DIR)
}

/**
 * Removes the CDC state of a target (use together with truncating or recreating the target on a full refresh).
 * Safe when there is none.
 */
export async function resetCdcState(targetRoot: string): Promise<void> {
  await fs.rm(cdcStatePath(targetRoot), { recursive: true, force: true })
}

/**
 * Opens the state table of `target`, creating it from `dataFields` when absent. State left behind by an earlier
 * table at the same path (different metaData.id) or written for the other SCD type is discarded.
 * @throws DeltaError from creating or reading the state table.
 */
export async function openCdcState(port: ParquetPort, clock: { now(): number }, target: Snapshot, scdType: 1 | 2, dataFields: readonly StructField[], sequenceType: StructField['type']): Promise<DeltaTable> {
  const root = cdcStatePath(target.tableRoot)
  if (await DeltaTable.exists(root)) {
    const existing = await DeltaTable.open(root, port, { clock })
    const config = (await existing.snapshot()).metadata.configuration
    if (config[TARGET_ID_PROPERTY] === target.metadata.id && config[SCD_TYPE_PROPERTY] === String(scdType)) return existing
    await resetCdcState(target.tableRoot)
  } else {
    // A crash during an earlier creation can leave a folder without a commit.
    await resetCdcState(target.tableRoot)
  }
  const schema = { type: 'struct' as const, fields: [...dataFields.map((f) => ({ ...f, nullable: true, metadata: {} })), field(SEQ, sequenceType, false), field(IS_DELETE, 'boolean', false)] }
  try {
    return await DeltaTable.create(root, port, { schema, properties: { [TARGET_ID_PROPERTY]: target.metadata.id, [SCD_TYPE_PROPERTY]: String(scdType) }, name: `${path.basename(target.tableRoot)} CDC state` }, { clock })
  } catch (e) {
    if (isDeltaError(e, 'TABLE_ALREADY_EXISTS')) return DeltaTable.open(root, port, { clock })
    throw e
  }
}
