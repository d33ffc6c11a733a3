// commandRegistry: workbench actions as data (id, title, shortcut, run) and the matching of key presses to shortcuts.

/**
 * A shortcut as written in the registry: modifiers then a key, joined by '+', e.g. 'Mod+Shift+P'. `Mod` is Cmd on
 * macOS and Ctrl elsewhere. The key is a letter or digit, compared by physical key (KeyboardEvent.code, so Shift and
 * Alt, which change the character typed, still match), or a KeyboardEvent.key ('Enter', 'F1'), case-insensitively.
 */
export type Shortcut = string

export interface Command {
  /** Stable id ('editor.run'), used by tests and the palette. */
  id: string
  /** What the palette shows, as an imperative ("Run query"). */
  title: string
  /** Key bindings; the first is the one shown. */
  shortcuts?: Shortcut[]
  /**
   * 'capture' handles the keys before any control (the editor included) sees them; 'bubble' (default) only when the
   * focused control left the keys alone, so the editor's own Ctrl+Enter is not run twice.
   */
  phase?: 'capture' | 'bubble'
  /** false when it cannot run now (hidden from the palette, keys ignored). */
  enabled?: boolean
  run(): void
}

interface ParsedShortcut {
  mod: boolean
  ctrl: boolean
  shift: boolean
  alt: boolean
  key: string
}

/** Splits 'Mod+Shift+P'. @throws Error naming the shortcut when it has no key or an unknown modifier (a registry bug). */
export function parseShortcut(shortcut: Shortcut): ParsedShortcut {
  const parts = shortcut.split('+')
  const key = parts.pop() ?? ''
  const parsed: ParsedShortcut = { mod: false, ctrl: false, shift: false, alt: false, key: key.toLowerCase() }
  for (const part of parts) {
    const modifier = part.toLowerCase()
    if (modifier === 'mod') parsed.mod = true
    else if (modifier === 'ctrl') parsed.ctrl = true
    else if (modifier === 'shift') parsed.shift = true
    else if (modifier === 'alt') parsed.alt = true
    else throw new Error(`Shortcut ${shortcut} has an unknown modifier '${part}'`)
  }
  if (!parsed.key) throw new Error(`Shortcut ${shortcut} names no key`)
  return parsed
}

/** The keys of an event, as far as shortcuts care. */
export interface KeyPress {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/** True when `event` is exactly `shortcut` (no extra modifiers) on this platform. */
export function matchesShortcut(event: KeyPress, shortcut: Shortcut, isMac: boolean): boolean {
  const s = parseShortcut(shortcut)
  const wantCtrl = s.ctrl || (s.mod && !isMac)
  const wantMeta = s.mod && isMac
  const keyMatches = /^[a-z]$/.test(s.key)
    ? event.code === `Key${s.key.toUpperCase()}`
    : /^[0-9]$/.test(s.key)
      ? event.code === `Digit${s.key}`
      : event.key.toLowerCase() === s.key
  return (
    keyMatches &&
    event.ctrlKey === wantCtrl &&
    event.metaKey === wantMeta &&
    event.shiftKey === s.shift &&
    event.altKey === s.alt
  )
}

/** How to show a shortcut: 'Ctrl+Shift+P' elsewhere, '⇧⌘P' on macOS. */
export function shortcutLabel(shortcut: Shortcut, isMac: boolean): string {
  const s = parseShortcut(shortcut)
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key.charAt(0).toUpperCase() + s.key.slice(1)
  if (isMac) return `${s.ctrl ? '⌃' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${s.mod ? '⌘' : ''}${key === 'Enter' ? '↩' : key}`
  return [s.ctrl || s.mod ? 'Ctrl' : '', s.alt ? 'Alt' : '', s.shift ? 'Shift' : '', key].filter(Boolean).join('+')
}

/** The enabled command bound to `event` for `phase`, if any. */
export function commandForKey(commands: readonly Command[], event: KeyPress, phase: 'capture' | 'bubble', isMac: boolean): Command | undefined {
  return commands.find(
    (c) => c.enabled !== false && (c.phase ?? 'bubble') === phase && (c.shortcuts ?? []).some((shortcut) => matchesShortcut(event, shortcut, isMac))
  )
}

/** Two commands bound to the same keys would make one unreachable: list such clashes (checked by a test). */
export function shortcutClashes(commands: readonly Command[]): string[] {
  const seen = new Map<string, string>()
  const clashes: string[] = []
  for (const command of commands) {
    for (const shortcut of command.shortcuts ?? []) {
      const s = parseShortcut(shortcut)
      const id = `${s.mod}|${s.ctrl}|${s.shift}|${s.alt}|${s.key}`
      const other = seen.get(id)
      if (other) clashes.push(`${shortcut}: ${other} and ${command.id}`)
      else seen.set(id, command.id)
    }
  }
  return clashes
}
