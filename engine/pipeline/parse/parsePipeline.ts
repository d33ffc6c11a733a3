// Parses pipeline SQL files (Databricks / Spark Declarative Pipelines dialect) into the PipelineDefinition model.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { splitStatements, tokenize, TokenizeError, type Token } from '../../sql/dialect/tokenizer'
import { resolveDataset } from '../graph'
import type { Dataset, Flow, PipelineDefinition, PipelineDiagnostic, UnsupportedFeature } from '../model'
import { substitutePlaceholders } from '../placeholders'
import { LineIndex } from './lineIndex'
import { ParseFailure, StatementCursor, type StatementSource } from './statementCursor'
import { parseStatement } from './statements'

export interface ParsedPipelineSql {
  datasets: Dataset[]
  flows: Flow[]
  unsupported: UnsupportedFeature[]
  diagnostics: PipelineDiagnostic[]
  /** The configuration after the file's SET statements. */
  configuration: Record<string, string>
}

export interface ParseOptions {
  /** Values for `${key}` placeholders (pipeline.json `configuration`); SET statements add to them. */
  configuration?: Record<string, string>
  /** Schema for unqualified dataset names; overrides pipeline.json `target`. */
  target?: string
}

/**
 * Parses one file of pipeline SQL. Never throws for bad SQL: each statement that does not parse yields a PARSE_ERROR
 * diagnostic at its file:line:column saying what was expected, and the other statements are still parsed. An unknown
 * `${key}` yields UNRESOLVED_PLACEHOLDER (error) at the placeholder; placeholders inside comments are ignored.
 * Ignored clauses (SCHEDULE, REFRESH EVERY, ...) yield IGNORED_CLAUSE warnings.
 */
export function parsePipelineSql(text: string, file: string, options: ParseOptions = {}): ParsedPipelineSql {
  const out: ParsedPipelineSql = { datasets: [], flows: [], unsupported: [], diagnostics: [], configuration: { ...options.configuration } }
  parseInto(out, text, file, new Set())
  normaliseFlowTargets({ datasets: out.datasets, target: options.target }, out.flows)
  return out
}

/** Points each flow at the canonical name of the dataset its target resolves to (`LIVE.x`, `schema.x`, `x`). */
function normaliseFlowTargets(def: Pick<PipelineDefinition, 'datasets' | 'target'>, flows: Flow[]): void {
  for (const flow of flows) {
    const resolved = resolveDataset(def, flow.target)
    if ('dataset' in resolved) flow.target = resolved.dataset.name
  }
}

function parseInto(out: ParsedPipelineSql, text: string, file: string, flowNames: Set<string>): void {
  const index = new LineIndex(file, text)
  let tokens: Token[]
  let cut = text.length
  try {
    tokens = tokenize(text)
  } catch (e) {
    if (!(e instanceof TokenizeError)) throw e
    cut = offsetOf(text, e.line, e.column)
    out.diagnostics.push({ severity: 'error', code: 'PARSE_ERROR', message: e.message.replace(/ starting at line \d+, column \d+$/, ''), location: index.locate(cut) })
    tokens = tokenize(text.slice(0, cut))
  }
  const lastSemicolon = cut < text.length ? Math.max(-1, ...tokens.filter((t) => t.kind === 'punct' && t.text === ';').map((t) => t.start)) : Infinity
  for (const statement of splitStatements(text.slice(0, cut), tokens)) {
    const significant = statement.tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment')
    const start = significant[0]!.start
    if (start > lastSemicolon) continue // the statement holding the unterminated token, already reported
    const end = significant[significant.length - 1]!.end
    const comments = statement.tokens.filter((t) => t.kind === 'comment').map((t) => ({ start: t.start - start, end: t.end - start }))
    const substituted = substitutePlaceholders(text.slice(start, end), out.configuration, comments)
    for (const u of substituted.unresolved) {
      out.diagnostics.push({
        severity: 'error',
        code: 'UNRESOLVED_PLACEHOLDER',
        message: `\${${u.key}} has no value: add "${u.key}" to the pipeline configuration or SET it before use`,
        location: index.locate(start + u.offset)
      })
    }
    const source: StatementSource = { text: substituted.text, locate: (offset) => index.locate(start + substituted.toOriginalOffset(offset)) }
    try {
      const result = parseStatement(new StatementCursor(source))
      out.datasets.push(...result.datasets)
      for (const flow of result.flows) {
        flow.name = uniqueName(flowNames, flow.name)
        out.flows.push(flow)
      }
      out.unsupported.push(...result.unsupported)
      out.diagnostics.push(...result.diagnostics)
      if (result.setting) out.configuration[result.setting.key] = result.setting.value
    } catch (e) {
      // A statement with an unresolved placeholder is already reported; its parse failure would only repeat that.
      if (substituted.unresolved.length > 0) continue
      if (e instanceof ParseFailure) {
        out.diagnostics.push({ severity: 'error', code: 'PARSE_ERROR', message: e.message, location: source.locate(e.offset) })
      } else if (e instanceof TokenizeError) {
        out.diagnostics.push({ severity: 'error', code: 'PARSE_ERROR', message: `after substituting placeholders: ${e.message}`, location: index.locate(start) })
      } else throw e
    }
  }
}

