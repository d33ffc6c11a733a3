// Component tests for the command palette: every command listed, filtering by words, arrows + Enter run, Escape closes.
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { CommandPalette, type PaletteCommand, filterCommands } from './CommandPalette'

const commands = (): PaletteCommand[] => [
  { id: 'editor.run', title: 'Run query', shortcutLabel: 'Ctrl+Enter', run: vi.fn() },
  { id: 'theme.toggle', title: 'Toggle light / dark theme', run: vi.fn() },
  { id: 'view.quality', title: 'Go to Quality', run: vi.fn() },
  { id: 'table.close', title: 'Close table page', enabled: false, run: vi.fn() }
]

describe('filterCommands', () => {
  it('keeps enabled commands whose title holds every word, in order', () => {
    expect(filterCommands(commands(), '').map((c) => c.id)).toEqual(['editor.run', 'theme.toggle', 'view.quality'])
    expect(filterCommands(commands(), 'dark TOGGLE').map((c) => c.id)).toEqual(['theme.toggle'])
    expect(filterCommands(commands(), 'close')).toEqual([])
  })
})

describe('CommandPalette', () => {
  it('lists the commands with their shortcuts and runs the one chosen with the arrows and Enter', async () => {
    const list = commands()
    const onClose = vi.fn()
    const user = userEvent.setup()
    render(<CommandPalette commands={list} onClose={onClose} />)
    const options = screen.getAllByRole('option')
    expect(options.map((o) => o.textContent)).toEqual(['Run queryCtrl+Enter', 'Toggle light / dark theme', 'Go to Quality'])
    expect(options[0]!.getAttribute('aria-selected')).toBe('true')
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}')
    expect(onClose).toHaveBeenCalledOnce()
    await waitFor(() => expect(list[2]!.run).toHaveBeenCalledOnce())
    expect(list[0]!.run).not.toHaveBeenCalled()
  })

  it('filters as you type, says when nothing matches, and closes on Escape', async () => {
    const onClose = vi.fn()
    const user = userEvent.setup()
    render(<CommandPalette commands={commands()} onClose={onClose} />)
    const input = screen.getByRole('combobox', { name: 'Type a command' })
    await user.type(input, 'quality')
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Go to Quality'])
    expect(input.getAttribute('aria-activedescendant')).toBe('palette-view.quality')
    await user.clear(input)
    await user.type(input, 'zzz')
    expect(screen.getByText('No command matches “zzz”.')).toBeTruthy()
    // Browsers turn Escape in a modal <dialog> into `cancel`; happy-dom does not, so it is dispatched here.
    const cancel = new Event('cancel', { cancelable: true })
    fireEvent(screen.getByRole('dialog', { name: 'Command palette' }), cancel)
    expect(onClose).toHaveBeenCalledOnce()
    expect(cancel.defaultPrevented).toBe(true)
  })
})
