// Component tests for the results panel: plan tree (collapse, costly operators), grid sort and TSV copy, parquet export, cancel.
import { act, fireEvent, screen, within } from '@testing-library/react'
import { tableFromArrays, tableToIPC } from 'apache-arrow'
import { describe, expect, it, vi } from 'vitest'
import type { QueryPlan, StatementResult } from '../../../engine/api/sqlApi'
import { callsTo, renderWithEngine } from '../../testing/renderWithEngine'
import { ResultsPanel } from './ResultsPanel'
import { useSqlEditorStore } from './sqlEditorStore'

const plan: QueryPlan = {
  analyzed: true,
  totalMs: 12,
  operators: [{
    name: 'HASH_GROUP_BY', details: [{ key: 'Groups', value: '#0' }], estimatedRows: 5, actualRows: 2, timeMs: 1,
    children: [{ name: 'TABLE_SCAN', details: [{ key: 'Table', value: 'workouts' }], estimatedRows: 61, actualRows: 61, timeMs: 9, children: [] }]
  }]
}

function result(sql: string, columns: Record<string, Int32Array | string[]>, extra: Partial<StatementResult> = {}): StatementResult {
  const table = tableFromArrays(columns)
  return {
    statement: sql, kind: 'rows', rowCount: table.numRows, elapsedMs: 3, arrow: tableToIPC(table, 'stream'),
    columns: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type).toLowerCase() })), ...extra
  }
}

function showResult(r: StatementResult) {
  const state = useSqlEditorStore.getState()
  act(() => useSqlEditorStore.setState({
    tabs: state.tabs.map((t) => (t.id === state.activeId ? { ...t, run: { status: 'done', sql: r.statement, scope: 'all', results: [r], elapsedMs: 3, offset: 0, shown: 0 } } : t))
  }))
}

describe('ResultsPanel', () => {
  it('opens an EXPLAIN ANALYZE result on its plan tree, marks the slowest operator and collapses a branch', async () => {
    const { user } = renderWithEngine(<ResultsPanel />)
    showResult(result('EXPLAIN ANALYZE SELECT 1', { operator: ['HASH_GROUP_BY', '  TABLE_SCAN'] }, { plan }))
    const tree = screen.getByRole('tree', { name: 'Query plan' })
    expect(within(tree).getAllByRole('treeitem').map((i) => i.getAttribute('aria-label'))).toEqual(['HASH_GROUP_BY', 'TABLE_SCAN, costly'])
    expect(screen.getByText('90%')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Collapse HASH_GROUP_BY' }))
    expect(within(tree).getAllByRole('treeitem')).toHaveLength(1)
    // The same plan as rows, and no parquet export for a plan.
    await user.click(within(screen.getByRole('group', { name: 'Result view' })).getByRole('button', { name: 'Grid' }))
    expect(screen.getByRole('grid', { name: 'Query results' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Export Parquet' })).toBeNull()
  })

  it('sorts by a header and copies the selected cells in the sorted order', async () => {
    const { user } = renderWithEngine(<ResultsPanel />)
    showResult(result('SELECT * FROM t', { n: Int32Array.from([3, 1, 2]), s: ['c', 'a', 'b'] }))
    const grid = screen.getByRole('grid', { name: 'Query results' })
    await user.click(within(grid).getByRole('button', { name: 'Sort by n' }))
    const cells = () => within(grid).getAllByRole('gridcell').map((c) => c.textContent)
    expect(cells()).toEqual(['1', 'a', '2', 'b', '3', 'c'])
    fireEvent.mouseDown(within(grid).getAllByRole('gridcell')[1]!)
    fireEvent.mouseDown(within(grid).getAllByRole('gridcell')[3]!, { shiftKey: true })
    fireEvent.keyDown(grid, { key: 'c', ctrlKey: true })
    await screen.findByText('Copied 2 rows × 1 column as TSV')
    expect(await navigator.clipboard.readText()).toBe('a\nb\n')
    fireEvent.keyDown(grid, { key: 'ArrowDown' })
    expect(within(grid).getAllByRole('gridcell').filter((c) => c.getAttribute('aria-selected') === 'true').map((c) => c.textContent)).toEqual(['c'])
  })

  it('exports parquet through the engine with the statement and the tab\'s name', async () => {
    const created: Blob[] = []
    URL.createObjectURL = vi.fn((blob: Blob) => (created.push(blob), 'blob:result'))
    URL.revokeObjectURL = vi.fn()
    const { user, engine } = renderWithEngine(<ResultsPanel />)
    showResult(result('SELECT * FROM silver.users', { user_id: Int32Array.from([10, 11]) }))
    await user.click(screen.getByRole('button', { name: 'Export Parquet' }))
    expect(callsTo(engine, 'sql.exportResult')).toEqual([{ sql: 'SELECT * FROM silver.users', format: 'parquet' }])
    expect(created).toHaveLength(1)
    expect(created[0]!.size).toBeGreaterThan(0)
  })

  it('a running query shows a Cancel button that cancels through the engine, and Esc does too', async () => {
    const { user, engine } = renderWithEngine(<ResultsPanel />)
    const running = useSqlEditorStore.getState().execute(engine, 'SELECT wait()', 'all', 0)
    await user.click(await screen.findByRole('button', { name: 'Cancel the running query' }))
    await running
    expect(callsTo(engine, 'sql.cancel')).toHaveLength(1)
    expect(screen.getByRole('alert').textContent).toMatch(/Cancelled after .*Query cancelled\./)
    const again = useSqlEditorStore.getState().execute(engine, 'SELECT wait()', 'all', 0)
    await screen.findByRole('button', { name: 'Cancel the running query' })
    await user.keyboard('{Escape}')
    await again
    expect(callsTo(engine, 'sql.cancel')).toHaveLength(2)
  })
})
