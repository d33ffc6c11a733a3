// Exports a query's whole result as parquet or CSV bytes: DuckDB COPY (query) TO a temp file, read back, deleted.
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ExportFormat } from '../api/sqlApi'
import { sqlString } from '../delta/parquetPort'
import { classifyStatement } from './dialect/statements'
import { splitStatements, tokenize, TokenizeError } from './dialect/tokenizer'
import type { DuckdbSession } from './duckdbSession'
import { explainRequest } from './explainPlan'
import type { SqlEngine } from './queryRunner'
import { SqlError } from './sqlError'

const copyOptions: Record<ExportFormat, string> = {
  parquet: '(FORMAT parquet, COMPRESSION zstd)',
  csv: '(FORMAT csv, HEADER true)'
}

/**
 * Runs `sql` (one Spark SQL query over the lakehouse, time travel included) and returns the result file's bytes.
 * The temp folder is removed whether the export succeeds or not. Runs in the engine's statement queue, so
 * SqlEngine.cancel() interrupts it.
 * @throws SqlError UNSUPPORTED when `sql` is not exactly one query (commands and EXPLAIN have no result to export);
 *   SYNTAX_ERROR for text that does not tokenize; CANCELLED when cancelled; DUCKDB_ERROR with DuckDB's message otherwise.
 */
export async function exportQueryResult(engine: SqlEngine, session: DuckdbSession, sql: string, format: ExportFormat): Promise<Uint8Array> {
  const statement = singleQuery(sql)
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakebench-export-'))
  const file = path.join(dir, `result.${format}`)
  try {
    await engine.withBoundQuery(statement, async (duckdbSql) => {
      try {
        await session.exec(`COPY (${duckdbSql}) TO ${sqlString(file)} ${copyOptions[format]}`)
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e)
        if (/INTERRUPT|Interrupted/.test(message)) throw e
        throw new SqlError('DUCKDB_ERROR', `Exporting the result as ${format} failed: ${message}`, { cause: e })
      }
    })
    return new Uint8Array(await fs.readFile(file))
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

/** The text of the one query in `sql`; see exportQueryResult for the errors. */
function singleQuery(sql: string): string {
  let statements
  try {
    statements = splitStatements(sql, tokenize(sql))
  } catch (e) {
    if (e instanceof TokenizeError) throw new SqlError('SYNTAX_ERROR', `Syntax error: ${e.message}`, { line: e.line, column: e.column })
    throw e
  }
  if (statements.length !== 1) throw new SqlError('UNSUPPORTED', `Export needs exactly one query; the text has ${statements.length} statements`)
  const only = statements[0]!
  const first = only.tokens.find((t) => t.kind !== 'space' && t.kind !== 'comment')
  const isQuery = classifyStatement(only.tokens).kind === 'query' && explainRequest(only.tokens) === null
    && !(first?.kind === 'word' && ['INSERT', 'DELETE', 'UPDATE', 'MERGE', 'CREATE', 'DROP', 'ALTER', 'COPY', 'EXPLAIN', 'SET', 'PRAGMA', 'ATTACH', 'INSTALL', 'LOAD', 'CALL'].includes(first.value))
  if (!isQuery) {
    throw new SqlError('UNSUPPORTED', `Only a query's result can be exported (SELECT, WITH, FROM, VALUES); "${only.text.slice(0, 40)}" is a command`, {
      line: only.line, column: only.column
    })
  }
  return only.text
}
