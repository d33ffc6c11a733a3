// profileStore: the Profile tab's state: the profile of the table version on show, a cache of computed ones, and cancelling one.
import { create } from 'zustand'
import type { EngineApi } from '../../../engine/api/engineApi'
import type { TableProfile } from '../../../engine/api/tablesApi'
import { type ReadableError, readableError } from '../../platform/readableError'

/** Which table version a profile state is about. */
export interface ProfileTarget {
  table: string
  version: number
}

export type ProfileLoad =
  | { status: 'idle' }
  | ({ status: 'loading'; startedAt: number } & ProfileTarget)
  | ({ status: 'ready'; value: TableProfile } & ProfileTarget)
  | ({ status: 'error'; error: ReadableError } & ProfileTarget)
  /** The user cancelled: the engine was told to stop, and any late answer is dropped. */
  | ({ status: 'cancelled' } & ProfileTarget)

/** Profiles kept for going back to a version (versions never change, so a kept profile stays true). */
const CACHE_SIZE = 12

interface ProfileState {
  profile: ProfileLoad
  cache: Record<string, TableProfile>
  /** Shows the profile of `table` at `version`: from the cache, else computed by the engine (always when `fresh`). */
  load(engine: EngineApi, target: ProfileTarget, options?: { fresh?: boolean }): Promise<void>
  /** Stops the profile being computed (the engine interrupts its scan). */
  cancel(engine: EngineApi): void
}

const keyOf = (t: ProfileTarget) => `${t.table}@${t.version}`
let ticket = 0

export const useProfileStore = create<ProfileState>((set, get) => ({
  profile: { status: 'idle' },
  cache: {},

  async load(engine, target, options = {}) {
    const cached = get().cache[keyOf(target)]
    if (cached && !options.fresh) {
      ticket++
      set({ profile: { status: 'ready', value: cached, ...target } })
      return
    }
    const mine = ++ticket
    // A profile of another version still scanning would only delay this one: stop it first (the engine takes the two
    // requests in order, so the cancel cannot reach the new profile).
    if (get().profile.status === 'loading') void engine.tables.cancelProfile().catch(() => undefined)
    set({ profile: { status: 'loading', startedAt: Date.now(), ...target } })
    try {
      const value = await engine.tables.profile(target)
      if (mine !== ticket) return
      // Oldest entries go first: object keys keep insertion order.
      const entries = Object.entries({ ...get().cache, [keyOf(target)]: value }).slice(-CACHE_SIZE)
      set({ profile: { status: 'ready', value, ...target }, cache: Object.fromEntries(entries) })
    } catch (error) {
      if (mine === ticket) set({ profile: { status: 'error', error: readableError(error), ...target } })
    }
  },

  cancel(engine) {
    const profile = get().profile
    if (profile.status !== 'loading') return
    ticket++
    void engine.tables.cancelProfile().catch(() => undefined)
    set({ profile: { status: 'cancelled', table: profile.table, version: profile.version } })
  }
}))
