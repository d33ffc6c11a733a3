// Rewrites a pipeline query's dataset references and file sources (by their spans) into relations the SQL engine can bind.
import type { DatasetReference, FileSource, Query } from '../model'

/** What a span becomes: relation text, and the name to alias it as when the query gives it no alias of its own. */
export interface SpanReplacement {
  text: string
  alias?: string
}

/** Words that may follow a relation in FROM without being its alias. */
const NOT_AN_ALIAS = new Set([
  'where', 'join', 'inner', 'left', 'right', 'full', 'cross', 'outer', 'on', 'using', 'group', 'order', 'limit', 'union', 'except',
  'intersect', 'minus', 'having', 'window', 'qualify', 'lateral', 'natural', 'semi', 'anti', 'tablesample', 'pivot', 'unpivot',
  'cluster', 'distribute', 'sort', 'offset', 'fetch', 'with', 'select', 'from', 'version', 'timestamp', 'watermark', 'as'
])

/** True when the text after a relation starts with an alias (`AS x` or a bare non-keyword word). */
export function hasAlias(after: string): boolean {
  const m = /^\s*(?:(as)\s+)?([A-Za-z_][A-Za-z0-9_]*|`[^`]+`)/i.exec(after)
  if (!m) return false
  if (m[1]) return true
  return !NOT_AN_ALIAS.has(m[2]!.toLowerCase())
}

interface Edit {
  start: number
  end: number
  replacement: SpanReplacement
}

/**
 * Replaces every reference and file source of `query` (their spans index query.sql) with what `replace` returns.
 * A `STREAM` / `STREAM(` ... `)` wrapping left outside a span is removed with it, and an alias is added only when the
 * query did not write one. Nested spans (a reference inside a file source's arguments) are left to the outer one.
 */
export function spliceQuery(
  query: Query,
  replaceReference: (ref: DatasetReference) => SpanReplacement,
  replaceFileSource: (source: FileSource) => SpanReplacement
): string {
  const sql = query.sql
  const edits: Edit[] = [
    ...query.references.map((ref) => ({ start: ref.span.start, end: ref.span.end, replacement: replaceReference(ref) })),
    ...query.fileSources.map((source) => ({ start: source.span.start, end: source.span.end, replacement: replaceFileSource(source) }))
  ].sort((a, b) => a.start - b.start || b.end - a.end)
  let out = ''
  let cursor = 0
  for (const edit of edits) {
    if (edit.start < cursor) continue
    let start = edit.start
    let end = edit.end
    const before = sql.slice(cursor, start)
    const bare = /\bSTREAM\s+$/i.exec(before)
    const wrapped = /\bSTREAM\s*\(\s*$/i.exec(before)
    if (wrapped && /^\s*\)/.test(sql.slice(end))) {
      start -= wrapped[0].length
      end += /^\s*\)/.exec(sql.slice(end))![0].length
    } else if (bare) start -= bare[0].length
    out += sql.slice(cursor, start)
    const { text, alias } = edit.replacement
    out += alias !== undefined && !hasAlias(sql.slice(end)) ? `${text} AS ${alias}` : text
    cursor = end
  }
  return out + sql.slice(cursor)
}

/** A name usable as a SQL alias: the last part of a dataset name. */
export function aliasOf(name: string): string {
  const last = name.split('.').at(-1)!.replace(/`/g, '')
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(last) ? last : `\`${last}\``
}
