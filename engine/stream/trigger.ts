// When micro-batches run: Spark's triggers availableNow, once and processingTime, and the processingTime schedule.

export type Trigger = { kind: 'availableNow' } | { kind: 'once' } | { kind: 'processingTime'; intervalMs: number }

/**
 * Spark's ProcessingTimeExecutor.nextBatchTime: the first interval boundary after `triggerTime`. A batch that overran
 * its interval is followed at once by the next one (its boundary is already past), and the boundaries it missed are
 * skipped rather than run as a burst of catch-up batches.
 * @throws RangeError for an interval that is not a positive number.
 */
export function nextTriggerTime(triggerTime: number, intervalMs: number): number {
  if (!(intervalMs > 0)) throw new RangeError(`processingTime interval must be > 0 ms, got ${intervalMs}`)
  return Math.floor(triggerTime / intervalMs) * intervalMs + intervalMs
}

/**
 * Parses "availableNow", "once" or "processingTime <n> <unit>" (units ms, second(s), minute(s), hour(s); also
 * "processingTime '1 second'" as written in Spark).
 * @throws RangeError naming the text when it is none of these.
 */
export function parseTrigger(text: string): Trigger {
  const t = text.trim()
  if (/^availableNow$/i.test(t)) return { kind: 'availableNow' }
  if (/^once$/i.test(t)) return { kind: 'once' }
  const m = /^processingTime\s+'?\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?)\s*'?$/i.exec(t)
  if (!m) throw new RangeError(`trigger '${text}' is not one of: availableNow, once, processingTime <n> <ms|seconds|minutes|hours>`)
  const unit = m[2]!.toLowerCase()
  const factor = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000
  return { kind: 'processingTime', intervalMs: Number(m[1]) * factor }
}
