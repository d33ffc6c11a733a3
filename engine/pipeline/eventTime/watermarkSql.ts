// Turns WATERMARK clauses into plain SQL: the clause text is removed and a named event-time expression becomes a column.
import type { Query, WatermarkClause } from '../model'

/**
 * The query with every WATERMARK clause overwritten by spaces, so the SQL engine never sees it while every other span
 * (references, file sources) keeps its offsets. Returns `query` itself when it has no clause.
 */
export function withoutWatermarkClauses(query: Query): Query {
  const clauses = [...query.references, ...query.fileSources].map((s) => s.watermark).filter((w): w is WatermarkClause => w !== undefined)
  if (clauses.length === 0) return query
  let sql = query.sql
  for (const { span } of clauses) sql = sql.slice(0, span.start) + ' '.repeat(span.end - span.start) + sql.slice(span.end)
  return { ...query, sql }
}

/**
 * Relation text for a source whose WATERMARK names an expression (`WATERMARK to_timestamp(s) AS ts`): a subquery adding
 * that column, as Databricks does ("the expression adds a column of timestamp type"). The expression is evaluated over
 * the relation's own columns, so it must not use the relation's alias. Plain column watermarks leave `text` as is.
 */
export function withWatermarkColumn(text: string, watermark: WatermarkClause | undefined): string {
  if (watermark?.expression === undefined) return text
  return `(SELECT *, ${watermark.expression} AS \`${watermark.column.replace(/`/g, '``')}\` FROM ${text})`
}
