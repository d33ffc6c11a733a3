// A producer's resumable state, <lakehouse>/producers/<name>/state.json, written atomically (tmp + fsync + rename) after every unit.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ProducerError } from './producerError'
import { readTextIfExists } from '../durableFiles'

export interface ProducerState {
  name: string
  /** The UnitSource fingerprint this state belongs to. */
  fingerprint: Record<string, unknown>
  /** Units produced so far: the next unit to produce. */
  position: number
  /** Per topic written: the end offsets per partition after unit `position - 1`. */
  topicEnds: Record<string, number[]>
  /** Producer clock time of the save, ms. */
  updatedAt: number
  /** Records in the units produced so far (absent in states saved before it was kept). */
  recordsProduced?: number
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/

/** Folder of a producer's state. Errors: INVALID_ARGUMENT for a name that is not a plain file name. */
export function producerDir(root: string, name: string): string {
  if (!NAME.test(name)) throw new ProducerError('INVALID_ARGUMENT', `bad producer name ${JSON.stringify(name)}: letters, digits, _ . - and not starting with . or -`)
  return path.join(root, 'producers', name)
}

/** The saved state, or null when the producer never saved one. Errors: PRODUCER_STATE_CORRUPT naming the file. */
export async function readProducerState(root: string, name: string): Promise<ProducerState | null> {
  const file = path.join(producerDir(root, name), 'state.json')
  const text = await readTextIfExists(file)
  if (text === null) return null
  let state: Partial<ProducerState>
  try {
    state = JSON.parse(text) as Partial<ProducerState>
  } catch {
    throw new ProducerError('PRODUCER_STATE_CORRUPT', `${file} is not valid JSON`)
  }
  const okEnds = typeof state.topicEnds === 'object' && state.topicEnds !== null &&
    Object.values(state.topicEnds).every((ends) => Array.isArray(ends) && ends.every((n) => Number.isInteger(n) && n >= 0))
  if (state.name !== name || typeof state.fingerprint !== 'object' || !Number.isInteger(state.position) || (state.position as number) < 0 || !okEnds) {
    throw new ProducerError('PRODUCER_STATE_CORRUPT', `${file} must hold {name: "${name}", fingerprint, position, topicEnds, updatedAt}`)
  }
  return state as ProducerState
}

/** Replaces state.json atomically: a crash leaves the old or the new state, never a partial one. */
export async function writeProducerState(root: string, state: ProducerState): Promise<void> {
  const dir = producerDir(root, state.name)
  await fs.mkdir(dir, { recursive: true })
  const temp = path.join(dir, '.state.json.tmp')
  const handle = await fs.open(temp, 'w')
  try {
    await handle.writeFile(JSON.stringify(state, null, 2) + '\n', 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.rename(temp, path.join(dir, 'state.json'))
}

/** Stable JSON (sorted keys) for comparing fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
