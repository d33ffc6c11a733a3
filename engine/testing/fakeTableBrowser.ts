// The fake engine's table-version browser methods: versionInfo, preview, diff, restore, optimize, vacuum and detail over in-memory versions.
import { Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow'
import { EngineError } from '../api/errors'
import type { ColumnDescription, SchemaChange, TablesApi } from '../api/tablesApi'
import type { FakeColumns, FakeTable } from './fakeEngine'

type BrowserMethods = Pick<TablesApi, 'versionInfo' | 'preview' | 'diff' | 'restorePreview' | 'restore' | 'optimize' | 'vacuum' | 'detail'>

/** Operations recorded for versions the browser methods created (RESTORE, OPTIMIZE); other versions are CREATE TABLE / WRITE. */
const operations = new WeakMap<FakeTable, Map<number, string>>()

/** The operation history shows for `version` of `table`. */
export function fakeOperationOf(table: FakeTable, version: number): string {
  return operations.get(table)?.get(version) ?? (version === 0 ? 'CREATE TABLE' : 'WRITE')
}

function recordVersion(table: FakeTable, columns: FakeColumns, operation: string): number {
  table.versions.push(columns)
  const version = table.versions.length - 1
  const ops = operations.get(table) ?? new Map<number, string>()
  ops.set(version, operation)
  operations.set(table, ops)
  return version
}

const rowCount = (columns: FakeColumns): number => Object.values(columns)[0]?.length ?? 0
const typeOf = (values: FakeColumns[string]): string => (typeof values[0] === 'bigint' ? 'bigint' : typeof values[0] === 'number' ? 'int' : 'string')
const schemaOf = (columns: FakeColumns): ColumnDescription[] => Object.entries(columns).map(([name, values]) => ({ name, type: typeOf(values), nullable: true }))
const rowAt = (columns: FakeColumns, i: number): Record<string, unknown> => Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v[i]]))
const fakeSize = (columns: FakeColumns): number => 1024 + rowCount(columns) * 64

function ipcOf(rows: Record<string, unknown>[], columns: string[] = Object.keys(rows[0] ?? {})): Uint8Array {
  // Every column is kept in the given order, even when all its values are null (typed as string then).
  const vectors: Record<string, Vector> = {}
  for (const c of columns) {
    const values = rows.map((r) => (typeof r[c] === 'bigint' ? Number(r[c]) : (r[c] ?? null)))
    vectors[c] = values.every((v) => v === null) ? vectorFromArray(values, new Utf8()) : vectorFromArray(values as (string | number | null)[])
  }
  return tableToIPC(new Table(vectors), 'stream')
}

function changesBetween(before: ColumnDescription[], after: ColumnDescription[]): SchemaChange[] {
  const out: SchemaChange[] = []
  for (const c of after) {
    const prev = before.find((p) => p.name === c.name)
    if (!prev) out.push({ column: c.name, change: 'added', to: c.type })
    else if (prev.type !== c.type) out.push({ column: c.name, change: 'typeChanged', from: prev.type, to: c.type })
  }
  for (const c of before) if (!after.some((a) => a.name === c.name)) out.push({ column: c.name, change: 'removed', from: c.type })
  return out
}

/**
 * In-memory versions of the browser methods: each version is one fake file of `1024 + 64 × rows` bytes; restore and a
 * non-trivial optimize append a version; vacuum refuses under 168 hours and lists one file per superseded version.
 */
