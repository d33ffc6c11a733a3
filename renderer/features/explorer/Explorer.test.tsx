// Component tests for the explorer: schemas and tables from the engine, the three table actions by mouse, refresh on engine events, drag.
import { fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { EngineError } from '../../../engine/api/errors'
import { type FakeTable, createFakeEngine } from '../../../engine/testing/fakeEngine'
import { callsTo, renderWithEngine } from '../../testing/renderWithEngine'
import { Explorer } from './Explorer'
import { shortBytes } from './tableFacts'

const tables = (): FakeTable[] => [
  { schema: 'silver', name: 'workouts', versions: [{ id: [1, 2] }] },
  { schema: 'bronze', name: 'raw_workouts', versions: [{ id: [1] }] },
  { schema: 'silver', name: 'users', versions: [{ id: [1] }] },
  { schema: 'gold', name: 'daily', versions: [{ id: [1] }] }
]

const tableNames = (schema: string) =>
  within(screen.getByRole('group', { name: `Tables in ${schema}` }))
    .getAllByRole('treeitem', { name: /^Insert / })
    .map((item) => item.querySelector('.tree-label')!.textContent)

describe('Explorer', () => {
  it('lists each schema the engine reports (bronze, silver, gold first) with the tables the engine lists under it', async () => {
    const { engine } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    expect(await screen.findByRole('treeitem', { name: 'Schema bronze' })).toBeTruthy()
    const schemaButtons = within(screen.getByRole('tree', { name: 'Tables' })).getAllByRole('treeitem', { name: /^Schema / })
    expect(schemaButtons.map((b) => b.getAttribute('aria-label'))).toEqual(['Schema bronze', 'Schema silver', 'Schema gold'])
    expect(tableNames('silver')).toEqual(['workouts', 'users'])
    expect(tableNames('bronze')).toEqual(['raw_workouts'])
    expect(callsTo(engine, 'tables.listSchemas')).toHaveLength(1)
  })

  it('hands the qualified name to insert (click), preview and open (hover buttons) without inserting on a button click', async () => {
    const onInsertTable = vi.fn()
    const onPreviewTable = vi.fn()
    const onOpenTable = vi.fn()
    const { user } = renderWithEngine(<Explorer onInsertTable={onInsertTable} onPreviewTable={onPreviewTable} onOpenTable={onOpenTable} />, { tables: tables() })
    await user.click(await screen.findByRole('treeitem', { name: 'Insert silver.users' }))
    await user.click(screen.getByRole('button', { name: 'Preview gold.daily' }))
    await user.click(screen.getByRole('button', { name: 'Open silver.workouts' }))
    expect(onInsertTable.mock.calls).toEqual([['silver.users']])
    expect(onPreviewTable.mock.calls).toEqual([['gold.daily']])
    expect(onOpenTable.mock.calls).toEqual([['silver.workouts']])
    await user.dblClick(screen.getByRole('treeitem', { name: 'Insert bronze.raw_workouts' }).querySelector('.tree-label')!)
    expect(onPreviewTable.mock.calls).toEqual([['gold.daily'], ['bronze.raw_workouts']])
    // A click on a schema's row folds it (and not its parent's or children's handlers).
    await user.click(screen.getByText('gold'))
    expect(screen.getByRole('treeitem', { name: 'Schema gold' }).getAttribute('aria-expanded')).toBe('false')
    expect(onInsertTable).toHaveBeenCalledTimes(3)
  })

  it('offers no open button when the shell gives no onOpenTable', async () => {
    renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    const users = await screen.findByRole('treeitem', { name: 'Insert silver.users' })
    expect(screen.queryByRole('button', { name: /^Open / })).toBeNull()
    expect(users.getAttribute('aria-keyshortcuts')).toBe('Enter Control+Enter')
    expect(users.getAttribute('title')).not.toContain('Shift+Enter')
  })

  it('collapses and expands a schema from the keyboard', async () => {
    const { user } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    const silver = await screen.findByRole('treeitem', { name: 'Schema silver' })
    expect(silver.getAttribute('aria-expanded')).toBe('true')
    silver.focus()
    await user.keyboard('{Enter}')
    expect(silver.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('group', { name: 'Tables in silver' })).toBeNull()
    await user.keyboard(' ')
    expect(tableNames('silver')).toEqual(['workouts', 'users'])
  })

  it('reloads when the engine reports that tables changed', async () => {
    const list = tables()
    const { emit, engine } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: list })
    await screen.findByRole('treeitem', { name: 'Insert silver.users' })
    expect(screen.queryByRole('treeitem', { name: 'Insert silver.sessions' })).toBeNull()
    list.push({ schema: 'silver', name: 'sessions', versions: [{ id: [7] }] })
    await emit({ type: 'tables.changed', statements: ['CREATE TABLE silver.sessions AS SELECT 7 AS id'] })
    expect(await screen.findByRole('treeitem', { name: 'Insert silver.sessions' })).toBeTruthy()
    expect(tableNames('silver')).toEqual(['workouts', 'users', 'sessions'])
    expect(callsTo(engine, 'tables.listTables')).toHaveLength(2)
  })

  it('reloads when Refresh is pressed', async () => {
    const list = tables()
    const { user } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: list })
    await screen.findByRole('treeitem', { name: 'Schema gold' })
    expect(screen.queryByRole('treeitem', { name: 'Schema system' })).toBeNull()
    list.push({ schema: 'system', name: 'pipeline_events', versions: [{ id: [1] }] })
    await user.click(screen.getByRole('button', { name: 'Refresh tables' }))
    expect(await screen.findByRole('group', { name: 'Tables in system' })).toBeTruthy()
    expect(tableNames('system')).toEqual(['pipeline_events'])
  })

  it('says why the tables could not be listed', async () => {
    const engine = createFakeEngine(tables())
    engine.tables.listTables = () => Promise.reject(new EngineError('NOT_A_LAKEHOUSE', 'The folder /x is not a lakehouse'))
    renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { engine })
    expect((await screen.findByRole('alert')).textContent).toBe('Could not list tables: The folder /x is not a lakehouse')
  })

  it('shows each table\'s rows, size and last change from the engine\'s summaries, exact values on hover', async () => {
    const { engine } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    const meta = await screen.findByTestId('table-meta-silver.workouts')
    const [summary] = (await engine.tables.summaries()).filter((s) => s.name === 'workouts')
    expect(meta.textContent).toContain(`${summary!.rows} rows`)
    expect(meta.textContent).toContain(shortBytes(summary!.sizeBytes!))
    expect(within(meta).getByText(shortBytes(summary!.sizeBytes!)).getAttribute('title')).toBe(`${summary!.sizeBytes!.toLocaleString('en-US')} bytes in 1 file`)
    const time = within(meta).getByText(/ ago$|^just now$/)
    expect(time.getAttribute('dateTime')).toBe(new Date(summary!.lastModified!).toISOString())
    expect(time.getAttribute('title')).toContain(`Version ${summary!.version} committed`)
  })

  it('reloads the summaries when tables change or another lakehouse opens, not on other events', async () => {
    const { emit, engine } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    await screen.findByTestId('table-meta-silver.workouts')
    await emit({ type: 'pipeline.progress', runId: 'r1', pipeline: 'p', flow: 'f' })
    expect(callsTo(engine, 'tables.summaries')).toHaveLength(1)
    await emit({ type: 'tables.changed', statements: [] })
    await emit({ type: 'lakehouse.opened', info: { root: '/other', name: 'other', formatVersion: 1 } })
    expect(callsTo(engine, 'tables.summaries')).toHaveLength(3)
  })

  it('puts the qualified name on the drag data so it can be dropped into the editor', async () => {
    renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    const name = await screen.findByRole('treeitem', { name: 'Insert silver.users' })
    expect(name.getAttribute('draggable')).toBe('true')
    const data = new Map<string, string>()
    fireEvent.dragStart(name, { dataTransfer: { setData: (type: string, value: string) => data.set(type, value) } })
    expect([...data]).toEqual([['text/plain', 'silver.users']])
  })

  it('says so when the lakehouse has no schemas', async () => {
    renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: [] })
    expect(await screen.findByText('This lakehouse has no schemas yet.')).toBeTruthy()
  })
})

