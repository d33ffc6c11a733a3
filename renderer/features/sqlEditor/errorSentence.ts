// errorSentence: an engine error as one readable sentence plus the facts (where it happened) to show beneath it.
import type { EngineErrorPayload } from '../../../engine/api/errors'

export interface ErrorPresentation {
  sentence: string
  facts: { label: string; value: string }[]
}

const factKeys: [key: string, label: string, shift?: number][] = [
  ['statementIndex', 'Statement', 1],
  ['line', 'Line'],
  ['column', 'Column'],
  ['row', 'Row'],
  ['table', 'Table'],
  ['version', 'Version'],
  ['file', 'File'],
  ['path', 'Field']
]

/** The message as a sentence (capitalised, full stop) and the location facts in `detail`, with the code last. */
export function presentError(error: EngineErrorPayload): ErrorPresentation {
  const message = error.message.trim() || 'The engine reported an error without a message'
  const sentence = message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? '' : '.')
  const facts: ErrorPresentation['facts'] = []
  for (const [key, label, shift] of factKeys) {
    const value = error.detail[key]
    if (typeof value === 'number') facts.push({ label, value: String(value + (shift ?? 0)) })
    else if (typeof value === 'string' && value !== '') facts.push({ label, value })
  }
  facts.push({ label: 'Code', value: error.code })
  return { sentence, facts }
}
