// treeNavigation: the explorer as a WAI-ARIA tree: its visible items in order, and what each key does to them (no DOM, no React).
import type { SchemaNode } from './explorerStore'

/** One visible row of the tree: a schema (level 1) or one of its tables (level 2). */
export type TreeItem =
  | { id: string; kind: 'schema'; level: 1; label: string; schema: string; expanded: boolean; childCount: number }
  | { id: string; kind: 'table'; level: 2; label: string; qualified: string; parentId: string }

export const schemaItemId = (schema: string): string => `schema:${schema}`
export const tableItemId = (qualified: string): string => `table:${qualified}`

/** The rows a user can reach, top to bottom: every schema, followed by its tables while it is expanded. */
export function visibleItems(schemas: readonly SchemaNode[], collapsed: Readonly<Record<string, boolean>>): TreeItem[] {
  const items: TreeItem[] = []
  for (const schema of schemas) {
    const id = schemaItemId(schema.name)
    const expanded = !collapsed[schema.name]
    items.push({ id, kind: 'schema', level: 1, label: schema.name, schema: schema.name, expanded, childCount: schema.tables.length })
    if (!expanded) continue
    for (const table of schema.tables) {
      const qualified = `${table.schema}.${table.name}`
      items.push({ id: tableItemId(qualified), kind: 'table', level: 2, label: table.name, qualified, parentId: id })
    }
  }
  return items
}

/**
 * The item that takes the tree's single Tab stop: the last focused one while it is visible, else its schema when that
 * was collapsed over it, else the first item; undefined for an empty tree.
 */
export function tabStopId(items: readonly TreeItem[], lastFocused: string | null): string | undefined {
  const last = lastFocused === null ? undefined : items.find((item) => item.id === lastFocused)
  if (last) return last.id
  const parent = lastFocused?.startsWith('table:') ? items.find((item) => item.kind === 'schema' && lastFocused.startsWith(`table:${item.schema}.`)) : undefined
  return parent?.id ?? items[0]?.id
}

/** What a key press on an item asks for; the component carries it out. */
export type TreeAction =
  | { type: 'focus'; id: string }
  | { type: 'expand' | 'collapse'; schema: string }
  | { type: 'expandAll' }
  | { type: 'insert' | 'preview' | 'open'; qualified: string }
  | { type: 'typeahead'; char: string }

export interface TreeKey {
  key: string
  shiftKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
}

/**
 * The action for `key` pressed on `items[index]`, or undefined when the tree leaves the key alone (Tab, shortcuts of
 * the workbench). Up/Down move, Right expands or enters, Left collapses or climbs, Home/End jump, Enter/Space toggle a
 * schema, Enter inserts a table, Shift+Enter opens it, Ctrl/⌘+Enter previews it, `*` expands every schema, a letter
 * jumps by typeahead.
 */
export function actionForKey(items: readonly TreeItem[], index: number, key: TreeKey): TreeAction | undefined {
  const item = items[index]
  if (!item) return undefined
  const plain = !key.ctrlKey && !key.metaKey && !key.altKey
  const focus = (target: TreeItem | undefined): TreeAction | undefined => (target ? { type: 'focus', id: target.id } : undefined)
  if (key.key === 'Enter' && !key.altKey) {
    if (item.kind === 'schema') return plain && !key.shiftKey ? { type: item.expanded ? 'collapse' : 'expand', schema: item.schema } : undefined
    if (key.ctrlKey || key.metaKey) return { type: 'preview', qualified: item.qualified }
    return { type: key.shiftKey ? 'open' : 'insert', qualified: item.qualified }
  }
  if (!plain) return undefined
  switch (key.key) {
    case 'ArrowDown':
      return focus(items[index + 1])
    case 'ArrowUp':
      return focus(items[index - 1])
    case 'Home':
      return focus(items[0])
    case 'End':
      return focus(items[items.length - 1])
    case 'ArrowRight':
      if (item.kind !== 'schema') return undefined
      if (!item.expanded) return { type: 'expand', schema: item.schema }
      return item.childCount > 0 ? focus(items[index + 1]) : undefined
    case 'ArrowLeft':
      if (item.kind === 'table') return focus(items.find((candidate) => candidate.id === item.parentId))
      return item.expanded ? { type: 'collapse', schema: item.schema } : undefined
    case ' ':
      return item.kind === 'schema' ? { type: item.expanded ? 'collapse' : 'expand', schema: item.schema } : undefined
    case '*':
      return { type: 'expandAll' }
  }
  if (key.key.length === 1 && key.key.trim() !== '') return { type: 'typeahead', char: key.key }
  return undefined
}

/**
 * The index of the item typeahead lands on: the first one after `from` (wrapping) whose name starts with `prefix`,
 * ignoring case. A prefix of one repeated letter cycles through the names starting with that letter, as file
 * managers do. Undefined when no name matches.
 */
export function typeaheadIndex(items: readonly TreeItem[], from: number, prefix: string): number | undefined {
  const wanted = prefix.toLowerCase()
  const cycling = wanted.length > 1 && [...wanted].every((c) => c === wanted[0])
  const needle = cycling ? wanted[0]! : wanted
  // A longer prefix may still match the current item ("s" then "si" on silver); a single letter moves on.
  const start = needle.length > 1 ? from : from + 1
  for (let step = 0; step < items.length; step++) {
    const i = (start + step) % items.length
    if (items[i]!.label.toLowerCase().startsWith(needle)) return i
  }
  return undefined
}
