// EXPLAIN / EXPLAIN ANALYZE: recognising the Spark forms, asking DuckDB for its JSON plan, and turning that into a QueryPlan.
import type { PlanOperator, QueryPlan } from '../api/sqlApi'
import { classifyStatement } from './dialect/statements'
import { isSignificant, type Token } from './dialect/tokenizer'
import type { ColumnSpec, Cell } from './dialect/metadataStatements'
import { SqlError } from './sqlError'

/** An EXPLAIN statement: whether the query should run (ANALYZE) and the tokens of the query it explains. */
export interface ExplainRequest {
  analyze: boolean
  query: Token[]
}

/** Spark's EXPLAIN modes; they all show the physical plan here (DuckDB has one plan, not Spark's four). */
const sparkModes = new Set(['EXTENDED', 'FORMATTED', 'COST', 'CODEGEN', 'LOGICAL', 'PHYSICAL'])

/**
 * Recognises `EXPLAIN [ANALYZE | EXTENDED | FORMATTED | COST | CODEGEN] query`. Returns null for anything else,
 * including DuckDB's own `EXPLAIN (option, ...) query`, which then runs as written.
 * @throws SqlError UNSUPPORTED (with line/column) when the explained statement is not a query, e.g. an INSERT into a
 *   Delta table: explaining it would need the write's plan, which the engine builds outside DuckDB.
 */
export function explainRequest(tokens: readonly Token[]): ExplainRequest | null {
  const significant = tokens.filter(isSignificant)
  const head = significant[0]
  if (!head || head.kind !== 'word' || head.value !== 'EXPLAIN') return null
  let next = 1
  let analyze = false
  const mode = significant[next]
  if (mode?.kind === 'word' && (mode.value === 'ANALYZE' || sparkModes.has(mode.value))) {
    analyze = mode.value === 'ANALYZE'
    next++
  }
  const queryStart = significant[next]
  if (!queryStart) return null
  if (queryStart.text === '(') {
    const inside = significant[next + 1]
    // DuckDB's option list: leave it to DuckDB.
    if (inside?.kind === 'word' && !['SELECT', 'WITH', 'FROM', 'VALUES'].includes(inside.value)) return null
  }
  const query = tokens.filter((t) => t.start >= queryStart.start)
  if (classifyStatement(query).kind !== 'query' || (queryStart.kind === 'word' && ['INSERT', 'DELETE', 'UPDATE', 'MERGE', 'CREATE', 'DROP', 'ALTER', 'COPY'].includes(queryStart.value))) {
    throw new SqlError('UNSUPPORTED', `EXPLAIN works on queries (SELECT, WITH, FROM, VALUES); ${queryStart.text.toUpperCase()} cannot be explained (line ${queryStart.line}, column ${queryStart.column})`, {
      line: queryStart.line, column: queryStart.column
    })
  }
  return { analyze, query }
}

/** The DuckDB statement asking for `duckdbQuery`'s plan as JSON (ANALYZE runs the query and times each operator). */
export function explainSql(duckdbQuery: string, analyze: boolean): string {
  return `${analyze ? 'EXPLAIN (ANALYZE, FORMAT json)' : 'EXPLAIN (FORMAT json)'} ${duckdbQuery}`
}

/**
 * Parses the rows DuckDB returns for explainSql (one row; `explain_value` holds the JSON) into a QueryPlan.
 * EXPLAIN gives an array of operators with `name` and `extra_info["Estimated Cardinality"]`; EXPLAIN ANALYZE gives a
 * profile object (`latency` in seconds) whose operators carry `operator_name`, `operator_cardinality` and
 * `operator_timing` (seconds). The profile's own EXPLAIN_ANALYZE wrapper operator is dropped: it is not part of the query.
 * @throws SqlError INTERNAL when the output is not the JSON plan DuckDB documents.
 */
