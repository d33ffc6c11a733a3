// SqlEngine: runs Spark SQL text over a lakehouse, statement by statement, returning Arrow IPC results.
import { ResultReturnType, type DuckDBResult } from '@duckdb/node-api'
import { DeltaError } from '../delta/errors'
import { DeltaTable } from '../delta/deltaTable'
import { LakehouseError, type Lakehouse } from '../lakehouse/folder'
import { arrowIpc, emptyArrowIpc, streamToArrow, type ArrowResult } from './arrow'
import { SqlCatalog, type ResolvedTable } from './catalog'
import type { QueryPlan } from '../api/sqlApi'
import {
  describeDetailSql, describeHistorySql, describeTableSql, showColumnsSql, showSchemasSql, showTablesSql, valuesSql
} from './dialect/metadataStatements'
import { runOptimize, runRestore, runVacuum } from './dialect/maintenanceCommands'
import { classifyStatement, type NamedTable } from './dialect/statements'
import { splitStatements, tokenize, TokenizeError, type StatementText } from './dialect/tokenizer'
import { runCreateSchema, runCreateTable, runDelete, runInsert, type WriteContext } from './dialect/writeStatements'
import { installSparkFunctions } from './dialect/functions/sparkFunctions'
import { DuckdbSession } from './duckdbSession'
import { explainRequest, explainSql, parseExplainOutput, planRowColumns, planRows, type ExplainRequest } from './explainPlan'
import { locateDuckdbError } from './duckdbErrors'
import { SqlError } from './sqlError'
import { TableBinder, type TableScan } from './tableBinding'

export interface StatementResult {
  /** The statement as written. */
  statement: string
  kind: 'rows' | 'ok'
  columns: { name: string; type: string }[]
  rowCount: number
  /** Arrow IPC stream; an empty table for 'ok'. */
  arrow: Uint8Array
  message?: string
  elapsedMs: number
  /** EXPLAIN / EXPLAIN ANALYZE: the plan as a tree. */
  plan?: QueryPlan
  /** Delta tables the statement read, with files scanned vs. total after pruning. */
  scans: TableScan[]
}

export interface SqlEngineOptions {
  /** Share a DuckDB session (the engine then does not close it). */
  session?: DuckdbSession
  /** Commit clock for writes (tests inject one). */
  clock?: { now(): number }
  /** Spark 4 ANSI semantics (default true); false selects legacy (spark.sql.ansi.enabled=false). See setSparkMode. */
  ansi?: boolean
}

function scanMessage(scans: readonly TableScan[]): string | undefined {
  if (scans.length === 0) return undefined
  return scans.map((s) => `${s.table}@v${s.version}: scanned ${s.filesScanned} of ${s.filesTotal} file(s)`).join('; ')
}

/**
 * The SQL engine of one lakehouse. Statements run one at a time (execute calls queue behind each other), each
 * seeing the latest committed version of every table unless it time-travels.
 */
export class SqlEngine {
  private readonly catalog: SqlCatalog
  private readonly binder: TableBinder
  private queue: Promise<unknown> = Promise.resolve()
  private cancelRequested = false
  private closed = false
  /** The SQL DuckDB is running for the current query statement, to place its errors in the user's text. */
  private running: { sql: string; sourceOffset(offset: number): number } | undefined

  private constructor(readonly lakehouse: Lakehouse, private readonly session: DuckdbSession, private readonly ownsSession: boolean, private readonly clock?: { now(): number }) {
    this.catalog = new SqlCatalog(lakehouse, session)
    this.binder = new TableBinder(session, this.catalog)
  }

  /** Opens an engine over a lakehouse, creating a DuckDB session unless one is given. */
  static async open(lakehouse: Lakehouse, options: SqlEngineOptions = {}): Promise<SqlEngine> {
    const session = options.session ?? (await DuckdbSession.create())
    await installSparkFunctions(session, { ansi: options.ansi })
    return new SqlEngine(lakehouse, session, options.session === undefined, options.clock)
  }

