// readableError: any failure from the engine as one sentence for people, with its code and location facts kept apart.

export interface ReadableError {
  sentence: string
  code: string
  /** Where it happened (pipeline, flow, table, version, file, line, column …), for the detail line. */
  facts: string[]
}

/** Detail fields the engine uses to say where something happened, in the order people read them. */
const factKeys = ['pipeline', 'flow', 'table', 'version', 'file', 'line', 'column', 'row', 'path']

/** Turns an EngineError (or anything thrown) into a capitalised sentence ending with a full stop, plus its facts. */
export function readableError(error: unknown): ReadableError {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; detail?: Record<string, unknown> }
  const raw = typeof e.message === 'string' && e.message.trim() !== '' ? e.message.trim() : String(error ?? 'Unknown error')
  const sentence = raw.charAt(0).toUpperCase() + raw.slice(1) + (/[.!?]$/.test(raw) ? '' : '.')
  const detail = e.detail && typeof e.detail === 'object' ? e.detail : {}
  const facts = factKeys.filter((k) => detail[k] !== undefined && detail[k] !== '').map((k) => `${k} ${String(detail[k])}`)
  return { sentence, code: typeof e.code === 'string' ? e.code : 'INTERNAL', facts }
}
