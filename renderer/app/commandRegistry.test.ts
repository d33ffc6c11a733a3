// Tests for shortcut parsing, matching per platform, labels, and the workbench command list's bindings.
import { describe, expect, it, vi } from 'vitest'
import { type KeyPress, commandForKey, matchesShortcut, parseShortcut, shortcutClashes, shortcutLabel } from './commandRegistry'
import { type WorkbenchActions, workbenchCommands } from './workbenchCommands'

const press = (key: string, code: string, mods: Partial<Omit<KeyPress, 'key' | 'code'>> = {}): KeyPress => ({
  key, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods
})

function actions(): WorkbenchActions {
  return {
    openPalette: vi.fn(), runQuery: vi.fn(), newEditorTab: vi.fn(), openLakehouse: vi.fn(), newLakehouse: vi.fn(), toggleTheme: vi.fn(),
    focusExplorer: vi.fn(), focusWorkspaceTabs: vi.fn(), showView: vi.fn(),
    views: [{ id: 'sql', title: 'SQL editor' }, { id: 'pipelines', title: 'Pipelines' }, { id: 'quality', title: 'Quality' }]
  }
}

describe('shortcuts', () => {
  it('parses modifiers and rejects unknown ones', () => {
    expect(parseShortcut('Mod+Shift+P')).toEqual({ mod: true, ctrl: false, shift: true, alt: false, key: 'p' })
    expect(() => parseShortcut('Hyper+P')).toThrow("Shortcut Hyper+P has an unknown modifier 'Hyper'")
  })

  it('matches Mod as Ctrl elsewhere and Cmd on macOS, exactly', () => {
    const ctrlShiftP = press('P', 'KeyP', { ctrlKey: true, shiftKey: true })
    expect(matchesShortcut(ctrlShiftP, 'Mod+Shift+P', false)).toBe(true)
    expect(matchesShortcut(ctrlShiftP, 'Mod+Shift+P', true)).toBe(false)
    expect(matchesShortcut(press('p', 'KeyP', { metaKey: true, shiftKey: true }), 'Mod+Shift+P', true)).toBe(true)
    // An extra modifier is a different shortcut.
    expect(matchesShortcut(press('P', 'KeyP', { ctrlKey: true, shiftKey: true, altKey: true }), 'Mod+Shift+P', false)).toBe(false)
    expect(matchesShortcut(press('Enter', 'Enter', { ctrlKey: true }), 'Mod+Enter', false)).toBe(true)
  })

  it('matches letters and digits by physical key, whatever character Alt or Shift produce', () => {
    expect(matchesShortcut(press('¡', 'Digit1', { altKey: true }), 'Alt+1', true)).toBe(true)
    expect(matchesShortcut(press('T', 'KeyT', { altKey: true, shiftKey: true }), 'Alt+Shift+T', false)).toBe(true)
    expect(matchesShortcut(press('2', 'Digit2', { altKey: true }), 'Alt+1', false)).toBe(false)
  })

  it('labels shortcuts per platform', () => {
    expect(shortcutLabel('Mod+Shift+P', false)).toBe('Ctrl+Shift+P')
    expect(shortcutLabel('Mod+Shift+P', true)).toBe('⇧⌘P')
    expect(shortcutLabel('Mod+Enter', true)).toBe('⌘↩')
    expect(shortcutLabel('Alt+1', false)).toBe('Alt+1')
  })
})

describe('workbenchCommands', () => {
  it('lists every shell action with unique ids and no two commands on the same keys', () => {
    const commands = workbenchCommands(actions())
    const ids = commands.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expect.arrayContaining(['palette.open', 'editor.run', 'editor.newTab', 'lakehouse.open', 'lakehouse.new', 'theme.toggle', 'view.sql', 'view.pipelines', 'view.quality', 'explorer.focus']))
    expect(shortcutClashes(commands)).toEqual([])
    expect(commands.find((c) => c.id === 'view.quality')?.title).toBe('Go to Quality')
  })

  it('finds the command for a key press in its phase and runs the right action', () => {
    const a = actions()
    const commands = workbenchCommands(a)
    const palette = commandForKey(commands, press('P', 'KeyP', { ctrlKey: true, shiftKey: true }), 'capture', false)
    expect(palette?.id).toBe('palette.open')
    // Ctrl+K is left to the editor's own two-key chords (Ctrl+K Ctrl+C comments a line).
    expect(commandForKey(commands, press('k', 'KeyK', { ctrlKey: true }), 'capture', false)).toBeUndefined()
    // Run query waits for the bubble phase, so the editor's own Ctrl+Enter wins when it has focus.
    expect(commandForKey(commands, press('Enter', 'Enter', { ctrlKey: true }), 'capture', false)).toBeUndefined()
    commandForKey(commands, press('Enter', 'Enter', { ctrlKey: true }), 'bubble', false)?.run()
    expect(a.runQuery).toHaveBeenCalledOnce()
    commandForKey(commands, press('2', 'Digit2', { altKey: true }), 'capture', false)?.run()
    expect(a.showView).toHaveBeenCalledWith('pipelines')
  })

  it('offers the streaming actions when the shell provides them', () => {
    const stream = { startQuery: vi.fn(), stopQuery: vi.fn(), toggleProducer: vi.fn(), stepProducer: vi.fn() }
    const commands = workbenchCommands({ ...actions(), stream })
    expect(commands.filter((c) => c.id.startsWith('stream.')).map((c) => c.title)).toEqual([
      'Start streaming query',
      'Stop streaming query',
      'Start / pause the live producer',
      'Step the live producer (write one file)'
    ])
    commands.find((c) => c.id === 'stream.start')?.run()
    expect(stream.startQuery).toHaveBeenCalledOnce()
    expect(workbenchCommands(actions()).some((c) => c.id.startsWith('stream.'))).toBe(false)
  })

  it('offers Close table page only while a table is open', () => {
    expect(workbenchCommands(actions()).some((c) => c.id === 'table.close')).toBe(false)
    expect(workbenchCommands({ ...actions(), closeTable: vi.fn() }).some((c) => c.id === 'table.close')).toBe(true)
  })
})
