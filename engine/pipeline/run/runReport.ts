// Human-readable lines for a pipeline run: one per flow as it finishes, diagnostics as file:line:column, a closing summary.
import type { PipelineDiagnostic } from '../model'
import type { FlowResult, PipelineRunResult } from './runTypes'

/** `file:line:column: error CODE: message`, the form editors and terminals link. */
export function formatDiagnostic(d: PipelineDiagnostic): string {
  return `${d.location.file}:${d.location.line}:${d.location.column}: ${d.severity} ${d.code}: ${d.message}`
}

/** One progress line naming the table (and the flow when it has its own name), e.g. `silver.users  completed  4 in, 3 written, 1 quarantined  -> v2  (35 ms)`. */
export function formatFlowLine(f: FlowResult): string {
  // Rows read differ from rows in when the query reshapes its input (explode, filters, joins): say both then.
  const read = f.rowsRead !== undefined && f.rowsRead !== f.rowsIn ? `${f.rowsRead} read, ` : ''
  const counts = `${read}${f.rowsIn} in, ${f.rowsWritten} written, ${f.rowsQuarantined} quarantined`
  const version = f.version === null ? 'no commit' : `-> v${f.version}`
  const failedExpectations = f.expectations.filter((e) => e.failed > 0).map((e) => `${e.expectation} (${e.action}) failed ${e.failed}`)
  const tail = f.error ? `: ${f.error}` : f.reason ? `: ${f.reason}` : ''
  const name = f.flow === f.target || f.target.endsWith(`.${f.flow}`) ? f.target : `${f.flow} -> ${f.target}`
  return `${name}  ${f.status}  ${counts}  ${version}${failedExpectations.length ? `  [${failedExpectations.join('; ')}]` : ''}  (${f.durationMs} ms)${tail}`
}

/** The closing line of a run. */
export function formatRunSummary(r: PipelineRunResult): string {
  const committed = r.flows.filter((f) => f.version !== null).length
  return `Pipeline ${r.pipeline} ${r.status}: ${r.flows.length} flow(s), ${committed} commit(s) (run ${r.runId})`
}
