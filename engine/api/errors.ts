// EngineError: the one error shape that crosses the engine boundary, and the conversion from engine errors to it.

/** Codes raised by the boundary itself; engine layers add their own (SqlError/DeltaError codes pass through). */
export const boundaryErrorCodes = {
  /** The method path is not on the allow-list in methods.ts. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** The argument or result did not match the method's schema. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** The envelope itself was malformed (not a request/response/event). */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** The connection closed before the answer arrived. */
  DISCONNECTED: 'DISCONNECTED',
  /** A failure with no better code: a bug, reported with its message. */
  INTERNAL: 'INTERNAL'
} as const

/**
 * Facts about where an error happened, as data. Well-known keys: `file`, `line`, `column`, `row`, `table`, `version`,
 * `statementIndex`, `statement`, `path` (of an invalid payload field). Values are JSON-compatible.
 */
export type EngineErrorDetail = Record<string, unknown>

/** EngineError as plain data (what travels in a response envelope). */
export interface EngineErrorPayload {
  code: string
  message: string
  detail: EngineErrorDetail
}

/** An error from the engine or the boundary: `code` to branch on, `message` for people, `detail` for the specifics. */
export class EngineError extends Error {
  readonly code: string
  readonly detail: EngineErrorDetail

  constructor(code: string, message: string, detail: EngineErrorDetail = {}) {
    super(message)
    this.name = 'EngineError'
    this.code = code
    this.detail = detail
  }

  /** The plain-data form, safe to structured-clone or JSON-encode. */
  toPayload(): EngineErrorPayload {
    return { code: this.code, message: this.message, detail: plainDetail(this.detail) }
  }

  static fromPayload(payload: EngineErrorPayload): EngineError {
    return new EngineError(payload.code, payload.message, payload.detail)
  }
}

/** Engine error classes (by name) whose `code` passes through, and the layer each comes from. */
const engineErrorSources: Record<string, string> = { SqlError: 'sql', DeltaError: 'delta', LakehouseError: 'lakehouse', PipelineRunError: 'pipeline' }

/**
 * Location fields SqlError (engine/sql/sqlError.ts) and LakehouseError carry; read structurally so this contract
 * imports no implementation.
 */
const sqlErrorFields = ['statementIndex', 'line', 'column', 'row', 'table', 'version', 'file'] as const

/**
 * Converts anything thrown inside the engine into an EngineError.
 * SqlError, DeltaError and LakehouseError keep their code; their location fields (file, line, column, row, table, version) and
 * DeltaError's `detail` become `detail`. Anything else becomes INTERNAL with its message.
 */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error
  if (error instanceof Error) {
    const coded = error as Error & { code?: unknown; detail?: unknown }
    const source = engineErrorSources[error.name]
    if (typeof coded.code === 'string' && source) {
      const detail: EngineErrorDetail = { source }
      if (isRecord(coded.detail)) Object.assign(detail, coded.detail)
      for (const field of sqlErrorFields) {
        const value = (error as unknown as Record<string, unknown>)[field]
        if (value !== undefined) detail[field] = value
      }
      return new EngineError(coded.code, error.message, plainDetail(detail))
    }
    return new EngineError(boundaryErrorCodes.INTERNAL, error.message || error.name, { name: error.name })
  }
  return new EngineError(boundaryErrorCodes.INTERNAL, String(error))
}

/**
 * INVALID_PAYLOAD naming the method and the first offending field,
 * e.g. "Invalid argument for sql.execute: sql: Invalid input: expected string".
 */
export function invalidPayloadError(
  method: string,
  part: 'argument' | 'result',
  issues: readonly { path: readonly PropertyKey[]; message: string }[]
): EngineError {
  const first = issues[0]
  const path = first && first.path.length > 0 ? first.path.map(String).join('.') : ''
  const where = path ? `${path}: ` : ''
  return new EngineError(boundaryErrorCodes.INVALID_PAYLOAD, `Invalid ${part} for ${method}: ${where}${first?.message ?? 'does not match the schema'}`, {
    method,
    part,
    path,
    issues: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  })
}

/** One readable sentence for people: the message plus where it happened, e.g. "… (statement 2, line 2, column 8)." */
export function describeEngineError(error: EngineErrorPayload): string {
  const d = error.detail
  const message = error.message.trim().replace(/\.$/, '')
  const lower = message.toLowerCase()
  const facts: string[] = []
  // Names (file, table) are skipped when the message already mentions them; numbers when it states "line 3" etc.
  for (const key of ['file', 'table'] as const) {
    const value = d[key]
    if (typeof value === 'string' && !lower.includes(value.toLowerCase())) facts.push(`${key} ${value}`)
  }
  const numbered: [string, unknown][] = [
    ['version', d.version],
    ['statement', typeof d.statementIndex === 'number' ? d.statementIndex + 1 : undefined],
    ['line', d.line],
    ['column', d.column],
    ['row', d.row]
  ]
  for (const [label, value] of numbered) {
    if (typeof value === 'number' && !lower.includes(`${label} ${value}`)) facts.push(`${label} ${value}`)
  }
  return facts.length > 0 ? `${message} (${facts.join(', ')}).` : `${message}.`
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Keeps JSON-compatible values only, so a detail never fails to cross the boundary (bigint becomes number or string). */
function plainDetail(detail: EngineErrorDetail): EngineErrorDetail {
  const out: EngineErrorDetail = {}
  for (const [key, value] of Object.entries(detail)) {
    const plain = plainValue(value, 0)
    if (plain !== undefined) out[key] = plain
  }
  return out
}

function plainValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  if (value instanceof Date) return value.toISOString()
  if (depth > 4) return undefined
  if (Array.isArray(value)) return value.map((v) => plainValue(v, depth + 1) ?? null)
  if (isRecord(value)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const plain = plainValue(v, depth + 1)
      if (plain !== undefined) out[k] = plain
    }
    return out
  }
  return undefined
}