export function fakeTableBrowser(find: (qualified: string) => FakeTable, versionOf: (table: FakeTable, version: number) => FakeColumns, record: (method: string, arg: unknown) => void): BrowserMethods {
  return {
    async versionInfo(arg) {
      record('tables.versionInfo', arg)
      const table = find(arg.table)
      const columns = versionOf(table, arg.version)
      const schema = schemaOf(columns)
      const rows = rowCount(columns)
      const previous = arg.version > 0 ? rowCount(versionOf(table, arg.version - 1)) : 0
      const operation = fakeOperationOf(table, arg.version)
      const file = { path: `part-${String(arg.version).padStart(5, '0')}.snappy.parquet`, sizeBytes: fakeSize(columns), rows, partitionValues: {}, minValues: {}, maxValues: {}, nullCount: {}, deletionVectorRows: null }
      return {
        table: arg.table, version: arg.version, timestamp: Date.UTC(2026, 0, 1 + arg.version), operation, schema,
        schemaChanges: arg.version > 0 ? changesBetween(schemaOf(versionOf(table, arg.version - 1)), schema) : [],
        partitionColumns: [], numFiles: 1, sizeBytes: file.sizeBytes, numRecords: rows, files: [file], filesTruncated: false,
        actions: [{ kind: 'commitInfo', json: JSON.stringify({ commitInfo: { operation } }) }, { kind: 'add', json: JSON.stringify({ add: { path: file.path, size: file.sizeBytes } }) }],
        rowsAdded: Math.max(0, rows - previous), rowsRemoved: Math.max(0, previous - rows)
      }
    },
    async preview(arg) {
      record('tables.preview', arg)
      const columns = versionOf(find(arg.table), arg.version)
      const n = Math.min(rowCount(columns), arg.limit ?? 100)
      return { rows: ipcOf(Array.from({ length: n }, (_, i) => rowAt(columns, i))), rowCount: n }
    },
    async diff(arg) {
      record('tables.diff', arg)
      const table = find(arg.table)
      const [from, to] = [versionOf(table, arg.from), versionOf(table, arg.to)]
      const common = Object.keys(to).filter((c) => c in from)
      const unique = (c: string) => [from, to].every((v) => new Set(v[c]!.map(String)).size === rowCount(v))
      const candidates = common.filter((c) => c === 'id' || c === `${table.name}_id` || c.endsWith('_id'))
      const key = arg.key ?? candidates.filter(unique).slice(0, 1)
      if (key.length === 0) throw new EngineError('DIFF_KEY_NOT_FOUND', `No key could be inferred to diff ${arg.table}; choose key columns`, { table: arg.table })
      for (const k of key) if (!common.includes(k)) throw new EngineError('COLUMN_NOT_FOUND', `Key column ${k} is not in both versions of ${arg.table}`, { table: arg.table, column: k })
      const keyOf = (v: FakeColumns, i: number) => key.map((k) => String(v[k]![i])).join('\u0000')
      const fromRows = new Map(Array.from({ length: rowCount(from) }, (_, i) => [keyOf(from, i), rowAt(from, i)]))
      const toRows = new Map(Array.from({ length: rowCount(to) }, (_, i) => [keyOf(to, i), rowAt(to, i)]))
      const others = [...new Set([...Object.keys(to), ...Object.keys(from)])].filter((c) => !key.includes(c))
      const out: Record<string, unknown>[] = []
      const changedColumns: Record<string, number> = Object.fromEntries(common.filter((c) => !key.includes(c)).map((c) => [c, 0]))
      let unchanged = 0
      const counts = { added: 0, removed: 0, changed: 0 }
      const emit = (change: string, t: Record<string, unknown> | undefined, f: Record<string, unknown> | undefined) => {
        const row: Record<string, unknown> = { _change: change }
        for (const k of key) row[k] = (t ?? f)![k]
        for (const c of others) Object.assign(row, { [c]: t?.[c] ?? null, [`${c}__from`]: f?.[c] ?? null })
        out.push(row)
      }
      for (const [k, t] of toRows) {
        const f = fromRows.get(k)
        if (!f) { counts.added++; emit('added', t, undefined); continue }
        const differing = Object.keys(changedColumns).filter((c) => String(f[c]) !== String(t[c]))
        if (differing.length === 0) { unchanged++; continue }
        counts.changed++
        for (const c of differing) changedColumns[c]!++
        emit('changed', t, f)
      }
      for (const [k, f] of fromRows) if (!toRows.has(k)) { counts.removed++; emit('removed', undefined, f) }
      const order = { added: 0, removed: 1, changed: 2 } as Record<string, number>
      out.sort((a, b) => order[a._change as string]! - order[b._change as string]!)
      return {
        table: arg.table, from: arg.from, to: arg.to, key, keyInferred: arg.key === undefined, ...counts, unchanged,
        schemaChanges: changesBetween(schemaOf(from), schemaOf(to)), rows: ipcOf(out.slice(0, arg.limit ?? 500), ['_change', ...key, ...others.flatMap((c) => [c, `${c}__from`])]), changedColumns
      }
    },
    async restorePreview(arg) {
      record('tables.restorePreview', arg)
      const table = find(arg.table)
      const target = versionOf(table, arg.version)
      const current = table.versions.length - 1
      const same = arg.version === current
      return { table: arg.table, toVersion: arg.version, currentVersion: current, filesToRemove: same ? 0 : 1, filesToAdd: same ? 0 : 1, rowsAfter: rowCount(target), rowsNow: rowCount(table.versions[current]!) }
    },
    async restore(arg) {
      record('tables.restore', arg)
      const table = find(arg.table)
      return { version: recordVersion(table, { ...versionOf(table, arg.version) }, 'RESTORE') }
    },
    async optimize(arg) {
      record('tables.optimize', arg)
      const table = find(arg.table)
      const latest = table.versions[table.versions.length - 1]!
      // One fake file per version: there is never anything to compact unless Z-ordering was asked for.
      if (!arg.zorderBy?.length) return { table: arg.table, version: null, filesRemoved: 0, filesAdded: 0, bytesBefore: 0, bytesAfter: 0 }
      const version = recordVersion(table, { ...latest }, 'OPTIMIZE')
      return { table: arg.table, version, filesRemoved: 1, filesAdded: 1, bytesBefore: fakeSize(latest), bytesAfter: fakeSize(latest) }
    },
    async vacuum(arg) {
      record('tables.vacuum', arg)
      const table = find(arg.table)
      const retentionHours = arg.retentionHours ?? 168
      if (retentionHours < 168) {
        throw new EngineError('VACUUM_RETENTION_TOO_SHORT', `VACUUM of ${arg.table} with a retention of ${retentionHours} hours is refused: it is shorter than 168 hours. To vacuum anyway, pass { enforceRetention: false }`, { table: arg.table, retentionHours })
      }
      const files = table.versions.slice(0, -1).map((_, v) => `/fake/lakehouse/tables/${table.schema}/${table.name}/part-${String(v).padStart(5, '0')}.snappy.parquet`)
      return { table: arg.table, dryRun: arg.dryRun, retentionHours, files, bytes: table.versions.slice(0, -1).reduce((n, c) => n + fakeSize(c), 0) }
    },
    async detail(arg) {
      record('tables.detail', arg)
      const table = find(arg.table)
      const latest = table.versions[table.versions.length - 1]!
      return {
        format: 'delta', name: arg.table, location: `/fake/lakehouse/tables/${table.schema}/${table.name}`, partitionColumns: [], numFiles: 1,
        sizeInBytes: fakeSize(latest), minReaderVersion: 1, minWriterVersion: 7, version: table.versions.length - 1
      }
    }
  }
}