export function parseExplainOutput(rows: readonly Record<string, unknown>[], analyze: boolean): QueryPlan {
  const value = rows[0]?.explain_value
  if (typeof value !== 'string') throw new SqlError('INTERNAL', `DuckDB returned no plan text for EXPLAIN (got ${rows.length} row(s) without explain_value)`)
  let json: unknown
  try {
    json = JSON.parse(value)
  } catch (e) {
    throw new SqlError('INTERNAL', `DuckDB's plan is not JSON: ${(e as Error).message} (starts with ${JSON.stringify(value.slice(0, 60))})`, { cause: e })
  }
  if (!analyze) {
    if (!Array.isArray(json)) throw new SqlError('INTERNAL', 'DuckDB\'s EXPLAIN JSON is not an array of operators')
    return { analyzed: false, operators: json.map(operatorOf) }
  }
  if (!isRecord(json) || !Array.isArray(json.children)) throw new SqlError('INTERNAL', 'DuckDB\'s EXPLAIN ANALYZE JSON has no operator children')
  const operators = json.children.flatMap((child: unknown) => {
    const op = operatorOf(child)
    return op.name === 'EXPLAIN_ANALYZE' ? op.children : [op]
  })
  const latency = typeof json.latency === 'number' ? json.latency * 1000 : undefined
  return latency === undefined ? { analyzed: true, operators } : { analyzed: true, totalMs: latency, operators }
}

function operatorOf(node: unknown): PlanOperator {
  if (!isRecord(node)) throw new SqlError('INTERNAL', `A plan operator is not an object: ${JSON.stringify(node)?.slice(0, 60)}`)
  const name = typeof node.operator_name === 'string' && node.operator_name !== '' ? node.operator_name
    : typeof node.name === 'string' ? node.name : typeof node.operator_type === 'string' ? node.operator_type : 'UNKNOWN'
  const extra = isRecord(node.extra_info) ? node.extra_info : {}
  const details: { key: string; value: string }[] = []
  let estimatedRows: number | undefined
  for (const [key, raw] of Object.entries(extra)) {
    const value = Array.isArray(raw) ? raw.map(String).join('\n') : String(raw)
    if (key === 'Estimated Cardinality' && /^\d+$/.test(value)) estimatedRows = Number(value)
    else details.push({ key, value })
  }
  const op: PlanOperator = { name: name.trim(), details, children: Array.isArray(node.children) ? node.children.map(operatorOf) : [] }
  if (estimatedRows !== undefined) op.estimatedRows = estimatedRows
  if (typeof node.operator_cardinality === 'number') op.actualRows = node.operator_cardinality
  if (typeof node.operator_timing === 'number') op.timeMs = node.operator_timing * 1000
  return op
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Columns of the flat listing of a plan that EXPLAIN returns as rows (the tree itself travels in `plan`). */
export const planRowColumns: ColumnSpec[] = [
  { name: 'operator', type: 'VARCHAR' },
  { name: 'depth', type: 'INTEGER' },
  { name: 'estimated_rows', type: 'BIGINT' },
  { name: 'actual_rows', type: 'BIGINT' },
  { name: 'time_ms', type: 'DOUBLE' },
  { name: 'details', type: 'VARCHAR' }
]

/** The plan's operators depth-first, one row each, for the grid, CSV and charts. */
export function planRows(plan: QueryPlan): Cell[][] {
  const rows: Cell[][] = []
  const visit = (op: PlanOperator, depth: number): void => {
    rows.push([
      `${'  '.repeat(depth)}${op.name}`,
      depth,
      op.estimatedRows ?? null,
      op.actualRows ?? null,
      op.timeMs === undefined ? null : Math.round(op.timeMs * 1000) / 1000,
      op.details.map((d) => `${d.key}: ${d.value.replace(/\n/g, ', ')}`).join('; ')
    ])
    for (const child of op.children) visit(child, depth + 1)
  }
  for (const op of plan.operators) visit(op, 0)
  return rows
}
