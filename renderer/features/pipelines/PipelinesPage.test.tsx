// Component tests for the pipeline panel against the in-memory engine: graph nodes, a live full refresh, validation, a node's panel.
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { renderWithEngine } from '../../testing/renderWithEngine'
import { PipelinesPage } from './PipelinesPage'

const page = () => screen.getByRole('region', { name: 'Pipelines' })
const node = async (name: RegExp) => within(await screen.findByRole('group', { name: 'Pipeline graph' })).findByRole('button', { name, hidden: true })

describe('PipelinesPage', () => {
  it('draws a node per landing path and dataset, not run yet', async () => {
    renderWithEngine(<PipelinesPage onOpenTable={vi.fn()} onOpenQuarantine={vi.fn()} />)
    expect(await node(/^Landing files landing\/events$/)).toBeTruthy()
    expect((await node(/^bronze\.events /)).getAttribute('aria-label')).toBe('bronze.events (streaming table): not run')
    expect(await node(/^silver\.events /)).toBeTruthy()
    expect(await node(/^gold\.daily_counts /)).toBeTruthy()
  })

  it('runs a full refresh and shows progress, node states and per-flow rows', async () => {
    const { user, engine } = renderWithEngine(<PipelinesPage onOpenTable={vi.fn()} onOpenQuarantine={vi.fn()} />)
    await node(/^silver\.events /)
    await user.click(within(page()).getByRole('button', { name: 'Full refresh all' }))
    expect(engine.calls.find((c) => c.method === 'pipeline.run')?.arg).toEqual({ name: 'demo', fullRefresh: true })
    const progress = await screen.findByRole('status', { name: 'Run progress' })
    await waitFor(() => expect(within(progress).getByTestId('run-status').textContent).toBe('completed'))
    expect(within(progress).getByTestId('run-progress-count').textContent).toBe('3/3')
    expect((await node(/^silver\.events /)).getAttribute('aria-label')).toBe('silver.events (streaming table): completed, 117 rows written, 3 quarantined')
    await user.click(within(page()).getByRole('tab', { name: /^Flows/ }))
    const table = screen.getByRole('table', { name: 'Flow metrics' })
    expect(within(table).getAllByTestId('flow-written').map((c) => c.textContent)).toEqual(['120', '117', '7'])
  })

  it('validates and opens a node\'s panel with its SQL and links to its tables', async () => {
    const onOpenTable = vi.fn()
    const onOpenQuarantine = vi.fn()
    const { user } = renderWithEngine(<PipelinesPage onOpenTable={onOpenTable} onOpenQuarantine={onOpenQuarantine} />)
    await node(/^silver\.events /)
    await user.click(within(page()).getByRole('button', { name: 'Validate' }))
    expect((await screen.findByRole('status', { name: 'Validation result' })).textContent).toBe('Valid: 3 datasets would run in this order.')
    await user.click(await node(/^silver\.events /))
    const panel = screen.getByRole('complementary', { name: 'Dataset silver.events' })
    expect(within(panel).getByText('pipelines/demo/02_silver.sql:1')).toBeTruthy()
    expect(within(panel).getByText(/CONSTRAINT valid_id EXPECT/)).toBeTruthy()
    await user.click(within(panel).getByRole('button', { name: 'Open table' }))
    expect(onOpenTable).toHaveBeenCalledWith('silver.events')
    await user.click(within(panel).getByRole('button', { name: 'Quarantine' }))
    expect(onOpenQuarantine).toHaveBeenCalledWith('silver.events_quarantine')
  })
})
