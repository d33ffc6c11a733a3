// Parsing commit-file text (NDJSON actions) with errors that name the file and line, fast enough for 10,000-commit replays.
import type { Action } from './actions'
import { DeltaError } from './errors'

const KNOWN_KINDS = new Set(['protocol', 'metaData', 'add', 'remove', 'cdc', 'txn', 'domainMetadata', 'commitInfo', 'checkpointMetadata', 'sidecar'])
const OPEN_BRACE = 0x7b
const COMMIT_INFO_PREFIX = '{"commitInfo"'

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    // JSON whitespace plus the other characters String.prototype.trim drops that can appear in practice.
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a && c !== 0xa0 && c !== 0xfeff && c !== 0x0b && c !== 0x0c) return false
  }
  return true
}

/**
 * The action one parsed line stands for. The common line, an object with a single known key holding an object, is
 * already an action and is used as it is (no copy); otherwise the first known key wins and the others are dropped.
 */
function actionOf(parsed: Record<string, unknown>): Action | null {
  let first: string | undefined
  let keys = 0
  for (const key in parsed) {
    if (keys++ === 0) first = key
    else break
  }
  if (keys === 1 && KNOWN_KINDS.has(first!)) {
    const value = parsed[first!]
    return value !== null && typeof value === 'object' ? (parsed as unknown as Action) : null
  }
  for (const kind in parsed) {
    if (KNOWN_KINDS.has(kind)) {
      const value = parsed[kind]
      return value !== null && typeof value === 'object' ? ({ [kind]: value } as unknown as Action) : null
    }
  }
  return null
}

/**
 * Parses the actions of one log file. Unknown action kinds are dropped, as the protocol asks readers to ignore them.
 * With `skipCommitInfo`, lines that start with a commitInfo action are not parsed at all: commitInfo is the largest
 * action and replay does not need it, which keeps long JSON replays cheap. Lines are sliced by index and only the
 * non-blank ones reach JSON.parse; no per-line regex or trim copies.
 * @throws DeltaError CORRUPT_LOG naming `file` and the line when a line is not a JSON object (e.g. a truncated write)
 *   or the file is empty.
 */
export function parseLogLines(text: string, file: string, skipCommitInfo: boolean): Action[] {
  const actions: Action[] = []
  const length = text.length
  let lineNo = 0
  let start = 0
  let sawLine = false
  while (start < length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = length
    lineNo++
    const lineStart = start
    start = end + 1
    if (text.charCodeAt(lineStart) !== OPEN_BRACE && isBlank(text, lineStart, end)) continue
    sawLine = true
    if (skipCommitInfo && text.startsWith(COMMIT_INFO_PREFIX, lineStart)) continue
    let parsed: unknown
    try {
      parsed = JSON.parse(text.slice(lineStart, end))
    } catch (e) {
      throw new DeltaError('CORRUPT_LOG', `${file}: line ${lineNo} is not valid JSON (${(e as Error).message}); the log file is damaged or truncated`, { file, line: lineNo })
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new DeltaError('CORRUPT_LOG', `${file}: line ${lineNo} is not a JSON object`, { file, line: lineNo })
    }
    const action = actionOf(parsed as Record<string, unknown>)
    if (action) actions.push(action)
  }
  if (!sawLine) throw new DeltaError('CORRUPT_LOG', `${file} is empty; a Delta log file always holds at least one action`, { file })
  return actions
}
