// LakehouseSwitcher: the header's lakehouse name as a menu of recent lakehouses plus "Open lakehouse…" and "New lakehouse…".
import { type KeyboardEvent, useEffect, useRef, useState } from 'react'
import type { LakehouseInfo, RecentLakehouse } from '../../../engine/api/lakehouseApi'
import { useEngine } from '../../platform/engineContext'
import { nativeFolderPicker } from '../../platform/folderPicker'
import { LakehouseDialog } from './LakehouseDialog'
import { useLakehouseStore } from './lakehouseStore'
import './shell.css'

export interface LakehouseSwitcherProps {
  /** The lakehouse open now (null while loading or when there is none). */
  info: LakehouseInfo | null
  /** Shown in place of the name when there is no lakehouse ("Not connected", "…"). */
  placeholder: string
}

export function LakehouseSwitcher({ info, placeholder }: LakehouseSwitcherProps) {
  const engine = useEngine()
  const { recents, dialog, working } = useLakehouseStore()
  const [menuOpen, setMenuOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)

  // Reload the list whenever a lakehouse opens, so "last opened" and the order stay true.
  useEffect(() => {
    void useLakehouseStore.getState().loadRecents(engine)
    return engine.onEvent((event) => {
      if (event.type === 'lakehouse.opened') void useLakehouseStore.getState().loadRecents(engine)
      if (event.type === 'lakehouse.progress') useLakehouseStore.getState().progress(event.dir, event.step)
    })
  }, [engine])

  useEffect(() => {
    if (!menuOpen) return
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus()
    const closeOutside = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setMenuOpen(false)
    }
    document.addEventListener('mousedown', closeOutside)
    return () => document.removeEventListener('mousedown', closeOutside)
  }, [menuOpen])

  const close = (refocus: boolean) => {
    setMenuOpen(false)
    if (refocus) button.current?.focus()
  }
  const openRecent = (recent: RecentLakehouse) => {
    close(true)
    if (recent.root !== info?.root) void useLakehouseStore.getState().openLakehouse(engine, recent.root)
  }

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])]
    const at = items.indexOf(document.activeElement as HTMLElement)
    const moveTo = (index: number) => items[(index + items.length) % items.length]?.focus()
    if (event.key === 'ArrowDown') moveTo(at + 1)
    else if (event.key === 'ArrowUp') moveTo(at - 1)
    else if (event.key === 'Home') moveTo(0)
    else if (event.key === 'End') moveTo(items.length - 1)
    else if (event.key === 'Escape') close(true)
    else if (event.key === 'Tab') close(false)
    else return
    if (event.key !== 'Tab') event.preventDefault()
  }

  const others = recents.filter((recent) => recent.root !== info?.root)

  return (
    <div className="lakehouse">
      <h1 className="lakehouse-name">
        <button
          ref={button}
          type="button"
          className="lakehouse-switch"
          aria-haspopup="menu"
          aria-expanded={menuOpen}
          aria-controls="lakehouse-menu"
          title="Switch lakehouse: recent, open or new"
          onClick={() => setMenuOpen((open) => !open)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' && !menuOpen) {
              event.preventDefault()
              setMenuOpen(true)
            }
          }}
        >
          {working ? (working.kind === 'open' ? 'Opening…' : 'Creating…') : (info?.name ?? placeholder)}
          <span className="chevron-down" aria-hidden="true">▾</span>
        </button>
      </h1>
      {info && (
        <span className="lakehouse-path" title={info.root}>
          {info.root}
        </span>
      )}
      {menuOpen && (
        <div ref={menu} id="lakehouse-menu" className="lakehouse-menu" role="menu" aria-label="Lakehouses" onKeyDown={onMenuKey}>
          <div className="menu-heading" role="presentation">
            Recent lakehouses
          </div>
          {others.length === 0 && (
            <div className="menu-note" role="presentation">
              None yet: lakehouses you open appear here.
            </div>
          )}
          {others.map((recent) => (
            <button
              key={recent.root}
              type="button"
              role="menuitem"
              className="menu-item recent"
              aria-disabled={!recent.available}
              aria-label={`${recent.name} — ${recent.root}${recent.available ? '' : ' (missing)'}`}
              tabIndex={-1}
              onClick={() => recent.available && openRecent(recent)}
            >
              <span className="recent-line">
                <span className="recent-name">{recent.name}</span>
                <span className="recent-when">{recent.available ? openedAgo(recent.lastOpened) : 'folder missing'}</span>
              </span>
              <span className="recent-path">{recent.root}</span>
            </button>
          ))}
          <div className="menu-sep" role="separator" />
          <button type="button" role="menuitem" className="menu-item" tabIndex={-1} onClick={() => void startOpen(engine, () => close(false))}>
            Open lakehouse…
          </button>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            tabIndex={-1}
            onClick={() => {
              close(false)
              useLakehouseStore.getState().showDialog('create')
            }}
          >
            New lakehouse…
          </button>
        </div>
      )}
      {dialog && <LakehouseDialog key={dialog.kind} kind={dialog.kind} initialDir={dialog.dir} />}
    </div>
  )
}

/**
 * "Open lakehouse…": in the desktop app a native folder dialog, opening what the user picks (a failure shows the
 * dialog with the sentence); in the browser the dialog with a path field.
 */
export async function startOpen(engine: ReturnType<typeof useEngine>, beforeShowing?: () => void): Promise<void> {
  beforeShowing?.()
  const pick = nativeFolderPicker()
  if (!pick) {
    useLakehouseStore.getState().showDialog('open')
    return
  }
  const dir = await pick('open')
  if (dir) await useLakehouseStore.getState().openLakehouse(engine, dir)
}

/** "opened 5 min ago" style, coarse on purpose: the order matters more than the minute. */
export function openedAgo(lastOpened: number, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - lastOpened) / 60_000))
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.round(hours / 24)
  if (days < 14) return `${days} d ago`
  return new Date(lastOpened).toLocaleDateString()
}
