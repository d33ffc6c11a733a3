// producerForm: the producer knobs as typed in the panel: labels, parsing, validation, and the changes to send.
import type { ProducerSettings } from '../../../engine/api/streamApi'

export type Knob = keyof ProducerSettings
/** The text of each input, as typed. */
export type ProducerDraft = Record<Knob, string>

export const knobs: { knob: Knob; label: string; step: string; min: number; max?: number; hint: string }[] = [
  { knob: 'filesPerSecond', label: 'Rate (files/s)', step: '0.5', min: 0, hint: 'Files written per second while running' },
  { knob: 'recordsPerFile', label: 'Records per file', step: '10', min: 1, hint: 'Records in each file' },
  { knob: 'late', label: 'Late fraction', step: '0.01', min: 0, max: 1, hint: 'Behind the declared lateness: sent to the _late table' },
  { knob: 'outOfOrder', label: 'Out-of-order fraction', step: '0.01', min: 0, max: 1, hint: 'Up to a minute behind the newest record' },
  { knob: 'duplicate', label: 'Duplicate fraction', step: '0.01', min: 0, max: 1, hint: 'A recent record delivered again' },
  { knob: 'malformed', label: 'Malformed fraction', step: '0.01', min: 0, max: 1, hint: 'An unparseable payload' }
]

const fractionKnobs: Knob[] = ['late', 'outOfOrder', 'duplicate', 'malformed']

export const knobLabel = (knob: string): string => knobs.find((k) => k.knob === knob)?.label ?? knob

/** The inputs' starting text for `settings`. */
export function draftOf(settings: ProducerSettings): ProducerDraft {
  return Object.fromEntries(knobs.map(({ knob }) => [knob, String(settings[knob])])) as ProducerDraft
}

export interface DraftCheck {
  /** Per knob, what is wrong with its text (absent when it is fine). */
  errors: Partial<Record<Knob, string>>
  /** What the fractions break together (their sum above 1), if anything. */
  sumError: string | null
  /** The knobs that differ from `settings`, parsed (only when there are no errors). */
  changes: Partial<ProducerSettings>
}

/**
 * Checks what people can see is wrong before asking the engine: not a number, a negative rate, a fraction outside
 * [0, 1], records per file not a whole number ≥ 1, fractions adding up to more than 1. The engine keeps the last word
 * (its own limits, e.g. a maximum rate) and its refusal is shown as it gives it.
 */
export function checkDraft(draft: ProducerDraft, settings: ProducerSettings): DraftCheck {
  const errors: Partial<Record<Knob, string>> = {}
  const values: Partial<Record<Knob, number>> = {}
  for (const { knob, label, min, max } of knobs) {
    const text = draft[knob].trim()
    const value = Number(text)
    if (text === '' || !Number.isFinite(value)) errors[knob] = `${label} must be a number`
    else if (knob === 'filesPerSecond' && value <= 0) errors[knob] = `${label} must be more than 0`
    else if (knob === 'recordsPerFile' && (!Number.isInteger(value) || value < min)) errors[knob] = `${label} must be a whole number of at least ${min}`
    else if (max !== undefined && (value < min || value > max)) errors[knob] = `${label} must be between ${min} and ${max}`
    else values[knob] = value
  }
  const sum = fractionKnobs.reduce((n, knob) => n + (values[knob] ?? settings[knob]), 0)
  const sumError = sum > 1 + 1e-9 ? `The late, out-of-order, duplicate and malformed fractions add up to ${Number(sum.toFixed(4))}; at most 1 is possible` : null
  const changes: Partial<ProducerSettings> = {}
  if (Object.keys(errors).length === 0 && sumError === null) {
    for (const { knob } of knobs) if (values[knob] !== settings[knob]) changes[knob] = values[knob]!
  }
  return { errors, sumError, changes }
}
