// What parsing one pipeline statement yields, and helpers shared by the statement parsers.
import type { Token } from '../../sql/dialect/tokenizer'
import type { Dataset, DatasetReference, Flow, PipelineDiagnostic, Query, UnsupportedFeature } from '../model'
import { scanQuery } from './queryScanner'
import type { StatementCursor, WrittenName } from './statementCursor'

export interface StatementResult {
  datasets: Dataset[]
  flows: Flow[]
  unsupported: UnsupportedFeature[]
  diagnostics: PipelineDiagnostic[]
  /** `SET key = value`: a configuration value for later statements. */
  setting?: { key: string; value: string }
}

export function emptyResult(): StatementResult {
  return { datasets: [], flows: [], unsupported: [], diagnostics: [] }
}

/** Canonical dataset name: lower-cased parts without a leading LIVE. qualifier. */
export function canonicalName(name: WrittenName): string {
  const parts = name.parts.length > 1 && name.parts[0]!.toLowerCase() === 'live' ? name.parts.slice(1) : name.parts
  return parts.map((p) => p.toLowerCase()).join('.')
}

/**
 * The rest of the statement from the cursor as a Query, with what it reads; scan findings that are unsupported
 * go to `unsupported`. @throws ParseFailure when there is no query or a source call is malformed.
 */
export function readQuery(c: StatementCursor, what: string, unsupported: UnsupportedFeature[]): Query {
  if (c.atEnd()) c.fail(`expected the query of ${what}`)
  const first: Token = c.peek()!
  const last: Token = c.tokens[c.tokens.length - 1]!
  const scan = scanQuery(c.source, c.tokens, c.pos, c.tokens.length, first.start)
  unsupported.push(...scan.unsupported)
  c.pos = c.tokens.length
  const query: Query = {
    sql: c.source.text.slice(first.start, last.end),
    location: c.source.locate(first.start),
    references: scan.references,
    fileSources: scan.fileSources
  }
  if (scan.pathReads.length > 0) query.pathReads = scan.pathReads
  return query
}

/** A reference to a name as written in a DDL position (CDC source), its span relative to the statement text. */
export function referenceOf(c: StatementCursor, name: WrittenName, streaming: boolean, spanStart: number, spanEnd: number): DatasetReference {
  return {
    name: canonicalName(name),
    written: name.written,
    streaming,
    span: { start: spanStart, end: spanEnd },
    location: c.source.locate(spanStart)
  }
}
