// Validate-time checks of WATERMARK clauses and windowed streaming tables, each reported at its file:line:column.
import { identifierOf, isSignificant, tokenize, type Token } from '../../sql/dialect/tokenizer'
import { EventTimeError, parseIntervalMs } from '../../stream/eventTime'
import { resolveDataset } from '../graph'
import type { Dataset, PipelineDefinition, PipelineDiagnostic, Query, SourceLocation } from '../model'
import { parseDdlColumns } from '../run/sparkDdl'
import { eventTimeShapeOf } from './windowQuery'

/**
 * Diagnostics (all errors) for event time in `def`:
 * - INVALID_WATERMARK at the interval: a delay that does not parse, is not positive, or is a month or more;
 * - UNKNOWN_COLUMN at the WATERMARK clause: the column is not among the source's columns, when those are known without
 *   reading data (a read_files `schema`, a dataset's declared columns, or an upstream dataset's explicit SELECT list);
 *   otherwise the first batch checks it (WATERMARK_COLUMN);
 * - WATERMARK_MISMATCH: window()/session_window() over another column than the watermarked one (Spark's append mode needs
 *   the window on the watermark column to know when a window is final);
 * - INVALID_WINDOW at the query: a window size/slide/gap that does not parse, or a slide larger than the size;
 * - UNSUPPORTED at the clause: a watermarked streaming table of a form the runner does not execute (a stream-stream join,
 *   an aggregation without window, HAVING/ORDER BY/LIMIT, nested aggregates...).
 * Never throws.
 */
export function validateEventTime(def: PipelineDefinition): PipelineDiagnostic[] {
  const out: PipelineDiagnostic[] = []
  const error = (code: string, message: string, location: SourceLocation): void => { out.push({ severity: 'error', code, message, location }) }
  const streamingQueries = new Set<Query>()
  for (const d of def.datasets) if (d.kind === 'streaming_table' && d.query) streamingQueries.add(d.query)
  for (const f of def.flows) if (f.query && def.datasets.find((d) => d.name === f.target)?.kind === 'streaming_table') streamingQueries.add(f.query)
  const queries = new Set([...def.datasets.map((d) => d.query), ...def.flows.map((f) => f.query)].filter((q): q is Query => q !== undefined))
  for (const query of queries) {
    for (const source of [...query.references, ...query.fileSources]) {
      const w = source.watermark
      if (!w) continue
      if (w.problem) error('INVALID_WATERMARK', `WATERMARK ${w.column} DELAY OF ${w.delayText || '?'}: ${w.problem}`, w.delayLocation)
      if (w.expression !== undefined) continue
      const columns = 'path' in source ? fileSourceColumns(source.options) : datasetColumns(def, source.name)
      if (columns && !columns.some((c) => c.toLowerCase() === w.column.toLowerCase())) {
        error('UNKNOWN_COLUMN', `WATERMARK column '${w.column}' does not exist in ${'path' in source ? source.path : source.written} (columns: ${columns.join(', ')})`, w.location)
      }
    }
    if (!streamingQueries.has(query)) continue
    const shape = eventTimeShapeOf(query)
    if (shape.kind === 'unsupported') error('UNSUPPORTED', shape.message, shape.location)
    if (shape.kind !== 'window') continue
    const { plan } = shape
    if (plan.timeColumn.toLowerCase() !== plan.watermark.column.toLowerCase()) {
      error('WATERMARK_MISMATCH', `${plan.kind === 'session' ? 'session_window' : 'window'}(${plan.timeColumn}, ...) must use the watermarked column '${plan.watermark.column}': append mode emits a window once the watermark passes its end`, plan.watermark.location)
    }
    windowProblem(plan.size, plan.slide, (message) => error('INVALID_WINDOW', message, plan.location))
  }
  return out
}

function windowProblem(size: string, slide: string | undefined, report: (message: string) => void): void {
  try {
    const sizeMs = parseIntervalMs(size, { positive: true })
    if (slide !== undefined && parseIntervalMs(slide, { positive: true }) > sizeMs) report(`window slide '${slide}' is longer than its size '${size}'`)
  } catch (e) {
    if (e instanceof EventTimeError) report(e.message.replace(/^INVALID_INTERVAL: /, ''))
    else throw e
  }
}

/** Columns a read_files `schema` option declares, or null when the source infers them. */
function fileSourceColumns(options: Record<string, string>): string[] | null {
  const schema = Object.entries(options).find(([k]) => k.toLowerCase() === 'schema')?.[1]
  if (!schema) return null
  try {
    return parseDdlColumns(schema, 'schema').map((c) => c.name)
  } catch {
    return null
  }
}

/** A pipeline dataset's columns when known statically: declared with types, or its query's explicit SELECT list. */
function datasetColumns(def: PipelineDefinition, name: string): string[] | null {
  const found = resolveDataset({ datasets: def.datasets, ...(def.target ? { target: def.target } : {}) }, name)
  if (!('dataset' in found)) return null
  const dataset: Dataset = found.dataset
  const typed = dataset.columns.filter((c) => c.type !== undefined)
  if (typed.length > 0) return typed.map((c) => c.name)
  return dataset.query ? selectListNames(dataset.query.sql) : null
}

const isSym = (t: Token | undefined, s: string): boolean => t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === s

/** Output names of `SELECT a, b AS c, t.d FROM ...`; null when any item is `*` or an unnamed expression. */
function selectListNames(sql: string): string[] | null {
  let tokens: Token[]
  try {
    tokens = tokenize(sql).filter(isSignificant)
  } catch {
    return null
  }
  if (!(tokens[0]?.kind === 'word' && tokens[0].value === 'SELECT')) return null
  const names: string[] = []
  let item: Token[] = []
  let depth = 0
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k]!
    if (isSym(t, '(')) depth++
    else if (isSym(t, ')')) depth--
    const end = depth === 0 && (isSym(t, ',') || (t.kind === 'word' && t.value === 'FROM'))
    if (!end) { item.push(t); continue }
    const last = item.at(-1)
    const named = item.length === 1 || (item.length >= 2 && isSym(item.at(-2), '.')) || (item.length >= 3 && item.at(-2)!.kind === 'word' && item.at(-2)!.value === 'AS')
    if (!last || isSym(last, '*') || !named || identifierOf(last) === null) return null
    names.push(identifierOf(last)!)
    item = []
    if (t.kind === 'word' && t.value === 'FROM') return names
  }
  return null
}

