// Component tests for the Profile tab: the selected version's columns and keys, progress with cancel, and time travel.
import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { TableProfile } from '../../../engine/api/tablesApi'
import { type FakeTable, createFakeEngine } from '../../../engine/testing/fakeEngine'
import { callsTo, renderWithEngine } from '../../testing/renderWithEngine'
import { TableHistoryPage } from './TableHistoryPage'

/** v0: three sessions; v1: five, with a repeated sport and minutes; `id` is unique in both, (sport, minutes) only in v0. */
function sessions(): FakeTable {
  return {
    schema: 'silver',
    name: 'sessions',
    versions: [
      { id: [1, 2, 3], minutes: [30, 45, 20], sport: ['run', 'bike', 'swim'] },
      { id: [1, 2, 3, 4, 5], minutes: [30, 45, 20, 30, 300], sport: ['run', 'bike', 'swim', 'run', 'run'] }
    ]
  }
}

async function openProfile(engine = createFakeEngine([sessions()])) {
  const rendered = renderWithEngine(<TableHistoryPage table="silver.sessions" />, { engine })
  await screen.findByRole('button', { name: /^Version 1:/ })
  await rendered.user.click(screen.getByRole('tab', { name: /^Profile/ }))
  return rendered
}

const columnRow = (version: number, name: string) =>
  within(screen.getByRole('table', { name: `Column profile at version ${version}` }))
    .getAllByRole('row')
    .find((row) => row.getAttribute('data-column') === name)!

describe('ProfilePanel', () => {
  it('shows the selected version’s rows, candidate keys and per-column nulls, distinct counts and top values', async () => {
    const table = sessions()
    const { engine } = await openProfile(createFakeEngine([table]))
    await screen.findByRole('table', { name: 'Column profile at version 1' })
    const v1 = table.versions[1]!
    expect(screen.getByTestId('profile-rows').textContent).toBe(String(v1.id!.length))
    const keys = within(screen.getByRole('region', { name: 'Candidate keys' })).getAllByRole('listitem').map((li) => li.textContent)
    expect(keys[0]).toBe('id')
    for (const column of ['id', 'minutes', 'sport']) {
      const row = columnRow(1, column)
      expect(within(row).getByTestId(`distinct-${column}`).textContent).toContain(String(new Set((v1[column] as unknown[]).map(String)).size))
      expect(within(row).getByTestId(`nulls-${column}`).textContent).toContain('0 · 0%')
    }
    expect(within(columnRow(1, 'id')).getByTestId('distinct-id').textContent).toContain('unique')
    expect(within(columnRow(1, 'sport')).getByRole('list', { name: 'Top values of sport' }).textContent).toContain('run3')
    // 300 minutes lies beyond the IQR fence: one outlier, drawn in the histogram.
    expect(within(columnRow(1, 'minutes')).getByTestId('outliers-minutes').textContent).toBe('1 outlier')
    expect(within(columnRow(1, 'minutes')).getByRole('img', { name: /^Histogram of minutes/ })).toBeTruthy()
    expect(callsTo(engine, 'tables.profile')).toEqual([{ table: 'silver.sessions', version: 1 }])
  })

  it('profiles the version picked in the timeline, and reuses a profile already computed', async () => {
    const { user, engine } = await openProfile()
    await screen.findByRole('table', { name: 'Column profile at version 1' })
    await user.click(screen.getByRole('button', { name: /^Version 0:/ }))
    await screen.findByRole('table', { name: 'Column profile at version 0' })
    expect(screen.getByTestId('profile-rows').textContent).toBe('3')
    const keys = within(screen.getByRole('region', { name: 'Candidate keys' })).getAllByRole('listitem').map((li) => li.textContent)
    expect(keys).toContain('minutes')
    await user.click(screen.getByRole('button', { name: /^Version 1:/ }))
    await screen.findByRole('table', { name: 'Column profile at version 1' })
    expect(callsTo(engine, 'tables.profile')).toEqual([
      { table: 'silver.sessions', version: 1 },
      { table: 'silver.sessions', version: 0 }
    ])
  })

  it('shows progress while the engine computes, cancels it, and can start again', async () => {
    const engine = createFakeEngine([sessions()])
    const real = engine.tables.profile.bind(engine.tables)
    let release: (() => void) | undefined
    engine.tables.profile = (arg) => new Promise<TableProfile>((resolve) => (release = () => void real(arg).then(resolve)))
    const { user } = await openProfile(engine)
    const progress = await screen.findByRole('status', { name: 'Profile progress' })
    expect(progress.textContent).toContain('Profiling silver.sessions at version 1')
    await user.click(within(progress).getByRole('button', { name: 'Cancel' }))
    expect(screen.getByRole('status').textContent).toContain('Profiling version 1 was cancelled.')
    expect(callsTo(engine, 'tables.cancelProfile')).toHaveLength(1)
    release?.()
    // A late answer is dropped: the page still says it was cancelled.
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(screen.queryByRole('table', { name: 'Column profile at version 1' })).toBeNull()
    engine.tables.profile = real
    await user.click(screen.getByRole('button', { name: 'Profile again' }))
    expect(await screen.findByRole('table', { name: 'Column profile at version 1' })).toBeTruthy()
  })

  it('says why a profile failed', async () => {
    const engine = createFakeEngine([sessions()])
    engine.tables.profile = () => Promise.reject(Object.assign(new Error('data file part-0.parquet is missing'), { code: 'DATA_FILE_MISSING', detail: { table: 'silver.sessions', version: 1 } }))
    await openProfile(engine)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('Could not profile version 1')
    expect(alert.textContent).toContain('Data file part-0.parquet is missing.')
    expect(alert.textContent).toContain('code DATA_FILE_MISSING')
  })
})