/** The item holding the focus (its accessible name), or the focused element's tag when it is not a tree item. */
const focusedName = () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName
const tabStops = () => screen.getAllByRole('treeitem').filter((item) => item.tabIndex === 0).map((item) => item.getAttribute('aria-label'))

describe('Explorer keyboard (WAI-ARIA tree)', () => {
  const renderTree = () => {
    const handlers = { onInsertTable: vi.fn(), onPreviewTable: vi.fn(), onOpenTable: vi.fn() }
    const result = renderWithEngine(<Explorer {...handlers} />, { tables: tables() })
    return { ...result, ...handlers }
  }

  it('is one Tab stop: levels and expansion are announced, the hover buttons stay out of the Tab order', async () => {
    const { user } = renderTree()
    const bronze = await screen.findByRole('treeitem', { name: 'Schema bronze' })
    expect(screen.getAllByRole('treeitem')).toHaveLength(7)
    expect(tabStops()).toEqual(['Schema bronze'])
    expect(bronze.getAttribute('aria-level')).toBe('1')
    expect(bronze.getAttribute('aria-expanded')).toBe('true')
    const users = screen.getByRole('treeitem', { name: 'Insert silver.users' })
    expect(users.getAttribute('aria-level')).toBe('2')
    expect(users.hasAttribute('aria-expanded')).toBe(false)
    expect(within(users).getAllByRole('button').map((b) => b.tabIndex)).toEqual([-1, -1])
    await user.tab()
    expect(focusedName()).toBe('Refresh tables')
    await user.tab()
    expect(focusedName()).toBe('Schema bronze')
    await user.tab()
    expect(document.activeElement).toBe(document.body)
  })

  it('moves with Up/Down/Home/End, and Tab comes back to the item focused last', async () => {
    const { user } = renderTree()
    ;(await screen.findByRole('treeitem', { name: 'Schema bronze' })).focus()
    const path: (string | undefined)[] = []
    for (const key of ['{ArrowDown}', '{ArrowDown}', '{ArrowDown}', '{ArrowUp}', '{End}', '{ArrowDown}', '{Home}', '{ArrowUp}', '{ArrowDown}', '{ArrowDown}', '{ArrowDown}']) {
      await user.keyboard(key)
      path.push(focusedName())
    }
    expect(path).toEqual([
      'Insert bronze.raw_workouts',
      'Schema silver',
      'Insert silver.workouts',
      'Schema silver',
      'Insert gold.daily',
      'Insert gold.daily',
      'Schema bronze',
      'Schema bronze',
      'Insert bronze.raw_workouts',
      'Schema silver',
      'Insert silver.workouts'
    ])
    expect(tabStops()).toEqual(['Insert silver.workouts'])
    await user.tab()
    expect(document.activeElement).toBe(document.body)
    await user.tab({ shift: true })
    expect(focusedName()).toBe('Insert silver.workouts')
  })

  it('Right expands a schema then enters it, Left climbs to the schema then collapses it', async () => {
    const { user } = renderTree()
    const silver = await screen.findByRole('treeitem', { name: 'Schema silver' })
    silver.focus()
    await user.keyboard('{ArrowLeft}')
    expect(silver.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('treeitem', { name: 'Insert silver.users' })).toBeNull()
    await user.keyboard('{ArrowLeft}')
    expect([silver.getAttribute('aria-expanded'), focusedName()]).toEqual(['false', 'Schema silver'])
    await user.keyboard('{ArrowDown}')
    expect(focusedName()).toBe('Schema gold')
    await user.keyboard('{ArrowUp}{ArrowRight}')
    expect([silver.getAttribute('aria-expanded'), focusedName()]).toEqual(['true', 'Schema silver'])
    await user.keyboard('{ArrowRight}')
    expect(focusedName()).toBe('Insert silver.workouts')
    await user.keyboard('{ArrowRight}{ArrowDown}{ArrowLeft}')
    expect(focusedName()).toBe('Schema silver')
    await user.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}*')
    expect(screen.getAllByRole('treeitem', { expanded: true }).map((item) => item.getAttribute('aria-label'))).toEqual(['Schema bronze', 'Schema silver', 'Schema gold'])
  })

  it('Enter inserts a table, Ctrl+Enter previews it, Shift+Enter opens its page; Enter on a schema folds it', async () => {
    const { user, onInsertTable, onPreviewTable, onOpenTable } = renderTree()
    const users = await screen.findByRole('treeitem', { name: 'Insert silver.users' })
    expect(users.getAttribute('aria-keyshortcuts')).toBe('Enter Control+Enter Shift+Enter')
    expect(users.getAttribute('title')).toMatch(/Enter.*\n.*Ctrl\+Enter.*\n.*Shift\+Enter/)
    users.focus()
    await user.keyboard('{Enter}')
    await user.keyboard('{Control>}{Enter}{/Control}')
    await user.keyboard('{Shift>}{Enter}{/Shift}')
    expect(onInsertTable.mock.calls).toEqual([['silver.users']])
    expect(onPreviewTable.mock.calls).toEqual([['silver.users']])
    expect(onOpenTable.mock.calls).toEqual([['silver.users']])
    await user.keyboard('{ArrowLeft}{Enter}')
    expect(screen.getByRole('treeitem', { name: 'Schema silver' }).getAttribute('aria-expanded')).toBe('false')
    expect(onInsertTable).toHaveBeenCalledTimes(1)
  })

  it('typeahead jumps to the next item whose name starts with the letters typed', async () => {
    const { user } = renderTree()
    ;(await screen.findByRole('treeitem', { name: 'Schema bronze' })).focus()
    await user.keyboard('g')
    expect(focusedName()).toBe('Schema gold')
    await user.keyboard('{End}W') // wraps past the end, ignoring case; another key starts a new word
    expect(focusedName()).toBe('Insert silver.workouts')
    await user.keyboard('{Home}ra')
    expect(focusedName()).toBe('Insert bronze.raw_workouts')
    await user.keyboard('{Home}x')
    expect(focusedName()).toBe('Schema bronze')
    await user.keyboard('{End}ds') // "ds" names nothing: the focus stays where "d" put it
    expect(focusedName()).toBe('Insert gold.daily')
  })

  it('gives the Tab stop to the schema when the focused table goes away', async () => {
    const list = tables()
    const { user, emit } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: list })
    ;(await screen.findByRole('treeitem', { name: 'Schema silver' })).focus()
    await user.keyboard('{ArrowDown}{ArrowDown}')
    expect(tabStops()).toEqual(['Insert silver.users'])
    list.splice(list.findIndex((t) => t.name === 'users'), 1)
    await emit({ type: 'tables.changed', statements: ['DROP TABLE silver.users'] })
    expect(await screen.findAllByRole('treeitem')).toHaveLength(6)
    expect(tabStops()).toEqual(['Schema silver'])
  })
})