  /**
   * Runs every statement of `sql` in order and returns one result per statement.
   * @throws SqlError at the first failing statement, with statementIndex, line and column (and table/version/file
   *   where one applies); code CANCELLED when cancel() interrupted it.
   */
  execute(sql: string): Promise<StatementResult[]> {
    const run = async (): Promise<StatementResult[]> => {
      if (this.closed) throw new SqlError('CLOSED', 'The SQL engine is closed')
      this.cancelRequested = false
      let statements: StatementText[]
      try {
        statements = splitStatements(sql, tokenize(sql))
      } catch (e) {
        if (e instanceof TokenizeError) throw new SqlError('SYNTAX_ERROR', `Syntax error: ${e.message}`, { statementIndex: 0, line: e.line, column: e.column })
        throw e
      }
      const results: StatementResult[] = []
      for (let index = 0; index < statements.length; index++) {
        const st = statements[index]!
        if (this.cancelRequested) throw new SqlError('CANCELLED', `Cancelled before statement ${index + 1}`, { statementIndex: index, line: st.line })
        try {
          results.push(await this.runStatement(st))
        } catch (e) {
          throw this.toSqlError(e, index, st)
        } finally {
          await this.binder.endStatement()
        }
      }
      return results
    }
    return this.enqueue(run)
  }

  /**
   * Binds and translates one Spark SQL query without running it: lakehouse table references become DuckDB views over
   * their latest (or time-travelled) snapshots and Spark spellings become DuckDB's. Returns the DuckDB SQL, what each
   * reference scans, and `release`, which drops the statement-scoped views the SQL uses (call it once the SQL ran).
   * For callers (the pipeline runner) that execute the SQL on the same session themselves.
   * @throws SqlError SYNTAX_ERROR for text that does not tokenize; TABLE_NOT_FOUND / SCHEMA_NOT_FOUND / VERSION_NOT_FOUND naming the table.
   */
  prepareQuery(sql: string): Promise<{ sql: string; scans: TableScan[]; release(): Promise<void> }> {
    const run = async () => {
      if (this.closed) throw new SqlError('CLOSED', 'The SQL engine is closed')
      this.catalog.beginStatement()
      const tokens = tokenizeQuery(sql)
      try {
        const bound = await this.binder.bind(tokens)
        return { sql: bound.sql, scans: bound.scans, release: () => this.binder.endStatement() }
      } catch (e) {
        await this.binder.endStatement()
        throw e
      }
    }
    return this.enqueue(run)
  }

  /** Runs `work` after everything queued before it, so statements never interleave on the one DuckDB session. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Interrupts the running statement; the pending execute rejects with SqlError CANCELLED. */
  cancel(): void {
    this.cancelRequested = true
    this.session.interrupt()
  }

