// Parsing commit-file text (NDJSON actions) with errors that name the file and line, fast enough for 10,000-commit replays.
import type { Action } from './actions'
import { DeltaError } from './errors'

const KNOWN_KINDS = new Set(['protocol', 'metaData', 'add', 'remove', 'cdc', 'txn', 'domainMetadata', 'commitInfo', 'checkpointMetadata', 'sidecar'])

/**
 * Parses the actions of one log file. Unknown action kinds are dropped, as the protocol asks readers to ignore them.
 * With `skipCommitInfo`, lines that start with a commitInfo action are not parsed at all: commitInfo is the largest
 * action and replay does not need it, which keeps long JSON replays cheap.
 * @throws DeltaError CORRUPT_LOG naming `file` and the line when a line is not a JSON object (e.g. a truncated write)
 *   or the file is empty.
 */
export function parseLogLines(text: string, file: string, skipCommitInfo: boolean): Action[] {
  const actions: Action[] = []
  let lineNo = 0
  let start = 0
  let sawLine = false
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    lineNo++
    const line = text.slice(start, end)
    start = end + 1
    if (line.trim() === '') {
      if (end === text.length) break
      continue
    }
    sawLine = true
    if (skipCommitInfo && line.startsWith('{"commitInfo"')) continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (e) {
      throw new DeltaError('CORRUPT_LOG', `${file}: line ${lineNo} is not valid JSON (${(e as Error).message}); the log file is damaged or truncated`, { file, line: lineNo })
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new DeltaError('CORRUPT_LOG', `${file}: line ${lineNo} is not a JSON object`, { file, line: lineNo })
    }
    for (const kind in parsed as Record<string, unknown>) {
      if (KNOWN_KINDS.has(kind)) {
        const value = (parsed as Record<string, unknown>)[kind]
        if (value !== null && typeof value === 'object') actions.push({ [kind]: value } as unknown as Action)
        break
      }
    }
  }
  if (!sawLine) throw new DeltaError('CORRUPT_LOG', `${file} is empty; a Delta log file always holds at least one action`, { file })
  return actions
}
