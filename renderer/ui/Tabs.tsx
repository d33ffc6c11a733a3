// Tabs: a WAI-ARIA tab list (arrow keys move between tabs, Home/End jump); the caller renders the selected panel.
import { type KeyboardEvent, useRef } from 'react'
import './tabs.css'

export interface TabItem<Id extends string> {
  id: Id
  label: string
  /** A short count or note shown after the label. */
  badge?: string | number
}

export interface TabsProps<Id extends string> {
  tabs: TabItem<Id>[]
  selected: Id
  onSelect(id: Id): void
  label: string
  /** Prefix for the tab/panel ids, unique on the page. */
  idPrefix: string
}

/** Tab buttons only; give the panel `id={tabPanelId(idPrefix, selected)}` and `aria-labelledby={tabId(idPrefix, selected)}`. */
export function Tabs<Id extends string>({ tabs, selected, onSelect, label, idPrefix }: TabsProps<Id>) {
  const list = useRef<HTMLDivElement>(null)
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === selected)
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key]
    if (next === undefined) return
    event.preventDefault()
    const tab = tabs[(next + tabs.length) % tabs.length]!
    onSelect(tab.id)
    list.current?.querySelector<HTMLButtonElement>(`#${CSS.escape(tabId(idPrefix, tab.id))}`)?.focus()
  }
  return (
    <div ref={list} className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={tabId(idPrefix, tab.id)}
          aria-selected={tab.id === selected}
          aria-controls={tabPanelId(idPrefix, tab.id)}
          tabIndex={tab.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
          {tab.badge !== undefined && <span className="tab-badge">{tab.badge}</span>}
        </button>
      ))}
    </div>
  )
}

export const tabId = (prefix: string, id: string) => `${prefix}-tab-${id}`
export const tabPanelId = (prefix: string, id: string) => `${prefix}-panel-${id}`
