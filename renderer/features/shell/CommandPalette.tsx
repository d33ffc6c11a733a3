// CommandPalette: a modal list of every workbench action, filtered as you type; Enter runs the highlighted one.
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react'

/** One action the palette lists (the app's command registry supplies them). */
export interface PaletteCommand {
  id: string
  title: string
  /** How to press it, already formatted for this platform ("Ctrl+Shift+P"). */
  shortcutLabel?: string
  /** false hides it for now (e.g. "Close table" with no table open). */
  enabled?: boolean
  run(): void
}

/** Commands whose title contains every word of `query` (case-insensitive), in their given order. */
export function filterCommands<T extends PaletteCommand>(commands: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return commands.filter((c) => c.enabled !== false && words.every((w) => c.title.toLowerCase().includes(w)))
}

export function CommandPalette({ commands, onClose }: { commands: readonly PaletteCommand[]; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const list = useRef<HTMLUListElement>(null)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const shown = useMemo(() => filterCommands(commands, query), [commands, query])
  const highlighted = shown[Math.min(active, shown.length - 1)]

  useEffect(() => {
    const element = dialog.current!
    if (!element.open) element.showModal()
    return () => element.close()
  }, [])
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [active, query])

  const runCommand = (command: PaletteCommand | undefined) => {
    if (!command) return
    onClose()
    // After the palette has closed, so an action that moves focus (Go to…, Focus explorer) keeps it.
    requestAnimationFrame(() => command.run())
  }
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((i) => Math.min(i + 1, shown.length - 1))
    else if (event.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0))
    else if (event.key === 'Enter') runCommand(highlighted)
    else return
    event.preventDefault()
  }

  return (
    <dialog
      ref={dialog}
      className="dialog palette"
      aria-label="Command palette"
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
      onClick={(event) => event.target === dialog.current && onClose()}
    >
      <input
        className="palette-input"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={highlighted ? `palette-${highlighted.id}` : undefined}
        aria-label="Type a command"
        placeholder="Type a command…"
        value={query}
        autoFocus
        spellCheck={false}
        onChange={(event) => {
          setQuery(event.target.value)
          setActive(0)
        }}
        onKeyDown={onKey}
      />
      <ul ref={list} id="palette-list" className="palette-list" role="listbox" aria-label="Commands">
        {shown.map((command) => (
          <li
            key={command.id}
            id={`palette-${command.id}`}
            role="option"
            aria-selected={command === highlighted}
            className="palette-item"
            onMouseMove={() => setActive(shown.indexOf(command))}
            onClick={() => runCommand(command)}
          >
            <span>{command.title}</span>
            {command.shortcutLabel && <kbd>{command.shortcutLabel}</kbd>}
          </li>
        ))}
        {shown.length === 0 && <li className="palette-empty">No command matches “{query}”.</li>}
      </ul>
    </dialog>
  )
}