/** Flows named after their target (standalone CDC) may repeat: later ones get a _2, _3... suffix. */
function uniqueName(taken: Set<string>, base: string): string {
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
  taken.add(name)
  return name
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1
  return offset + column - 1
}

/**
 * Reads `dir/*.sql` in name order and parses them into one PipelineDefinition named `name`. pipeline.json in `dir`
 * supplies `configuration` and `target` (options override them). `.py` files are reported as unsupported (Python
 * datasets are not run locally). Flow targets are normalised to the dataset they resolve to.
 * Never throws for bad SQL (see parsePipelineSql); a malformed pipeline.json is a CONFIG_ERROR diagnostic.
 * @throws Error from the file system when `dir` cannot be read.
 */
export async function parsePipelineFolder(
  dir: string,
  name: string,
  options: ParseOptions = {}
): Promise<{ definition: PipelineDefinition; diagnostics: PipelineDiagnostic[] }> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort()
  const diagnostics: PipelineDiagnostic[] = []
  let fileConfig: { configuration?: Record<string, string>; target?: string } = {}
  if (entries.includes('pipeline.json')) {
    const file = path.join(dir, 'pipeline.json')
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object')
      const config = parsed as Record<string, unknown>
      if (typeof config.target === 'string') fileConfig.target = config.target
      if (typeof config.configuration === 'object' && config.configuration !== null) {
        fileConfig.configuration = Object.fromEntries(Object.entries(config.configuration).map(([k, v]) => [k, String(v)]))
      }
    } catch (e) {
      fileConfig = {}
      diagnostics.push({ severity: 'error', code: 'CONFIG_ERROR', message: `pipeline.json is not valid: ${(e as Error).message}`, location: { file, line: 1, column: 1 } })
    }
  }
  const out: ParsedPipelineSql = {
    datasets: [],
    flows: [],
    unsupported: [],
    diagnostics,
    configuration: { ...fileConfig.configuration, ...options.configuration }
  }
  const flowNames = new Set<string>()
  const files: string[] = []
  for (const entry of entries) {
    const file = path.join(dir, entry)
    if (entry.toLowerCase().endsWith('.sql')) {
      files.push(file)
      parseInto(out, await readFile(file, 'utf8'), file, flowNames)
    } else if (entry.toLowerCase().endsWith('.py')) {
      out.unsupported.push({ feature: 'python_source', detail: `${entry} defines datasets in Python, which a local run does not execute`, location: { file, line: 1, column: 1 } })
    }
  }
  const definition: PipelineDefinition = {
    name,
    files,
    datasets: out.datasets,
    flows: out.flows,
    unsupported: out.unsupported,
    configuration: out.configuration
  }
  const target = options.target ?? fileConfig.target
  if (target !== undefined) definition.target = target
  normaliseFlowTargets(definition, definition.flows)
  return { definition, diagnostics: out.diagnostics }
}
