// ExplorerTree: schemas and tables as one WAI-ARIA tree with a single Tab stop; arrows, Home/End and typeahead move, Enter acts.
import { type DragEvent, type FocusEvent, type KeyboardEvent, type ReactNode, useRef, useState } from 'react'
import type { SchemaNode } from './explorerStore'
import { type TreeItem, actionForKey, tabStopId, typeaheadIndex, visibleItems } from './treeNavigation'

export interface ExplorerTreeProps {
  schemas: readonly SchemaNode[]
  /** Schema names that are collapsed. */
  collapsed: Readonly<Record<string, boolean>>
  onToggle(schema: string): void
  /** The rows · size · last change line of a table; `id` is what the table's item points aria-describedby at. */
  renderMeta(qualified: string, id: string): ReactNode
  onInsertTable(qualified: string): void
  onPreviewTable(qualified: string): void
  onOpenTable?(qualified: string): void
}

/** Letters typed closer together than this extend the typeahead prefix; a longer pause starts a new one. */
const TYPEAHEAD_PAUSE_MS = 700

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
/** Preview is Ctrl/⌘+Enter, like running a statement in the editor: it runs `SELECT * … LIMIT 100`. */
const PREVIEW_KEYS = isMac ? { aria: 'Meta+Enter', label: '⌘Enter' } : { aria: 'Control+Enter', label: 'Ctrl+Enter' }

