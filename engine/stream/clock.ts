// The time source of streaming: the system clock in production, a ManualClock in tests (no real sleeps anywhere).

/** Milliseconds since the epoch, and a sleep that a signal can cut short. */
export interface StreamClock {
  /** ms since the epoch. */
  now(): number
  /**
   * Resolves after `ms` of this clock's time. When `signal` aborts first, rejects with `signal.reason` (an AbortError
   * unless the caller gave another reason); an already aborted signal rejects at once.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('the sleep was aborted', 'AbortError')
}

/** Wall-clock time and real timers. */
export const systemClock: StreamClock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal))
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(abortReason(signal!))
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, Math.max(0, ms))
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

interface Sleeper {
  wakeAt: number
  resolve: () => void
}

/**
 * A clock that moves only when told to. `sleep` parks the caller until `advance` moves the time to (or past) its wake
 * time; sleeps of 0 ms or less resolve at once. Sleepers wake in wake-time order.
 */
export class ManualClock implements StreamClock {
  private time: number
  private sleepers: Sleeper[] = []
  private sleepListeners: (() => void)[] = []

  constructor(start: number) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        wakeAt: this.time + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      }
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper)
        reject(abortReason(signal!))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.sleepers.push(sleeper)
      const listeners = this.sleepListeners
      this.sleepListeners = []
      for (const l of listeners) l()
    })
  }

  /** Moves the time forward by `ms` (≥ 0) and wakes every sleeper now due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance needs a non-negative duration, got ${ms}`)
    this.time += ms
    const due = this.sleepers.filter((s) => s.wakeAt <= this.time).sort((a, b) => a.wakeAt - b.wakeAt)
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.time)
    for (const s of due) s.resolve()
  }

  /** How many callers are sleeping now. */
  pendingSleeps(): number {
    return this.sleepers.length
  }

  /** The earliest wake time of a sleeper, or null when nobody sleeps. */
  nextWakeAt(): number | null {
    return this.sleepers.length === 0 ? null : Math.min(...this.sleepers.map((s) => s.wakeAt))
  }

  /** Resolves once at least one caller is sleeping (at once when one already is): lets tests wait for a loop to go idle. */
  whenSleeping(): Promise<void> {
    if (this.sleepers.length > 0) return Promise.resolve()
    return new Promise((resolve) => this.sleepListeners.push(resolve))
  }
}
