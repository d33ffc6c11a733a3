// Component tests for the explorer: schemas and tables from the engine, the three table actions, refresh on engine events.
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
  within(screen.getByRole('list', { name: `Tables in ${schema}` }))
    .getAllByRole('button', { name: /^Insert / })
    .map((button) => button.textContent)

describe('Explorer', () => {
  it('lists each schema the engine reports (bronze, silver, gold first) with the tables the engine lists under it', async () => {
    const { engine } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    expect(await screen.findByRole('button', { name: 'Schema bronze' })).toBeTruthy()
    const schemaButtons = within(screen.getByRole('list', { name: 'Schemas' })).getAllByRole('button', { name: /^Schema / })
    expect(schemaButtons.map((b) => b.getAttribute('aria-label'))).toEqual(['Schema bronze', 'Schema silver', 'Schema gold'])
    expect(tableNames('silver')).toEqual(['workouts', 'users'])
    expect(tableNames('bronze')).toEqual(['raw_workouts'])
    expect(callsTo(engine, 'tables.listSchemas')).toHaveLength(1)
  })

  it('hands the qualified name to insert, preview and open', async () => {
    const onInsertTable = vi.fn()
    const onPreviewTable = vi.fn()
    const onOpenTable = vi.fn()
    const { user } = renderWithEngine(<Explorer onInsertTable={onInsertTable} onPreviewTable={onPreviewTable} onOpenTable={onOpenTable} />, { tables: tables() })
    await user.click(await screen.findByRole('button', { name: 'Insert silver.users' }))
    await user.click(screen.getByRole('button', { name: 'Preview gold.daily' }))
    await user.click(screen.getByRole('button', { name: 'Open silver.workouts' }))
    expect(onInsertTable.mock.calls).toEqual([['silver.users']])
    expect(onPreviewTable.mock.calls).toEqual([['gold.daily']])
    expect(onOpenTable.mock.calls).toEqual([['silver.workouts']])
  })

  it('offers no open button when the shell gives no onOpenTable', async () => {
    renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    await screen.findByRole('button', { name: 'Insert silver.users' })
    expect(screen.queryByRole('button', { name: /^Open / })).toBeNull()
  })

  it('collapses and expands a schema from the keyboard', async () => {
    const { user } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: tables() })
    const silver = await screen.findByRole('button', { name: 'Schema silver' })
    expect(silver.getAttribute('aria-expanded')).toBe('true')
    silver.focus()
    await user.keyboard('{Enter}')
    expect(silver.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('list', { name: 'Tables in silver' })).toBeNull()
    await user.keyboard(' ')
    expect(tableNames('silver')).toEqual(['workouts', 'users'])
  })

  it('reloads when the engine reports that tables changed', async () => {
    const list = tables()
    const { emit, engine } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: list })
    await screen.findByRole('button', { name: 'Insert silver.users' })
    expect(screen.queryByRole('button', { name: 'Insert silver.sessions' })).toBeNull()
    list.push({ schema: 'silver', name: 'sessions', versions: [{ id: [7] }] })
    await emit({ type: 'tables.changed', statements: ['CREATE TABLE silver.sessions AS SELECT 7 AS id'] })
    expect(await screen.findByRole('button', { name: 'Insert silver.sessions' })).toBeTruthy()
    expect(tableNames('silver')).toEqual(['workouts', 'users', 'sessions'])
    expect(callsTo(engine, 'tables.listTables')).toHaveLength(2)
  })

  it('reloads when Refresh is pressed', async () => {
    const list = tables()
    const { user } = renderWithEngine(<Explorer onInsertTable={vi.fn()} onPreviewTable={vi.fn()} />, { tables: list })
    await screen.findByRole('button', { name: 'Schema gold' })
    expect(screen.queryByRole('button', { name: 'Schema system' })).toBeNull()
    list.push({ schema: 'system', name: 'pipeline_events', versions: [{ id: [1] }] })
    await user.click(screen.getByRole('button', { name: 'Refresh tables' }))
    expect(await screen.findByRole('list', { name: 'Tables in system' })).toBeTruthy()
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
    const name = await screen.findByRole('button', { name: 'Insert silver.users' })
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
