// fakeEngine: an in-memory EngineApi with a few versioned tables, for RPC, host and UI tests that need no DuckDB.
import { tableFromArrays, tableToIPC } from 'apache-arrow'
import type { EngineApi } from '../api/engineApi'
import { EngineError } from '../api/errors'
import type { EngineEvent, EngineEventListener } from '../api/events'
import type { LakehouseInfo } from '../api/lakehouseApi'
import type { QueryHistoryEntry } from '../api/queriesApi'
import type { StatementResult } from '../api/sqlApi'
import type { HistoryEntry, TableRef } from '../api/tablesApi'
import { fakePipelines } from './fakePipelines'
import { fakeQuality } from './fakeQuality'
import { fakeStream, type FakeStream } from './fakeStream'
import { fakeOperationOf, fakeTableBrowser } from './fakeTableBrowser'
import { fakeTableProfile } from './fakeTableProfile'

/** Rows of one table version, column-wise: every column the same length. */
export type FakeColumns = Record<string, number[] | string[] | bigint[]>

export interface FakeTable {
  schema: string
  name: string
  /** Version N of the table is `versions[N]`. */
  versions: FakeColumns[]
}

export interface FakeEngine extends EngineApi {
  /** Every call made, in order, as `domain.method` with its argument. */
  readonly calls: { method: string; arg: unknown }[]
  /** Pushes an event to every listener, as the real engine does on its own. */
  emit(event: EngineEvent): void
  listenerCount(): number
  /** The stream domain, with the fake's test controls (emitBatch, calls) as non-enumerable extras. */
  stream: FakeStream
}

/** Two schemas, three tables; silver.workouts has three versions (3, 5 and 4 rows) for time-travel tests. */
export function defaultFakeTables(): FakeTable[] {
  return [
    { schema: 'bronze', name: 'raw_workouts', versions: [{ id: [1, 2, 3, 4, 5, 6], payload: ['a', 'b', 'c', 'd', 'e', 'f'] }] },
    {
      schema: 'silver',
      name: 'workouts',
      versions: [
        { id: [1, 2, 3], minutes: [30, 45, 20], sport: ['run', 'bike', 'swim'] },
        { id: [1, 2, 3, 4, 5], minutes: [30, 45, 20, 60, 15], sport: ['run', 'bike', 'swim', 'run', 'row'] },
        { id: [1, 2, 3, 5], minutes: [30, 45, 20, 15], sport: ['run', 'bike', 'swim', 'row'] }
      ]
    },
    { schema: 'silver', name: 'users', versions: [{ user_id: [10n, 11n], name: ['Ada', 'Linus'] }] }
  ]
}

/**
 * Creates a fake engine over `tables`. Its SQL understands only: SHOW SCHEMAS; SHOW TABLES [IN s];
 * SELECT * | count(*) FROM s.t [VERSION AS OF n] [LIMIT n]; DESCRIBE HISTORY s.t; and `SELECT wait()`, which blocks
 * until sql.cancel() and then fails with CANCELLED. Anything else fails with SYNTAX_ERROR naming line 1, column 1.
 * The table-version browser methods work on the in-memory versions (see fakeTableBrowser); restore appends a version.
 * Saved queries live in memory (one to start with: `counts.sql`); every sql.execute call is added to the query history.
 * The pipeline domain has one pipeline, `demo` (see fakePipelines), whose runs emit progress events.
 */
