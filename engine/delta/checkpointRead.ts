// Reading checkpoints (classic, multi-part, v2 JSON/parquet with sidecars) into actions, through DuckDB for parquet.
import path from 'node:path'
import type { Action } from './actions'
import { DeltaError } from './errors'
import type { CheckpointInstance } from './logSegment'
import type { LogStore } from './logStore'
import { sqlString, type ParquetPort } from './parquetPort'
import { parseLogLines } from './parseLogLines'
import { resolveTablePath } from './partitionValues'

/** A checkpoint that exists but cannot be used (empty, not parquet, no protocol/metaData...). Replay falls back. */
export class CheckpointUnreadableError extends Error {
  constructor(readonly files: string[], reason: string) {
    super(`checkpoint ${files.join(', ')} is unreadable: ${reason}`)
    this.name = 'CheckpointUnreadableError'
  }
}

const CHECKPOINT_KINDS = ['protocol', 'metaData', 'add', 'remove', 'txn', 'domainMetadata', 'checkpointMetadata', 'sidecar'] as const

/**
 * Turns one checkpoint row (as JSON: every action column, all but one null) into an action. The parsed stats struct
 * (writeStatsAsStruct) stands in for the JSON stats when those were not written; *_parsed columns are dropped.
 */
function rowToAction(row: Record<string, unknown>): Action | null {
  for (const kind of CHECKPOINT_KINDS) {
    const value = row[kind] as Record<string, unknown> | null | undefined
    if (value === null || value === undefined) continue
    if (kind === 'add' || kind === 'remove') {
      if ((value.stats === null || value.stats === undefined) && value.stats_parsed) value.stats = JSON.stringify(value.stats_parsed)
      delete value.stats_parsed
      delete value.partitionValues_parsed
    }
    return { [kind]: value } as unknown as Action
  }
  return null
}

/**
 * Reads parquet action files (checkpoint parts or sidecars) with DuckDB. union_by_name lets files of different
 * checkpoint schemas (e.g. without add.deletionVector) be read together; each row comes back as JSON so the action
 * shapes match the commit files exactly (maps as objects, longs as numbers).
 */
async function readParquetActions(port: ParquetPort, files: string[]): Promise<Action[]> {
  const list = files.map(sqlString).join(', ')
  const rows = await port.query(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet([${list}], union_by_name=true, hive_partitioning=false) AS t`)
  const actions: Action[] = []
  for (const row of rows) {
    const action = rowToAction(JSON.parse(row.j as string) as Record<string, unknown>)
    if (action) actions.push(action)
  }
  return actions
}

/** Local path of a sidecar file: relative names live in _delta_log/_sidecars, absolute ones are URIs. */
function sidecarPath(store: LogStore, sidecar: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(sidecar)) return resolveTablePath(store.tableRoot, sidecar)
  return path.join(store.logDir, '_sidecars', decodeURIComponent(sidecar))
}

/**
 * All actions of one checkpoint, sidecars included. The result always holds a protocol and a metaData.
 * @throws CheckpointUnreadableError when a file is empty, not parquet/JSON, lacks protocol or metaData, or a sidecar
 *   is missing; the caller then tries an older checkpoint or full replay.
 * @throws DeltaError UNSUPPORTED_FEATURE for a sidecar on remote storage.
 */
export async function readCheckpoint(store: LogStore, port: ParquetPort, checkpoint: CheckpointInstance): Promise<Action[]> {
  const names = checkpoint.files
  let actions: Action[]
  try {
    if (checkpoint.kind === 'v2' && names[0]!.endsWith('.json')) {
      actions = parseLogLines(await store.read(names[0]!), names[0]!, false)
    } else {
      actions = await readParquetActions(port, names.map((n) => store.pathOf(n)))
    }
    const sidecars = actions.filter((a): a is Extract<Action, { sidecar: unknown }> => 'sidecar' in a).map((a) => sidecarPath(store, a.sidecar.path))
    if (sidecars.length > 0) actions = actions.filter((a) => !('sidecar' in a)).concat(await readParquetActions(port, sidecars))
  } catch (e) {
    if (e instanceof DeltaError && e.code === 'UNSUPPORTED_FEATURE') throw e
    throw new CheckpointUnreadableError(names, (e as Error).message.split('\n')[0]!)
  }
  const hasProtocol = actions.some((a) => 'protocol' in a)
  const hasMetadata = actions.some((a) => 'metaData' in a)
  if (!hasProtocol || !hasMetadata) throw new CheckpointUnreadableError(names, `it holds no ${hasProtocol ? 'metaData' : 'protocol'} action`)
  return actions
}
