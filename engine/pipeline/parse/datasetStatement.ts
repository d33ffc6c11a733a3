// Parses CREATE ... STREAMING TABLE | MATERIALIZED VIEW | LIVE TABLE | [TEMPORARY] VIEW statements into Datasets.
import type { Dataset, DatasetKind } from '../model'
import { ParseFailure, type StatementCursor } from './statementCursor'
import { canonicalName, emptyResult, readQuery, type StatementResult } from './statementResult'
import { parseTableClauses, parseTableSpecification } from './tableSpec'

/** Keywords seen between CREATE [OR REFRESH|OR REPLACE] and TABLE/VIEW, in any order. */
export interface CreateModifiers {
  temporary: boolean
  isPrivate: boolean
  streaming: boolean
  live: boolean
  incremental: boolean
  materialized: boolean
  /** Offset of CREATE, for locations. */
  start: number
}

/**
 * Parses the part after the object keyword (TABLE or VIEW, already consumed; `objectWord` says which) through the
 * query. LIVE TABLE -> materialized_view, STREAMING/INCREMENTAL [LIVE] TABLE -> streaming_table, any VIEW other than
 * MATERIALIZED VIEW -> temporary_view (streaming when STREAMING). A streaming table with a query also yields its
 * own append flow, named after the table.
 * @throws ParseFailure for a plain CREATE TABLE, a missing query on a non-streaming dataset, or a malformed clause.
 */
export function parseDatasetStatement(c: StatementCursor, objectWord: 'TABLE' | 'VIEW', mods: CreateModifiers, objectOffset: number): StatementResult {
  const result = emptyResult()
  const kind = datasetKind(objectWord, mods, objectOffset)
  c.acceptWords('IF', 'NOT', 'EXISTS')
  const name = c.expectName('a dataset name')
  const canonical = canonicalName(name)
  const dataset: Dataset = {
    name: canonical,
    displayName: name.written,
    kind,
    streaming: kind === 'streaming_table' || (kind === 'temporary_view' && mods.streaming),
    columns: [],
    expectations: [],
    keyConstraints: [],
    partitionColumns: [],
    clusterBy: [],
    properties: {},
    location: c.source.locate(name.start)
  }
  if (mods.temporary || mods.isPrivate || kind === 'temporary_view') dataset.temporary = true
  if (c.atSymbol('(')) {
    const spec = parseTableSpecification(c)
    dataset.columns = spec.columns
    dataset.expectations = spec.expectations
    dataset.keyConstraints = spec.keyConstraints
    result.unsupported.push(...spec.unsupported)
  }
  const clauses = parseTableClauses(c)
  dataset.partitionColumns = clauses.partitionColumns
  dataset.clusterBy = clauses.clusterBy
  dataset.properties = clauses.properties
  if (clauses.comment !== undefined) dataset.comment = clauses.comment
  result.unsupported.push(...clauses.unsupported)
  result.diagnostics.push(...clauses.diagnostics)
  if (c.acceptWords('AS')) {
    dataset.query = readQuery(c, name.written, result.unsupported)
    if (kind === 'streaming_table') {
      result.flows.push({ name: canonical, target: canonical, kind: 'append', query: dataset.query, once: false, location: dataset.location })
    }
  } else if (kind !== 'streaming_table') {
    c.fail(`expected AS followed by the query of ${name.written} (only a streaming table may be declared without a query)`)
  }
  result.datasets.push(dataset)
  return result
}

function datasetKind(objectWord: 'TABLE' | 'VIEW', mods: CreateModifiers, offset: number): DatasetKind {
  if (objectWord === 'VIEW') return mods.materialized ? 'materialized_view' : 'temporary_view'
  if (mods.materialized) throw new ParseFailure('expected VIEW after MATERIALIZED', offset)
  if (mods.streaming || mods.incremental) return 'streaming_table'
  if (mods.live) return 'materialized_view'
  throw new ParseFailure(
    'expected STREAMING TABLE, LIVE TABLE, MATERIALIZED VIEW or TEMPORARY VIEW: a plain CREATE TABLE does not define a pipeline dataset',
    offset
  )
}