export function createFakeEngine(tables: FakeTable[] = defaultFakeTables(), info: LakehouseInfo = { root: '/fake/lakehouse', name: 'fake', formatVersion: 1 }): FakeEngine {
  const calls: { method: string; arg: unknown }[] = []
  const listeners = new Set<EngineEventListener>()
  let current = info
  let cancelWaiting: (() => void) | undefined
  // Saved queries and history live in memory; names are checked like the real engine checks them.
  const savedQueries = new Map<string, { text: string; modified: number }>([['counts.sql', { text: 'SELECT count(*) FROM silver.workouts', modified: Date.UTC(2026, 0, 1) }]])
  const queryHistory: QueryHistoryEntry[] = []
  const checkQueryName = (name: string) => {
    if (!/^[A-Za-z0-9_][A-Za-z0-9 _.()-]*\.sql$/.test(name) || name.includes('..')) {
      throw new EngineError('INVALID_QUERY_NAME', `'${name}' is not a saved query name`, { file: name })
    }
  }

  const find = (qualified: string): FakeTable => {
    const table = tables.find((t) => `${t.schema}.${t.name}` === qualified.toLowerCase())
    if (!table) throw new EngineError('TABLE_NOT_FOUND', `Table ${qualified} does not exist`, { table: qualified })
    return table
  }
  const versionOf = (table: FakeTable, version: number | undefined): FakeColumns => {
    const v = version ?? table.versions.length - 1
    const columns = table.versions[v]
    if (!columns) throw new EngineError('VERSION_NOT_FOUND', `Table ${table.schema}.${table.name} has no version ${v}`, { table: `${table.schema}.${table.name}`, version: v })
    return columns
  }
  const record = (method: string, arg: unknown) => calls.push({ method, arg })
  const ref = (t: FakeTable): TableRef => ({ schema: t.schema, name: t.name, path: `${current.root}/tables/${t.schema}/${t.name}` })

  const runStatement = async (statement: string): Promise<StatementResult> => {
    // `--` line comments are ignored as Spark ignores them (the editor's starting script opens with one).
    const sql = statement.replace(/--[^\n]*/g, '').trim()
    let m: RegExpMatchArray | null
    if (/^show\s+schemas$/i.test(sql)) return rows(statement, { namespace: [...new Set(tables.map((t) => t.schema))].sort() })
    if ((m = sql.match(/^show\s+tables(?:\s+in\s+(\w+))?$/i))) {
      const list = tables.filter((t) => !m![1] || t.schema === m![1].toLowerCase())
      return rows(statement, { namespace: list.map((t) => t.schema), tableName: list.map((t) => t.name) })
    }
    if ((m = sql.match(/^select\s+(\*|count\(\*\))\s+from\s+(\w+\.\w+)(?:\s+version\s+as\s+of\s+(\d+))?(?:\s+limit\s+(\d+))?$/i))) {
      const columns = versionOf(find(m[2]!), m[3] === undefined ? undefined : Number(m[3]))
      const total = Object.values(columns)[0]?.length ?? 0
      if (m[1] !== '*') return rows(statement, { 'count(1)': [BigInt(total)] })
      const limit = m[4] === undefined ? total : Math.min(total, Number(m[4]))
      return rows(statement, Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.slice(0, limit)])) as FakeColumns)
    }
    if ((m = sql.match(/^describe\s+history\s+(\w+\.\w+)$/i))) {
      const table = find(m[1]!)
      const versions = table.versions.map((_, i) => table.versions.length - 1 - i)
      return rows(statement, { version: versions.map(BigInt), operation: versions.map((v) => (v === 0 ? 'CREATE TABLE' : 'WRITE')) })
    }
    if (/^select\s+wait\(\)$/i.test(sql)) {
      await new Promise<void>((resolve) => (cancelWaiting = resolve))
      throw new EngineError('CANCELLED', 'Query cancelled', { statement })
    }
    throw new EngineError('SYNTAX_ERROR', `Syntax error: the fake engine does not understand "${sql.slice(0, 40)}"`, { line: 1, column: 1, statementIndex: 0 })
  }

  return {
    calls,
    emit(event) {
      for (const listener of listeners) listener(event)
    },
    listenerCount: () => listeners.size,
    lakehouse: {
      async info() {
        record('lakehouse.info', undefined)
        return current
      },
      async open(arg) {
        record('lakehouse.open', arg)
        current = { root: arg.dir, name: arg.dir.split('/').pop() || 'lakehouse', formatVersion: 1 }
        for (const listener of listeners) listener({ type: 'lakehouse.opened', info: current })
        return current
      },
      async create(arg) {
        record('lakehouse.create', arg)
        current = { root: arg.dir, name: arg.name ?? (arg.dir.split('/').pop() || 'lakehouse'), formatVersion: 1 }
        for (const listener of listeners) listener({ type: 'lakehouse.opened', info: current })
        return current
      },
      async recent() {
        record('lakehouse.recent', undefined)
        return [{ root: current.root, name: current.name, lastOpened: 0, available: true }]
      }
    },
    tables: {
      async listSchemas() {
        record('tables.listSchemas', undefined)
        return [...new Set(tables.map((t) => t.schema))].sort()
      },
      async listTables(arg) {
        record('tables.listTables', arg)
        return tables.filter((t) => !arg?.schema || t.schema === arg.schema).map(ref)
      },
      async history(arg) {
        record('tables.history', arg)
        const table = find(arg.table)
        const entries: HistoryEntry[] = table.versions.map((columns, version) => ({
          version,
          timestamp: Date.UTC(2026, 0, 1 + version),
          operation: fakeOperationOf(table, version),
          operationParameters: { mode: version === 0 ? 'ErrorIfExists' : 'Overwrite' },
          operationMetrics: { numOutputRows: String(Object.values(columns)[0]?.length ?? 0) }
        }))
        return entries.reverse().slice(0, arg.limit ?? entries.length)
      },
      ...fakeTableBrowser(find, (table, version) => versionOf(table, version), record),
      ...fakeTableProfile(find, versionOf, record, () => tables)
    },
    sql: {
      async execute(arg) {
        record('sql.execute', arg)
        const statements = arg.sql.split(';').filter((s) => s.trim() !== '')
        const results: StatementResult[] = []
        const time = Date.now()
        try {
          for (const statement of statements) results.push(await runStatement(statement))
        } catch (error) {
          const e = error as EngineError
          queryHistory.push({ statement: arg.sql, time, durationMs: 0, rows: 0, status: e.code === 'CANCELLED' ? 'cancelled' : 'error', error: e.message })
          throw error
        }
        queryHistory.push({ statement: arg.sql, time, durationMs: 0, rows: results.reduce((n, r) => n + r.rowCount, 0), status: 'ok' })
        return results
      },
      async cancel() {
        record('sql.cancel', undefined)
        cancelWaiting?.()
        cancelWaiting = undefined
      },
      // The fake has no parquet or CSV writer: it returns the single statement's Arrow IPC bytes for either format.
      async exportResult(arg) {
        record('sql.exportResult', arg)
        return (await runStatement(arg.sql.replace(/;\s*$/, ''))).arrow
      }
    },
    pipeline: fakePipelines((event) => {
      for (const listener of listeners) listener(event)
    }, record),
    queries: {
      async list() {
        record('queries.list', undefined)
        return [...savedQueries].sort(([a], [b]) => a.localeCompare(b)).map(([name, q]) => ({ name, sizeBytes: new TextEncoder().encode(q.text).length, modified: q.modified }))
      },
      async read(arg) {
        record('queries.read', arg)
        checkQueryName(arg.name)
        const saved = savedQueries.get(arg.name)
        if (!saved) throw new EngineError('QUERY_NOT_FOUND', `There is no saved query ${arg.name}`, { file: arg.name })
        return { name: arg.name, text: saved.text }
      },
      async save(arg) {
        record('queries.save', arg)
        checkQueryName(arg.name)
        const modified = Date.now()
        savedQueries.set(arg.name, { text: arg.text, modified })
        return { name: arg.name, sizeBytes: new TextEncoder().encode(arg.text).length, modified }
      },
      async history(arg) {
        record('queries.history', arg)
        const needle = arg?.search?.toLowerCase() ?? ''
        return [...queryHistory].reverse().filter((e) => e.statement.toLowerCase().includes(needle)).slice(0, arg?.limit ?? 200)
      }
    },
    quality: fakeQuality(record),
    stream: streamDomain(fakeStream((event) => {
      for (const listener of listeners) listener(event)
    }, { record })),
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

/**
 * The fake stream domain with only StreamApi's methods enumerable, so code that lists an engine's methods (the
 * allow-list test, RPC proxies) sees exactly the API; emitBatch and calls stay reachable for tests.
 */
function streamDomain(fake: FakeStream): FakeStream {
  for (const key of Object.keys(fake)) {
    if (key === 'calls' || key === 'emitBatch') Object.defineProperty(fake, key, { enumerable: false })
  }
  return fake
}

function rows(statement: string, columns: FakeColumns): StatementResult {
  const arrays = Object.fromEntries(
    Object.entries(columns).map(([name, values]) => [name, typeof values[0] === 'bigint' ? BigInt64Array.from(values as bigint[]) : values])
  )
  const table = tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0])
  return {
    statement: statement.trim(),
    kind: 'rows',
    columns: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type).toLowerCase() })),
    rowCount: table.numRows,
    arrow: tableToIPC(table, 'stream'),
    elapsedMs: 0
  }
}
