// Component tests for the table page: timeline, a version's schema and preview, keyed diff, restore and vacuum, all through the fake engine.
import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { FakeTable } from '../../../engine/testing/fakeEngine'
import { callsTo, renderWithEngine } from '../../testing/renderWithEngine'
import { TableHistoryPage } from './TableHistoryPage'

/**
 * silver.orders: v0 (orders 1–3, amount), v1 adds a `status` column and order 4 and changes order 2's amount,
 * v2 drops order 3, changes order 4 and adds order 5. So v0 → v2 by order_id: 2 added, 1 removed, 1 changed, 1 unchanged.
 */
function orders(): FakeTable {
  return {
    schema: 'silver',
    name: 'orders',
    versions: [
      { order_id: [1, 2, 3], amount: [10, 20, 30] },
      { order_id: [1, 2, 3, 4], amount: [10, 25, 30, 40], status: ['new', 'paid', 'new', 'new'] },
      { order_id: [1, 2, 4, 5], amount: [10, 25, 41, 50], status: ['new', 'paid', 'paid', 'new'] }
    ]
  }
}

function renderPage(table = orders()) {
  return { table, ...renderWithEngine(<TableHistoryPage table="silver.orders" />, { tables: [table] }) }
}

const timelineLabels = () => within(screen.getByRole('list', { name: 'Versions' })).getAllByRole('button').map((b) => b.getAttribute('aria-label'))
const currentVersion = () => within(screen.getByRole('list', { name: 'Versions' })).getAllByRole('button').find((b) => b.getAttribute('aria-current') === 'true')
const gridRows = (name: string) =>
  within(screen.getByRole('grid', { name }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('gridcell').map((cell) => cell.textContent))

describe('TableHistoryPage', () => {
  it('lists the engine’s versions newest first and selects the newest', async () => {
    renderPage()
    expect(await screen.findByRole('button', { name: /^Version 2:/ })).toBeTruthy()
    expect(timelineLabels()).toEqual(['Version 2: WRITE, 2026-01-03 00:00:00', 'Version 1: WRITE, 2026-01-02 00:00:00', 'Version 0: CREATE TABLE, 2026-01-01 00:00:00'])
    expect(currentVersion()?.getAttribute('data-version')).toBe('2')
    expect(screen.getByText('3 versions · latest v2')).toBeTruthy()
    expect((await screen.findByTestId('version-rows')).textContent).toBe('4')
  })

  it('shows a picked version’s schema with the columns added since the previous version', async () => {
    const { user, engine } = renderPage()
    await user.click(await screen.findByRole('button', { name: /^Version 1:/ }))
    const schema = await screen.findByRole('table', { name: 'Schema at version 1' })
    const rows = within(schema)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent))
    expect(rows).toEqual([
      ['order_id', 'int', 'yes', ''],
      ['amount', 'int', 'yes', ''],
      ['status', 'string', 'yes', 'added']
    ])
    expect(screen.getByText('1 change since version 0, highlighted.')).toBeTruthy()
    expect(screen.getByTestId('version-rows').textContent).toBe('4')
    expect(callsTo(engine, 'tables.versionInfo')).toContainEqual({ table: 'silver.orders', version: 1 })
  })

  it('moves through versions with the arrow keys', async () => {
    const { user } = renderPage()
    const newest = await screen.findByRole('button', { name: /^Version 2:/ })
    newest.focus()
    await user.keyboard('{ArrowDown}{ArrowDown}')
    expect(currentVersion()?.getAttribute('data-version')).toBe('0')
    expect(document.activeElement).toBe(currentVersion())
    expect(await screen.findByRole('table', { name: 'Schema at version 0' })).toBeTruthy()
    expect(screen.getByText('The first version defines the schema.')).toBeTruthy()
  })

  it('previews the rows of the picked version', async () => {
    const { user } = renderPage()
    await user.click(await screen.findByRole('button', { name: /^Version 0:/ }))
    await screen.findByRole('table', { name: 'Schema at version 0' })
    await user.click(screen.getByRole('tab', { name: /^Preview/ }))
    expect(gridRows('Rows at version 0')).toEqual([
      ['1', '10'],
      ['2', '20'],
      ['3', '30']
    ])
    expect(screen.getByRole('status', { name: 'Preview summary' }).textContent).toContain('3 rows')
  })

  it('diffs two versions by the inferred key: counts, schema change and the differing rows', async () => {
    const { user, engine } = renderPage()
    await screen.findByRole('table', { name: 'Schema at version 2' })
    await user.click(screen.getByRole('tab', { name: 'Diff' }))
    expect((screen.getByRole('combobox', { name: 'From version' }) as HTMLSelectElement).value).toBe('1')
    await user.selectOptions(screen.getByRole('combobox', { name: 'From version' }), '0')
    await user.click(screen.getByRole('button', { name: 'Compare' }))
    expect((await screen.findByTestId('diff-added')).textContent).toBe('2 added')
    expect(screen.getByTestId('diff-removed').textContent).toBe('1 removed')
    expect(screen.getByTestId('diff-changed').textContent).toBe('1 changed')
    expect(screen.getByTestId('diff-unchanged').textContent).toBe('1 unchanged')
    expect(screen.getByRole('status', { name: 'Diff summary' }).textContent).toContain('v0 → v2 by order_id (inferred)')
    expect(screen.getByText('Schema:').textContent).toContain('status added')
    expect(callsTo(engine, 'tables.diff')).toEqual([{ table: 'silver.orders', from: 0, to: 2, key: undefined, limit: 500 }])

    const grid = screen.getByRole('grid', { name: 'Differing rows' })
    const rows = within(grid).getAllByRole('row').slice(1)
    expect(rows.map((r) => within(r).getAllByRole('gridcell')[0]!.textContent)).toEqual(['added', 'added', 'removed', 'changed'])
    const changed = rows[3]!
    expect(changed.classList.contains('row-changed')).toBe(true)
    const highlighted = within(changed)
      .getAllByRole('gridcell')
      .filter((cell) => cell.classList.contains('cell-changed') || cell.classList.contains('cell-was'))
      .map((cell) => cell.textContent)
    // amount changed 20 → 25; status did not exist at v0, so its new value stands against NULL.
    expect(highlighted).toEqual(['25', '20', 'paid', 'NULL'])
  })

  it('diffs by the key columns the user picks', async () => {
    const { user, engine } = renderPage()
    await screen.findByRole('table', { name: 'Schema at version 2' })
    await user.click(screen.getByRole('tab', { name: 'Diff' }))
    await user.selectOptions(screen.getByRole('combobox', { name: 'Add key column' }), 'order_id')
    expect(screen.getByRole('button', { name: 'Remove order_id from the key' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Compare' }))
    expect((await screen.findByTestId('diff-added')).textContent).toBe('1 added')
    expect(screen.getByTestId('diff-removed').textContent).toBe('1 removed')
    expect(screen.getByTestId('diff-changed').textContent).toBe('1 changed')
    expect(screen.getByRole('status', { name: 'Diff summary' }).textContent).not.toContain('(inferred)')
    expect(callsTo(engine, 'tables.diff')).toEqual([{ table: 'silver.orders', from: 1, to: 2, key: ['order_id'], limit: 500 }])
  })

  it('will not compare a version with itself', async () => {
    const { user } = renderPage()
    await screen.findByRole('table', { name: 'Schema at version 2' })
    await user.click(screen.getByRole('tab', { name: 'Diff' }))
    await user.selectOptions(screen.getByRole('combobox', { name: 'From version' }), '2')
    expect((screen.getByRole('button', { name: 'Compare' }) as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByText('Pick two different versions.')).toBeTruthy()
  })

  it('restores an older version after showing what it changes, and selects the new version', async () => {
    const { user, engine, table } = renderPage()
    await screen.findByRole('table', { name: 'Schema at version 2' })
    expect((screen.getByRole('button', { name: 'Restore to v2…' }) as HTMLButtonElement).disabled).toBe(true)
    await user.click(screen.getByRole('button', { name: /^Version 0:/ }))
    await user.click(screen.getByRole('button', { name: 'Restore to v0…' }))

    const dialog = await screen.findByRole('dialog', { name: 'Restore silver.orders to version 0?' })
    expect(await within(dialog).findByText(/RESTORE writes a new version 3 whose data equals version 0/)).toBeTruthy()
    const facts = Object.fromEntries(
      within(within(dialog).getByLabelText('Restore plan'))
        .getAllByRole('term')
        .map((term) => [term.textContent, term.nextElementSibling?.textContent])
    )
    expect(facts).toEqual({ 'Rows now': '4', 'Rows after': '3', 'Files removed': '1', 'Files re-added': '1' })
    expect(callsTo(engine, 'tables.restore')).toEqual([])

    await user.click(within(dialog).getByRole('button', { name: 'Restore' }))
    expect(await screen.findByRole('button', { name: /^Version 3: RESTORE/ })).toBeTruthy()
    expect(callsTo(engine, 'tables.restore')).toEqual([{ table: 'silver.orders', version: 0 }])
    expect(table.versions).toHaveLength(4)
    expect(table.versions[3]).toEqual(table.versions[0])
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(currentVersion()?.getAttribute('data-version')).toBe('3')
    expect(await screen.findByRole('table', { name: 'Schema at version 3' })).toBeTruthy()
    expect(screen.getByTestId('version-rows').textContent).toBe('3')
  })

  it('cancels a restore without writing', async () => {
    const { user, engine, table } = renderPage()
    await user.click(await screen.findByRole('button', { name: /^Version 1:/ }))
    await user.click(screen.getByRole('button', { name: 'Restore to v1…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Restore silver.orders to version 1?' })
    await within(dialog).findByLabelText('Restore plan')
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(callsTo(engine, 'tables.restore')).toEqual([])
    expect(table.versions).toHaveLength(3)
  })

  it('vacuums only after a dry run listing the files it would delete', async () => {
    const { user, engine } = renderPage()
    await screen.findByRole('table', { name: 'Schema at version 2' })
    await user.click(screen.getByRole('button', { name: 'Vacuum…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Vacuum silver.orders?' })
    const files = await within(dialog).findByRole('list', { name: 'Files to delete' })
    expect(within(files).getAllByRole('listitem').map((f) => f.textContent)).toEqual([
      '/fake/lakehouse/tables/silver/orders/part-00000.snappy.parquet',
      '/fake/lakehouse/tables/silver/orders/part-00001.snappy.parquet'
    ])
    expect(callsTo(engine, 'tables.vacuum')).toEqual([{ table: 'silver.orders', retentionHours: undefined, dryRun: true }])
    await user.click(within(dialog).getByRole('button', { name: 'Delete 2 files' }))
    expect((await within(dialog).findByText(/^Deleted 2 files/)).textContent).toContain('Deleted 2 files')
    expect(callsTo(engine, 'tables.vacuum')).toEqual([
      { table: 'silver.orders', retentionHours: undefined, dryRun: true },
      { table: 'silver.orders', retentionHours: 168, dryRun: false }
    ])
  })

  it('shows DESCRIBE DETAIL in its tab', async () => {
    const { user } = renderPage()
    await screen.findByRole('table', { name: 'Schema at version 2' })
    await user.click(screen.getByRole('tab', { name: 'Detail' }))
    const detail = await screen.findByRole('table', { name: 'Table detail' })
    expect(within(detail).getByRole('rowheader', { name: 'location' }).nextElementSibling?.textContent).toBe('/fake/lakehouse/tables/silver/orders')
    expect(within(detail).getByRole('rowheader', { name: 'version' }).nextElementSibling?.textContent).toBe('2')
  })

  it('reloads the timeline when the engine reports that tables changed', async () => {
    const { table, emit } = renderPage()
    await screen.findByRole('table', { name: 'Schema at version 2' })
    table.versions.push({ order_id: [1], amount: [99], status: ['new'] })
    await emit({ type: 'tables.changed', statements: ['DELETE FROM silver.orders WHERE order_id > 1'] })
    expect(await screen.findByRole('button', { name: /^Version 3: WRITE/ })).toBeTruthy()
    // The selection stays where the user left it.
    expect(currentVersion()?.getAttribute('data-version')).toBe('2')
  })

  it('explains a table that does not exist as a sentence with its facts', async () => {
    renderWithEngine(<TableHistoryPage table="silver.nope" />, { tables: [orders()] })
    const alert = await screen.findByRole('alert')
    expect(within(alert).getByText('Could not load the history')).toBeTruthy()
    expect(within(alert).getByText('Table silver.nope does not exist.')).toBeTruthy()
    expect(within(alert).getByText('table silver.nope · code TABLE_NOT_FOUND')).toBeTruthy()
  })
})
