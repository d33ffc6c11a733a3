// Component tests for the data-quality page against the in-memory engine: quarantine browser, row drawer, sections, events.
import { screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { fakeQuarantineTables } from '../../../engine/testing/fakeQuality'
import { renderWithEngine } from '../../testing/renderWithEngine'
import { QualityPage } from './QualityPage'

const dataRows = (grid: HTMLElement) => within(grid).getAllByRole('row').filter((row) => row.getAttribute('aria-rowindex') !== '1')

describe('QualityPage', () => {
  it('lists every quarantine table with its row count and shows the first one\'s rows, expectation and reason first', async () => {
    renderWithEngine(<QualityPage onOpenTable={vi.fn()} />)
    const nav = await screen.findByRole('navigation', { name: 'Quarantine tables' })
    for (const t of fakeQuarantineTables()) {
      expect(within(nav).getByRole('button', { name: `${t.table}: ${t.rows.length} rows` })).toBeTruthy()
    }
    const grid = await screen.findByRole('grid', { name: 'Quarantined rows' })
    const headers = within(grid).getAllByRole('columnheader').map((h) => h.querySelector('.grid-colname')?.textContent)
    expect(headers.slice(1, 4)).toEqual(['_expectation', '_condition', '_reason'])
    expect(dataRows(grid)).toHaveLength(fakeQuarantineTables()[0]!.rows.length)
  })

  it('filters by expectation and opens a row in the drawer with the failed rules and their conditions', async () => {
    const { user } = renderWithEngine(<QualityPage focusTable="silver.orders_quarantine" onOpenTable={vi.fn()} />)
    const filter = await screen.findByRole('combobox', { name: 'Filter by expectation' })
    await user.selectOptions(filter, 'valid_customer')
    const summary = await screen.findByRole('status', { name: 'Quarantine summary' })
    await vi.waitFor(() => expect(summary.textContent).toMatch(/^2 rows/))
    const grid = screen.getByRole('grid', { name: 'Quarantined rows' })
    const both = dataRows(grid).find((row) => row.textContent?.includes('valid_amount, valid_customer'))!
    await user.click(both)
    const drawer = screen.getByRole('complementary', { name: 'Quarantined row' })
    const rules = within(drawer).getByRole('region', { name: 'Failed expectations' })
    expect(rules.textContent).toContain('valid_amount')
    expect(rules.textContent).toContain('EXPECT (amount > 0) ON VIOLATION DROP ROW')
    expect(rules.textContent).toContain('EXPECT (customer_id IS NOT NULL) ON VIOLATION DROP ROW')
    expect(within(drawer).getByRole('region', { name: 'Row values' }).textContent).toContain('order_id3')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('complementary', { name: 'Quarantined row' })).toBeNull()
  })

  it('hands the guarded table to onOpenTable', async () => {
    const onOpenTable = vi.fn()
    const { user } = renderWithEngine(<QualityPage focusTable="silver.events_quarantine" onOpenTable={onOpenTable} />)
    await user.click(await screen.findByRole('button', { name: 'Open silver.events' }))
    expect(onOpenTable).toHaveBeenCalledWith('silver.events')
  })

  it('shows pass-rate bars, reconciliation badges and watermarks in their tabs', async () => {
    const { user } = renderWithEngine(<QualityPage onOpenTable={vi.fn()} />)
    await user.click(await screen.findByRole('tab', { name: /Expectations/ }))
    const meter = screen.getByRole('meter', { name: 'valid_amount pass rate' })
    expect(meter.getAttribute('aria-valuetext')).toBe('80%')
    await user.click(screen.getByRole('tab', { name: /Reconciliation/ }))
    const recon = screen.getByRole('table', { name: 'Reconciliation results' })
    expect(within(recon).getAllByRole('row').slice(1).map((r) => r.querySelector('.status-badge')?.textContent)).toEqual(['FAIL', 'WARN', 'PASS'])
    await user.click(screen.getByRole('tab', { name: /Watermarks/ }))
    const marks = screen.getByRole('table', { name: 'Watermark control' })
    expect(within(marks).getAllByRole('row')).toHaveLength(3)
    expect(marks.textContent).toContain('not yet advanced')
  })

  it('explains empty sections and reloads after a pipeline run', async () => {
    const engine = createFakeEngine()
    const real = { overview: engine.quality.overview, reconciliation: engine.quality.reconciliation }
    engine.quality.overview = async () => ({ quarantineTables: [], expectations: [] })
    engine.quality.reconciliation = async () => []
    const { user, emit } = renderWithEngine(<QualityPage onOpenTable={vi.fn()} />, { engine })
    expect(await screen.findByText('No quarantine tables yet')).toBeTruthy()
    await user.click(screen.getByRole('tab', { name: /Reconciliation/ }))
    expect(screen.getByText('No reconciliation has run')).toBeTruthy()
    engine.quality.overview = real.overview
    engine.quality.reconciliation = real.reconciliation
    await emit({ type: 'pipeline.finished', runId: 'r', pipeline: 'demo', status: 'completed', flows: [] })
    expect(await screen.findByRole('table', { name: 'Reconciliation results' })).toBeTruthy()
  })
})
