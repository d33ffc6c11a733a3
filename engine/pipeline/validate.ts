// Checks a parsed pipeline against what a laptop can run: unsupported features, external names, unmapped paths.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { PipelineGraph } from './graph'
import type { PipelineDefinition, PipelineDiagnostic, SourceLocation } from './model'

/** The part of a lakehouse validation needs. */
export interface LakehouseTables {
  hasTable(schema: string, name: string): boolean
  /** Lakehouse folder; workspace paths (/Volumes/..., /databricks-datasets/..., dbfs:/...) map to the same path under it. */
  root: string
}

/** Workspace-only path prefixes; a local run finds them only when the lakehouse folder holds the same path. */
const WORKSPACE_PATH = /^(\/Volumes\/|\/databricks-datasets\/|\/FileStore\/|dbfs:\/)/i
const CLOUD_PATH = /^(s3a?|abfss?|wasbs?|gs|adl):\/\//i

/**
 * Reports what cannot run locally, each at its file:line:column:
 * - UNSUPPORTED (warning): every feature the parser flagged (model/catalog functions, ai_* functions, read_kafka,
 *   secret(), is_member(), sinks, row filters, masks, Python sources), 3-part catalog names (as references or
 *   dataset names), workspace paths (/Volumes, /databricks-datasets, /FileStore, dbfs:/) the lakehouse does not
 *   hold under the same path, and cloud URLs;
 * - UNKNOWN_TABLE (error): an external 2-part name that is not a lakehouse table (only checked when `lakehouse` is given);
 *   a warning when it is read as a stream (STREAM(x)): another pipeline may create it later, and its flow waits.
 * Never throws.
 */
export function validatePipeline(def: PipelineDefinition, graph: PipelineGraph, lakehouse?: LakehouseTables): PipelineDiagnostic[] {
  const diagnostics: PipelineDiagnostic[] = []
  const warn = (message: string, location: SourceLocation): void => {
    diagnostics.push({ severity: 'warning', code: 'UNSUPPORTED', message, location })
  }
  for (const u of def.unsupported) warn(`${u.feature}: ${u.detail}`, u.location)
  for (const d of def.datasets) {
    if (d.name.split('.').length > 2) warn(`catalog_name: dataset ${d.displayName} names a catalog; a lakehouse has schemas and tables only`, d.location)
  }
  for (const ref of graph.external) {
    const parts = ref.name.split('.')
    if (parts.length > 2) {
      warn(`catalog_name: ${ref.written} reads the external catalog ${parts[0]}, which a local run does not have`, ref.location)
    } else if (lakehouse && !lakehouse.hasTable(parts[0]!, parts[1]!)) {
      // A table read as a stream may be another pipeline's that has not been created yet: its flow waits for it.
      diagnostics.push({
        severity: ref.streaming ? 'warning' : 'error',
        code: 'UNKNOWN_TABLE',
        message: ref.streaming
          ? `${ref.written} is neither a dataset of this pipeline nor a table in the lakehouse yet; flows streaming from it wait until it exists`
          : `${ref.written} is neither a dataset of this pipeline nor a table in the lakehouse`,
        location: ref.location
      })
    }
  }
  const checkPath = (p: string, what: string, location: SourceLocation): void => {
    if (CLOUD_PATH.test(p)) {
      warn(`cloud_path: ${what} reads ${p}, a cloud storage URL a local run cannot reach`, location)
    } else if (WORKSPACE_PATH.test(p) && !(lakehouse && existsSync(localPathOf(lakehouse.root, p)))) {
      const hint = lakehouse ? ` (no ${localPathOf(lakehouse.root, p)})` : ''
      warn(`workspace_path: ${what} reads ${p}, a workspace path with no local mapping${hint}; copy the data there or use a path relative to the lakehouse`, location)
    }
  }
  const queries = [...def.datasets.map((d) => d.query), ...def.flows.map((f) => f.query)].filter((q) => q !== undefined)
  for (const q of new Set(queries)) {
    for (const s of q.fileSources) checkPath(s.path, `${s.function}(...)`, s.location)
    for (const r of q.pathReads ?? []) checkPath(r.path, `${r.format}.\`...\``, r.location)
  }
  return diagnostics
}

/** `<root>/<path without dbfs:>`, cut at the first glob character so a pattern maps to its folder. */
function localPathOf(root: string, workspacePath: string): string {
  const plain = workspacePath.replace(/^dbfs:/i, '')
  const glob = plain.search(/[*?[{]/)
  const fixed = glob < 0 ? plain : plain.slice(0, plain.lastIndexOf('/', glob) + 1)
  return path.join(root, fixed)
}
