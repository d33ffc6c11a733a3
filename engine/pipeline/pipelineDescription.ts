// describePipeline: a pipeline's datasets as the pipeline panel shows them: definition text at file:line, flows, landing sources, expectations.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { PipelineDatasetDetail, PipelineDescription, PipelineSourceText } from '../api/pipelineApi'
import type { Lakehouse } from '../lakehouse/folder'
import { splitStatements } from '../sql/dialect/tokenizer'
import type { Dataset, SourceLocation } from './model'
import { storedNameOf } from './run/plan'
import { quarantineNameOf } from './run/quarantine'
import { loadPipeline } from './runner'

/** One statement of a file and where it starts, so a location can be matched to the statement holding it. */
interface StatementRange {
  line: number
  column: number
  text: string
}

/**
 * Describes pipeline `name`: every dataset in run order with its CREATE statement and the statements of the flows into
 * it (as written, file paths relative to the lakehouse), the landing paths it reads, its expectations and, when it has
 * DROP ROW expectations and a run has created it, the quarantine table beside it. Diagnostics are those of pipeline.list.
 * @throws PipelineRunError PIPELINE_NOT_FOUND / INVALID_CONFIG; Error from the file system when a pipeline file cannot be read.
 */
export async function describePipeline(lakehouse: Lakehouse, name: string): Promise<PipelineDescription> {
  const loaded = await loadPipeline(lakehouse, name)
  const { definition, graph, config } = loaded
  const relative = (file: string) => (path.isAbsolute(file) ? path.relative(lakehouse.root, file) : file).split(path.sep).join('/')
  const statements = new Map<string, StatementRange[]>()
  for (const file of definition.files) statements.set(file, statementRanges(await readFile(file, 'utf8')))
  const statementAt = (location: SourceLocation): PipelineSourceText | null => {
    const ranges = statements.get(location.file)
    if (!ranges) return null
    // Statements are in file order; the last one starting at or before the location holds it.
    const holding = ranges.filter((r) => r.line < location.line || (r.line === location.line && r.column <= location.column)).pop()
    return holding ? { file: relative(location.file), line: holding.line, column: holding.column, text: holding.text } : null
  }

  const existing = new Set((await lakehouse.listTables()).map((t) => `${t.schema}.${t.name}`.toLowerCase()))
  const byName = new Map(definition.datasets.map((d) => [d.name, d]))
  const datasets: PipelineDatasetDetail[] = []
  for (const datasetName of graph.order) {
    const dataset = byName.get(datasetName)
    if (!dataset) continue
    const flows = definition.flows.filter((f) => f.target === dataset.name)
    const definitions: PipelineSourceText[] = []
    for (const location of [dataset.location, ...flows.map((f) => f.location)]) {
      const text = statementAt(location)
      if (text && !definitions.some((d) => d.file === text.file && d.line === text.line && d.column === text.column)) definitions.push(text)
    }
    const table = storedNameOf(dataset, config.target)
    const sources = [dataset.query, ...flows.map((f) => f.query)].flatMap((q) => q?.fileSources ?? [])
    datasets.push({
      name: dataset.name,
      table,
      kind: dataset.kind,
      dependsOn: graph.dependsOn.get(dataset.name) ?? [],
      streaming: dataset.streaming,
      ...(dataset.comment !== undefined ? { comment: dataset.comment } : {}),
      definitions,
      // A dataset whose defining query has no flow of its own still runs as a flow named after it (see run/plan).
      flows: flowNamesOf(dataset, flows.map((f) => f.name)),
      fileSources: dedupe(sources.map((s) => ({ function: s.function, path: s.path, format: s.format, streaming: s.streaming }))),
      expectations: dataset.expectations.map((e) => ({ name: e.name, expression: e.expression, action: e.action, line: e.location.line })),
      quarantineTable: quarantineOf(table, dataset, existing)
    })
  }
  return {
    name,
    target: config.target,
    files: definition.files.map(relative),
    datasets,
    diagnostics: loaded.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, file: d.location.file, line: d.location.line, column: d.location.column }))
  }
}

/** The quarantine table beside a stored dataset with DROP ROW expectations, once a run has created it. */
function quarantineOf(table: string | null, dataset: Dataset, existing: Set<string>): string | null {
  if (table === null || !dataset.expectations.some((e) => e.action === 'drop')) return null
  const quarantine = quarantineNameOf(table)
  return existing.has(quarantine.toLowerCase()) ? quarantine : null
}

function flowNamesOf(dataset: Dataset, flowNames: string[]): string[] {
  // A temporary view is inlined into its readers' queries, so no flow of its own ever runs or reports.
  if (dataset.kind === 'temporary_view') return []
  return dataset.query && !flowNames.includes(dataset.name) ? [dataset.name, ...flowNames] : flowNames
}

function dedupe<T extends { path: string; function: string }>(sources: T[]): T[] {
  const seen = new Set<string>()
  return sources.filter((s) => !seen.has(`${s.function}:${s.path}`) && seen.add(`${s.function}:${s.path}`) !== undefined)
}

/** The statements of a pipeline file; a file that does not tokenize yields none (validate reports why). */
function statementRanges(text: string): StatementRange[] {
  try {
    return splitStatements(text).map((s) => ({ line: s.line, column: s.column, text: s.text }))
  } catch {
    return []
  }
}