  /** Releases the DuckDB session if this engine created it. */
  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.ownsSession) this.session.close()
  }

  private get writeContext(): WriteContext {
    return { session: this.session, catalog: this.catalog, binder: this.binder, clock: this.clock }
  }

  private async runStatement(st: StatementText): Promise<StatementResult> {
    const started = performance.now()
    this.catalog.beginStatement()
    this.running = undefined
    const statement = classifyStatement(st.tokens)
    const finish = (partial: Omit<StatementResult, 'statement' | 'elapsedMs'>): StatementResult => ({
      statement: st.text, elapsedMs: performance.now() - started, ...partial
    })
    const ok = (message: string, scans: TableScan[] = []): StatementResult =>
      finish({ kind: 'ok', columns: [], rowCount: 0, arrow: emptyArrowIpc(), message, scans })
    const rows = async (sql: string, scans: TableScan[] = []): Promise<StatementResult> => {
      // Rows are converted while the connection is still ours, chunk by chunk (large results stay bounded).
      const out = await this.session.serialize(async () => {
        const result = await this.session.connection.run(sql)
        return { result, arrow: result.returnType === ResultReturnType.QUERY_RESULT ? await streamToArrow(result) : undefined }
      })
      return finish(this.readerResult(out.result, out.arrow, scans))
    }
    switch (statement.kind) {
      case 'query': {
        const explain = explainRequest(st.tokens)
        if (explain) return this.runExplain(explain, rows)
        const bound = await this.binder.bind(st.tokens)
        this.running = bound
        return rows(bound.sql, bound.scans)
      }
      case 'showSchemas':
        return rows(showSchemasSql(await this.lakehouse.listSchemas()))
      case 'showTables': {
        if (statement.schema !== undefined && !(await this.catalog.isLakehouseSchema(statement.schema))) throw await this.catalog.schemaNotFound(statement.schema)
        return rows(showTablesSql(await this.lakehouse.listTables(statement.schema)))
      }
      case 'showColumns': {
        const table = await this.catalog.require(statement.table.parts, statement.table)
        return rows(showColumnsSql(await this.catalog.snapshot(table, {}, statement.table)))
      }
      case 'use': {
        if (!(await this.catalog.isLakehouseSchema(statement.name))) return rows((await this.binder.bind(st.tokens)).sql)
        throw new SqlError('UNSUPPORTED', `USE ${statement.name} is not supported: name lakehouse tables with their schema, e.g. ${statement.name}.my_table (line ${statement.line}, column ${statement.column})`, {
          line: statement.line, column: statement.column
        })
      }
      case 'describeHistory': {
        const table = await this.catalog.require(statement.table.parts, statement.table)
        const history = await (await DeltaTable.open(table.root, this.session)).history(statement.limit)
        return rows(describeHistorySql(history))
      }
      case 'describeDetail': {
        const table = await this.catalog.require(statement.table.parts, statement.table)
        const snapshot = await this.catalog.snapshot(table)
        return rows(describeDetailSql(snapshot, table.displayName, snapshot.timestamp))
      }
      case 'describeTable': {
        const table = await this.targetTable(statement.table)
        if (!table) {
          // Not a lakehouse name: DuckDB's own DESCRIBE (temp tables, views, files).
          const bound = await this.binder.bind(st.tokens)
          return rows(bound.sql)
        }
        return rows(describeTableSql(await this.catalog.snapshot(table), table.displayName, statement.extended))
      }
      case 'createSchema': {
        const out = await runCreateSchema(this.writeContext, statement)
        return ok(out.message)
      }
      case 'createTable': {
        const out = await runCreateTable(this.writeContext, statement)
        return ok(out.message, out.scans)
      }
      case 'otherTableCommand': {
        const table = await this.targetTable(statement.table)
        if (!table) return rows((await this.binder.bind(st.tokens)).sql)
        throw new SqlError('UNSUPPORTED', `${statement.verb} on the Delta table ${table.displayName} is not supported yet; use INSERT INTO, INSERT OVERWRITE, INSERT ... REPLACE WHERE or DELETE FROM`, {
          line: statement.table.line, column: statement.table.column, table: table.displayName
        })
      }
      case 'restore':
      case 'optimize':
      case 'vacuum': {
        const table = await this.targetTable(statement.table)
        if (!table) {
          // DuckDB's own VACUUM of one of its tables; RESTORE and OPTIMIZE exist only for Delta tables.
          if (statement.kind === 'vacuum') return rows((await this.binder.bind(st.tokens)).sql)
          throw new SqlError('UNSUPPORTED', `${statement.kind.toUpperCase()} needs a lakehouse Delta table (schema.table); ${statement.table.parts.join('.')} is not one`, {
            line: statement.table.line, column: statement.table.column
          })
        }
        const sql = statement.kind === 'restore' ? await runRestore(this.writeContext, statement, table)
          : statement.kind === 'optimize' ? await runOptimize(this.writeContext, statement, table)
            : await runVacuum(this.writeContext, statement, table)
        this.catalog.beginStatement()
        return rows(sql)
      }
      case 'insert':
      case 'delete': {
        const table = await this.targetTable(statement.table)
        if (!table) {
          const bound = await this.binder.bind(st.tokens)
          return rows(bound.sql, bound.scans)
        }
        const out = statement.kind === 'insert' ? await runInsert(this.writeContext, statement, table) : await runDelete(this.writeContext, statement, table)
        this.catalog.beginStatement()
        return ok(out.message, out.scans)
      }
    }
  }

  /** EXPLAIN [ANALYZE] query: DuckDB's JSON plan of the bound query, as a tree (`plan`) and as flat rows. */
  private async runExplain(explain: ExplainRequest, rows: (sql: string, scans?: TableScan[]) => Promise<StatementResult>): Promise<StatementResult> {
    const bound = await this.binder.bind(explain.query)
    const sql = explainSql(bound.sql, explain.analyze)
    const prefix = sql.length - bound.sql.length
    this.running = { sql, sourceOffset: (offset) => bound.sourceOffset(Math.max(0, offset - prefix)) }
    const plan = parseExplainOutput(await this.session.query(sql), explain.analyze)
    this.running = undefined
    return { ...(await rows(valuesSql(planRowColumns, planRows(plan)), bound.scans)), plan }
  }

  /**
   * Binds one query (as prepareQuery does) and runs `work` with its DuckDB SQL inside the engine's queue, so no other
   * statement drops the views it reads before `work` finishes. For exports that wrap the query (COPY ... TO).
   * @throws SqlError as prepareQuery; whatever `work` throws, with DuckDB interrupts as CANCELLED.
   */
  withBoundQuery<T>(sql: string, work: (duckdbSql: string) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new SqlError('CLOSED', 'The SQL engine is closed')
      this.cancelRequested = false
      this.catalog.beginStatement()
      const tokens = tokenizeQuery(sql)
      try {
        const bound = await this.binder.bind(tokens)
        return await work(bound.sql)
      } catch (e) {
        const raw = e instanceof Error ? e.message : String(e)
        if (!(e instanceof SqlError) && (this.cancelRequested || /INTERRUPT|Interrupted/.test(raw))) throw new SqlError('CANCELLED', 'The export was cancelled', { cause: e })
        throw e
      } finally {
        await this.binder.endStatement()
      }
    }
    return this.enqueue(run)
  }

  /**
   * The Delta table a statement names, or null when it names a DuckDB object (one-part names, temp tables).
   * @throws SqlError SCHEMA_NOT_FOUND for a two-part name whose schema is neither the lakehouse's nor DuckDB's.
   */
  private async targetTable(table: NamedTable): Promise<ResolvedTable | null> {
    const resolved = await this.catalog.resolve(table.parts, table)
    if (resolved) return resolved
    if (table.parts.length === 2 && !['main', 'temp', 'memory', 'system', 'pg_catalog', 'information_schema'].includes(table.parts[0]!.toLowerCase())) {
      throw await this.catalog.schemaNotFound(table.parts[0]!, table)
    }
    return null
  }

  private readerResult(result: DuckDBResult, arrow: ArrowResult | undefined, scans: TableScan[]): Omit<StatementResult, 'statement' | 'elapsedMs'> {
    const message = scanMessage(scans)
    if (!arrow) {
      const changed = result.returnType === ResultReturnType.CHANGED_ROWS ? `${result.rowsChanged} row(s) changed` : 'OK'
      return { kind: 'ok', columns: [], rowCount: 0, arrow: emptyArrowIpc(), message: message ? `${changed}; ${message}` : changed, scans }
    }
    return { kind: 'rows', columns: arrow.columns, rowCount: arrow.rowCount, arrow: arrowIpc(arrow.table), scans, ...(message ? { message } : {}) }
  }

  /** Wraps any failure as a SqlError carrying the statement index and a line/column in the user's text. */
  private toSqlError(e: unknown, index: number, st: StatementText): SqlError {
    if (e instanceof SqlError) {
      e.statementIndex ??= index
      e.line ??= st.line
      return e
    }
    if (e instanceof DeltaError) {
      return new SqlError(e.code, e.message, { statementIndex: index, line: st.line, file: typeof e.detail.file === 'string' ? e.detail.file : undefined, cause: e })
    }
    if (e instanceof LakehouseError) return new SqlError(e.code, e.message, { statementIndex: index, line: st.line, file: e.file, cause: e })
    const raw = e instanceof Error ? e.message : String(e)
    if (this.cancelRequested || /INTERRUPT|Interrupted/.test(raw)) {
      return new SqlError('CANCELLED', `Statement ${index + 1} was cancelled`, { statementIndex: index, line: st.line, cause: e })
    }
    const located = locateDuckdbError(raw, {
      tokens: st.tokens, rendered: this.running, tableOfView: (v) => this.binder.tableOfView(v), tableOfFile: (f) => this.binder.tableOfFile(f)
    })
    const where = `statement ${index + 1}, line ${located.line}${located.column === undefined ? '' : `, column ${located.column}`}`
    return new SqlError('DUCKDB_ERROR', `${located.message} (${where})`, {
      statementIndex: index, line: located.line, column: located.column, table: located.table, file: located.file, cause: e
    })
  }
}

/**
 * The tokens of one query.
 * @throws SqlError SYNTAX_ERROR at the line and column where the text stops tokenizing.
 */
function tokenizeQuery(sql: string): ReturnType<typeof tokenize> {
  try {
    return tokenize(sql)
  } catch (e) {
    if (e instanceof TokenizeError) throw new SqlError('SYNTAX_ERROR', `Syntax error: ${e.message}`, { line: e.line, column: e.column })
    throw e
  }
}
