// lakehouseErrorSentence: why a lakehouse could not be opened or created, as one sentence naming the folder, plus the raw detail.

export interface LakehouseErrorText {
  /** For people: what went wrong with which folder, and what to do. */
  sentence: string
  /** The engine's code and message, shown one click away. */
  detail: string
}

/** True for a path the engine can resolve the same way on any host (POSIX absolute, a drive letter, or a UNC share). */
export function isAbsoluteFolderPath(dir: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(dir)
}

/**
 * Explains a failed lakehouse.open / lakehouse.create of `dir`. Known engine codes (NOT_A_LAKEHOUSE,
 * LAKEHOUSE_EXISTS, CORRUPT_LAKEHOUSE, INVALID_NAME, a refused payload) get a sentence of their own; anything else
 * keeps the engine's message. Never throws.
 */
export function lakehouseErrorSentence(action: 'open' | 'create', dir: string, error: unknown): LakehouseErrorText {
  const e = (error ?? {}) as { code?: unknown; message?: unknown }
  const code = typeof e.code === 'string' ? e.code : 'INTERNAL'
  const message = typeof e.message === 'string' && e.message.trim() !== '' ? e.message.trim() : String(error)
  const detail = `${code}: ${message}`
  const folder = `“${dir}”`
  switch (code) {
    case 'NOT_A_LAKEHOUSE':
      return { sentence: `${folder} is not a lakehouse folder: it has no lakebench.json. Choose the folder that holds lakebench.json, or create a new lakehouse there.`, detail }
    case 'LAKEHOUSE_EXISTS':
      return { sentence: `${folder} already holds a lakehouse. Open it instead, or choose an empty folder for the new one.`, detail }
    case 'CORRUPT_LAKEHOUSE':
      return { sentence: `The lakehouse at ${folder} cannot be read: its lakebench.json is damaged or from a newer Lakebench.`, detail }
    case 'INVALID_PAYLOAD':
      return { sentence: `${folder} is not a folder path the engine accepts.`, detail }
    case 'EACCES':
    case 'EPERM':
      return { sentence: `Lakebench may not ${action === 'open' ? 'read' : 'write to'} ${folder}: permission denied.`, detail }
    default: {
      const sentence = `Could not ${action === 'open' ? 'open' : 'create'} the lakehouse at ${folder}: ${message.replace(/[.\s]*$/, '')}.`
      return { sentence, detail }
    }
  }
}
