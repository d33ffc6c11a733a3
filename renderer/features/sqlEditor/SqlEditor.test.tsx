// Component tests for the SQL editor with Monaco replaced by a textarea: runs, result tabs, readable errors, cancel, history and saved queries.
import { screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { callsTo, renderWithEngine } from '../../testing/renderWithEngine'
import { SqlEditor } from './SqlEditor'
import { initialSql } from './sqlEditorStore'

// Monaco needs a real browser; the stand-in keeps the editor's props and store wiring (see renderer/testing/textareaSqlEditor.tsx).
vi.mock('./MonacoSqlEditor', () => import('../../testing/textareaSqlEditor'))
vi.mock('./sqlCompletionProvider', () => ({ setCompletionCatalog: () => undefined }))

const editorText = () => screen.getByRole('textbox', { name: 'SQL editor' }) as HTMLTextAreaElement

async function renderEditor(sql?: string) {
  const rendered = renderWithEngine(<SqlEditor />)
  if (sql !== undefined) {
    await rendered.user.clear(editorText())
    await rendered.user.type(editorText(), sql)
  }
  return rendered
}

const resultRows = (name = 'Query results') =>
  within(screen.getByRole('grid', { name }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('gridcell').map((cell) => cell.textContent))

const resultColumns = (name = 'Query results') =>
  within(screen.getByRole('grid', { name }))
    .getAllByRole('columnheader')
    .slice(1)
    .map((header) => header.querySelector('.grid-colname')?.textContent)

describe('SqlEditor', () => {
  it('runs the starting script and shows the tables the engine lists', async () => {
    const { user, engine } = await renderEditor()
    expect(screen.getByText('No results yet')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: /Run$/ }))
    expect(await screen.findByRole('grid', { name: 'Query results' })).toBeTruthy()
    // A script of one statement runs whole, its leading comment included.
    expect(callsTo(engine, 'sql.execute')).toEqual([{ sql: initialSql.trim() }])
    expect(resultRows()).toEqual([
      ['silver', 'workouts'],
      ['silver', 'users']
    ])
  })

  it('runs a time-travel query and shows the version’s rows with a row count', async () => {
    const { user } = await renderEditor('SELECT * FROM silver.workouts VERSION AS OF 1')
    await user.click(screen.getByRole('button', { name: /Run$/ }))
    await screen.findByRole('grid', { name: 'Query results' })
    expect(resultColumns()).toEqual(['id', 'minutes', 'sport'])
    expect(resultRows()).toEqual([
      ['1', '30', 'run'],
      ['2', '45', 'bike'],
      ['3', '20', 'swim'],
      ['4', '60', 'run'],
      ['5', '15', 'row']
    ])
    expect(screen.getByRole('status', { name: 'Result summary' }).textContent).toContain('5 rows')
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBeTruthy()
  })

  it('runs the statement before the cursor with Ctrl+Enter', async () => {
    const { user, engine } = await renderEditor('SELECT count(*) FROM silver.workouts;\nSELECT * FROM silver.users;')
    await user.keyboard('{Control>}{Enter}{/Control}')
    await screen.findByRole('grid', { name: 'Query results' })
    expect(callsTo(engine, 'sql.execute')).toEqual([{ sql: 'SELECT * FROM silver.users' }])
    expect(resultRows()).toEqual([
      ['10', 'Ada'],
      ['11', 'Linus']
    ])
  })

  it('runs only the selection', async () => {
    const { user, engine } = await renderEditor('SELECT count(*) FROM silver.workouts;\nSELECT * FROM silver.users;')
    editorText().setSelectionRange(0, 'SELECT count(*) FROM silver.workouts'.length)
    await user.click(screen.getByRole('button', { name: /Run$/ }))
    await screen.findByRole('grid', { name: 'Query results' })
    expect(callsTo(engine, 'sql.execute')).toEqual([{ sql: 'SELECT count(*) FROM silver.workouts' }])
    // The latest version of silver.workouts holds 4 rows.
    expect(resultRows()).toEqual([['4']])
  })

  it('gives each statement of Run all its own result tab', async () => {
    const { user } = await renderEditor('SELECT count(*) FROM silver.workouts;\nSELECT * FROM silver.users;')
    await user.click(screen.getByRole('button', { name: 'Run all' }))
    const tabs = within(await screen.findByRole('tablist', { name: 'Statement results' })).getAllByRole('tab')
    expect(tabs.map((t) => t.textContent)).toEqual(['1 · SELECT count(*) FROM silver.work1', '2 · SELECT * FROM silver.users2'])
    expect(resultRows()).toEqual([['4']])
    await user.click(tabs[1]!)
    expect(resultRows()).toEqual([
      ['10', 'Ada'],
      ['11', 'Linus']
    ])
  })

  it('shows a syntax error as a sentence with where it happened, and marks it in the editor', async () => {
    const { user } = await renderEditor('SHOW SCHEMAS;\nSELEC 2')
    await user.keyboard('{Control>}{Enter}{/Control}')
    const alert = await screen.findByRole('alert')
    expect(within(alert).getByText('Query failed')).toBeTruthy()
    expect(within(alert).getByText('Syntax error: the fake engine does not understand "SELEC 2".')).toBeTruthy()
    const facts = Object.fromEntries(within(alert).getAllByRole('term').map((term) => [term.textContent, term.nextElementSibling?.textContent]))
    expect(facts).toEqual({ Statement: '1', Line: '1', Column: '1', Code: 'SYNTAX_ERROR' })
    // Line 1 of the statement that ran is line 2 of the editor.
    expect(editorText().getAttribute('aria-invalid')).toBe('true')
    expect(editorText().dataset.errorAt).toBe('2:1')
  })

  it('cancels a running statement', async () => {
    const { user, engine } = await renderEditor('SELECT wait()')
    await user.click(screen.getByRole('button', { name: /Run$/ }))
    expect((await screen.findByRole('status')).textContent).toContain('Running…')
    expect((screen.getByRole('button', { name: /Run$/ }) as HTMLButtonElement).disabled).toBe(true)
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(within(await screen.findByRole('alert')).getByText('Query cancelled.')).toBeTruthy()
    expect(callsTo(engine, 'sql.cancel')).toHaveLength(1)
    expect((screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('lists runs in the history panel, searchable, and reopens one in a new tab', async () => {
    const { user } = await renderEditor('SELECT * FROM silver.users')
    await user.click(screen.getByRole('button', { name: /Run$/ }))
    await screen.findByRole('grid', { name: 'Query results' })
    await user.clear(editorText())
    await user.type(editorText(), 'SELEC oops')
    await user.click(screen.getByRole('button', { name: /Run$/ }))
    await screen.findByRole('alert')

    await user.click(screen.getByRole('button', { name: 'History' }))
    const panel = screen.getByRole('complementary', { name: 'Query history' })
    const entries = async () => within(panel).findAllByRole('button', { name: /^SELEC/ })
    expect((await entries()).map((e) => [e.querySelector('.history-sql')?.textContent, e.querySelector('.history-status')?.textContent])).toEqual([
      ['SELEC oops', 'error'],
      ['SELECT * FROM silver.users', 'ok']
    ])
    expect((await entries())[1]!.textContent).toContain('2 rows')

    await user.type(within(panel).getByRole('searchbox', { name: 'Search history' }), 'users')
    await vi.waitFor(async () => expect((await entries()).map((e) => e.querySelector('.history-sql')?.textContent)).toEqual(['SELECT * FROM silver.users']))

    await user.click((await entries())[0]!)
    const editorTabs = within(screen.getByRole('tablist', { name: 'Editor tabs' })).getAllByRole('tab')
    expect(editorTabs.map((t) => [t.textContent, t.getAttribute('aria-selected')])).toEqual([
      ['Query 1', 'false'],
      ['Query 2', 'true']
    ])
    expect(editorText().value).toBe('SELECT * FROM silver.users')
  })

  it('opens a saved query in its own tab and saves a new one under the given name', async () => {
    const { user, engine } = await renderEditor()
    const picker = screen.getByRole('combobox', { name: 'Open saved query' })
    picker.focus()
    await vi.waitFor(() => expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Open query…', 'counts.sql']))
    await user.selectOptions(picker, 'counts.sql')
    await vi.waitFor(() => expect(editorText().value).toBe('SELECT count(*) FROM silver.workouts'))
    expect(within(screen.getByRole('tablist', { name: 'Editor tabs' })).getByRole('tab', { selected: true }).textContent).toBe('counts.sql')

    await user.click(screen.getByRole('button', { name: 'New query tab' }))
    await user.type(editorText(), 'SHOW SCHEMAS')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await user.type(screen.getByRole('textbox', { name: 'Query file name' }), 'schemas{Enter}')
    await vi.waitFor(() => expect(callsTo(engine, 'queries.save')).toEqual([{ name: 'schemas.sql', text: 'SHOW SCHEMAS' }]))
    expect(within(screen.getByRole('tablist', { name: 'Editor tabs' })).getByRole('tab', { selected: true }).textContent).toBe('schemas.sql')
    expect((await engine.queries.read({ name: 'schemas.sql' })).text).toBe('SHOW SCHEMAS')
  })

  it('says why a name cannot be used for a saved query', async () => {
    const { user } = await renderEditor('SHOW SCHEMAS')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await user.type(screen.getByRole('textbox', { name: 'Query file name' }), '../escape{Enter}')
    expect((await screen.findByRole('alert')).textContent).toBe("'../escape.sql' is not a saved query name.")
  })
})