export function ExplorerTree({ schemas, collapsed, onToggle, renderMeta, onInsertTable, onPreviewTable, onOpenTable }: ExplorerTreeProps) {
  const items = visibleItems(schemas, collapsed)
  // Roving tabindex: the last focused item keeps the tree's only Tab stop, so Tab leaves and re-enters at the same row.
  const [lastFocused, setLastFocused] = useState<string | null>(null)
  const tabStop = tabStopId(items, lastFocused)
  const elements = useRef(new Map<string, HTMLLIElement>())
  const typed = useRef({ text: '', at: 0 })

  const focusItem = (id: string) => {
    setLastFocused(id)
    elements.current.get(id)?.focus()
  }
  const register = (id: string) => (element: HTMLLIElement | null) => {
    if (element) elements.current.set(id, element)
    else elements.current.delete(id)
  }
  // Items nest (a schema's item holds its tables' items): only the innermost one takes the focus it receives.
  const tookFocus = (id: string) => (event: FocusEvent<HTMLLIElement>) => {
    if ((event.target as HTMLElement).closest('[role="treeitem"]') === event.currentTarget) setLastFocused(id)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const target = event.target as HTMLElement
    // Keys pressed on a hover button (focused by a click) belong to that button.
    if (target.getAttribute('role') !== 'treeitem') return
    const index = items.findIndex((item) => item.id === target.dataset.itemId)
    const action = actionForKey(items, index, event)
    if (!action) return
    event.preventDefault()
    event.stopPropagation()
    // Any other key ends a typeahead word: "g", End, "w" looks for "w", not "gw".
    if (action.type !== 'typeahead') typed.current.text = ''
    switch (action.type) {
      case 'focus':
        return focusItem(action.id)
      case 'expand':
      case 'collapse':
        return onToggle(action.schema)
      case 'expandAll':
        return schemas.filter((schema) => collapsed[schema.name]).forEach((schema) => onToggle(schema.name))
      case 'insert':
        return onInsertTable(action.qualified)
      case 'preview':
        return onPreviewTable(action.qualified)
      case 'open':
        return onOpenTable?.(action.qualified)
      case 'typeahead': {
        const now = Date.now()
        const text = now - typed.current.at > TYPEAHEAD_PAUSE_MS || typed.current.text === '' ? action.char : typed.current.text + action.char
        typed.current = { text, at: now }
        const found = typeaheadIndex(items, index, text)
        if (found !== undefined) focusItem(items[found]!.id)
      }
    }
  }

  const itemProps = (item: TreeItem): TreeItemAttributes => ({
    role: 'treeitem',
    'aria-level': item.level,
    'data-item-id': item.id,
    tabIndex: item.id === tabStop ? 0 : -1,
    ref: register(item.id),
    onFocus: tookFocus(item.id)
  })

  return (
    <ul className="tree" role="tree" aria-label="Tables" onKeyDown={onKeyDown}>
      {schemas.map((schema) => {
        const schemaItem = items.find((item) => item.kind === 'schema' && item.schema === schema.name)!
        const expanded = !collapsed[schema.name]
        return (
          <li key={schema.name} {...itemProps(schemaItem)} className="tree-node" aria-expanded={expanded} aria-label={`Schema ${schema.name}`}>
            <div className="tree-row tree-schema" onClick={() => onToggle(schema.name)}>
              <span className="chevron" aria-hidden="true">
                {expanded ? '▾' : '▸'}
              </span>
              <span className="tree-label">{schema.name}</span>
              <span className="count" aria-hidden="true">
                {schema.tables.length}
              </span>
            </div>
            {expanded && (
              <ul role="group" className="tree-tables" aria-label={`Tables in ${schema.name}`}>
                {schema.tables.length === 0 && (
                  <li role="none" className="explorer-note indent">
                    No tables
                  </li>
                )}
                {schema.tables.map((table) => {
                  const qualified = `${table.schema}.${table.name}`
                  const item = items.find((candidate) => candidate.kind === 'table' && candidate.qualified === qualified)!
                  return (
                    <TableItem key={table.name} itemProps={itemProps(item)} qualified={qualified} name={table.name} meta={renderMeta} onInsert={onInsertTable} onPreview={onPreviewTable} onOpen={onOpenTable} />
                  )
                })}
              </ul>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/** Lets the name be dropped into the SQL editor (or any text field) as `schema.table`. */
function dragName(event: DragEvent<HTMLElement>, qualified: string): void {
  event.dataTransfer.setData('text/plain', qualified)
  event.dataTransfer.effectAllowed = 'copy'
}

/** What makes an <li> one item of the tree: role, level, roving tabindex, and the hooks that track focus. */
interface TreeItemAttributes {
  role: 'treeitem'
  'aria-level': number
  'data-item-id': string
  tabIndex: number
  ref(element: HTMLLIElement | null): void
  onFocus(event: FocusEvent<HTMLLIElement>): void
}

interface TableItemProps {
  itemProps: TreeItemAttributes
  qualified: string
  name: string
  meta(qualified: string, id: string): ReactNode
  onInsert(name: string): void
  onPreview(name: string): void
  onOpen: ((name: string) => void) | undefined
}

/**
 * A table's item: click or Enter inserts the name, double-click or Ctrl/⌘+Enter previews, Shift+Enter opens its page.
 * The ▶ and ◷ buttons show on hover for the mouse and stay out of the Tab order (the keys above reach the same actions).
 */
function TableItem({ itemProps, qualified, name, meta, onInsert, onPreview, onOpen }: TableItemProps) {
  const metaId = `table-meta-line-${qualified}`
  const keys = ['Enter', PREVIEW_KEYS.aria, ...(onOpen ? ['Shift+Enter'] : [])]
  const title = [
    `Insert ${qualified} at the cursor: click or Enter (or drag it into the editor)`,
    `Preview: ${PREVIEW_KEYS.label} or double-click`,
    ...(onOpen ? ['Open its page (versions, diff, profile, restore): Shift+Enter'] : [])
  ].join('\n')
  return (
    <li
      {...itemProps}
      className="tree-node tree-table"
      aria-label={`Insert ${qualified}`}
      aria-describedby={metaId}
      aria-keyshortcuts={keys.join(' ')}
      title={title}
      draggable
      onDragStart={(event) => dragName(event, qualified)}
      onClick={() => onInsert(qualified)}
      onDoubleClick={() => onPreview(qualified)}
    >
      <div className="tree-row">
        <span className="tree-table-name">
          <span className="table-icon" aria-hidden="true" />
          <span className="tree-label">{name}</span>
        </span>
        {/* The buttons' clicks are theirs alone: without stopping them, the item would also insert the name. */}
        <span className="tree-table-actions" onClick={(event) => event.stopPropagation()} onDoubleClick={(event) => event.stopPropagation()}>
          <button type="button" tabIndex={-1} className="icon-button preview" aria-label={`Preview ${qualified}`} title={`SELECT * FROM ${qualified} LIMIT 100 (${PREVIEW_KEYS.label})`} onClick={() => onPreview(qualified)}>
            ▶
          </button>
          {onOpen && (
            <button type="button" tabIndex={-1} className="icon-button history" aria-label={`Open ${qualified}`} title={`Versions, diff, profile and restore of ${qualified} (Shift+Enter)`} onClick={() => onOpen(qualified)}>
              ◷
            </button>
          )}
        </span>
        {meta(qualified, metaId)}
      </div>
    </li>
  )
}
