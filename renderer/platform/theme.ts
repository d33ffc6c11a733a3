// theme: the light/dark theme store: follows the OS until the user picks one, persists the pick, sets [data-theme] on <html>.

export type Theme = 'light' | 'dark'
/** What the user chose: a theme, or to follow the OS (prefers-color-scheme). */
export type ThemePreference = Theme | 'system'

const storageKey = 'lakebench.theme'
const listeners = new Set<(theme: Theme) => void>()
const darkQuery = typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined

let preference: ThemePreference = readPreference()
let current: Theme = resolve(preference)

function readPreference(): ThemePreference {
  try {
    const stored = globalThis.localStorage?.getItem(storageKey)
    return stored === 'light' || stored === 'dark' ? stored : 'system'
  } catch {
    return 'system' // storage can be disabled; the OS setting is the right fallback
  }
}

function resolve(pref: ThemePreference): Theme {
  if (pref !== 'system') return pref
  return darkQuery?.matches ? 'dark' : 'light'
}

function apply(): void {
  const next = resolve(preference)
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = next
  if (next === current) return
  current = next
  for (const listener of listeners) listener(current)
}

darkQuery?.addEventListener('change', () => {
  if (preference === 'system') apply()
})
if (typeof document !== 'undefined') document.documentElement.dataset.theme = current

/** The theme shown now. */
export function getTheme(): Theme {
  return current
}

/** The user's choice ('system' until they pick a theme). */
export function getThemePreference(): ThemePreference {
  return preference
}

/** Picks a theme (or 'system'); remembered in localStorage across restarts. */
export function setThemePreference(next: ThemePreference): void {
  preference = next
  try {
    if (next === 'system') globalThis.localStorage?.removeItem(storageKey)
    else globalThis.localStorage?.setItem(storageKey, next)
  } catch {
    // Not persisted when storage is unavailable; the choice still holds for this session.
  }
  apply()
}

/** Switches to the other theme and remembers it. */
export function toggleTheme(): void {
  setThemePreference(current === 'dark' ? 'light' : 'dark')
}

/** Calls `listener` whenever the theme shown changes; returns the unsubscribe function. */
export function subscribeTheme(listener: (theme: Theme) => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}
