// Component tests for the lakehouse switcher: recents from the engine, opening one, a wrong folder's sentence, and a sample's progress.
import { act, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../engine/api/errors'
import type { LakehouseInfo, RecentLakehouse } from '../../../engine/api/lakehouseApi'
import { createFakeEngine } from '../../../engine/testing/fakeEngine'
import { callsTo, renderWithEngine } from '../../testing/renderWithEngine'
import { LakehouseSwitcher } from './LakehouseSwitcher'

const current: LakehouseInfo = { root: '/lakes/sbit', name: 'sbit', formatVersion: 1 }

function engineWithRecents(recents: RecentLakehouse[]) {
  const engine = createFakeEngine(undefined, current)
  engine.lakehouse.recent = async () => recents
  return engine
}

describe('LakehouseSwitcher', () => {
  it('lists the other recent lakehouses, marks missing ones, and opens the one picked', async () => {
    const engine = engineWithRecents([
      { root: '/lakes/sbit', name: 'sbit', lastOpened: Date.now(), available: true },
      { root: '/lakes/retail', name: 'retail', lastOpened: Date.now() - 3 * 3600_000, available: true },
      { root: '/gone/old', name: 'old', lastOpened: Date.now() - 86_400_000, available: false }
    ])
    const { user } = renderWithEngine(<LakehouseSwitcher info={current} placeholder="…" />, { engine })
    await user.click(screen.getByRole('button', { name: /sbit/ }))
    const menu = screen.getByRole('menu', { name: 'Lakehouses' })
    const items = within(menu).getAllByRole('menuitem')
    expect(items.map((item) => item.getAttribute('aria-label') ?? item.textContent)).toEqual([
      'retail — /lakes/retail',
      'old — /gone/old (missing)',
      'Open lakehouse…',
      'New lakehouse…'
    ])
    expect(items[0]!.textContent).toContain('3 h ago')
    expect(items[1]!.getAttribute('aria-disabled')).toBe('true')
    await user.click(items[1]!)
    expect(callsTo(engine, 'lakehouse.open')).toEqual([])
    await user.click(items[0]!)
    expect(callsTo(engine, 'lakehouse.open')).toEqual([{ dir: '/lakes/retail' }])
  })

  it('moves through the menu with the arrow keys and closes on Escape, back on its button', async () => {
    const engine = engineWithRecents([{ root: '/lakes/retail', name: 'retail', lastOpened: 0, available: true }])
    const { user } = renderWithEngine(<LakehouseSwitcher info={current} placeholder="…" />, { engine })
    const button = screen.getByRole('button', { name: /sbit/ })
    button.focus()
    await user.keyboard('{ArrowDown}')
    expect(document.activeElement?.getAttribute('aria-label')).toBe('retail — /lakes/retail')
    await user.keyboard('{ArrowDown}')
    expect(document.activeElement?.textContent).toBe('Open lakehouse…')
    await user.keyboard('{ArrowUp}{ArrowUp}')
    expect(document.activeElement?.textContent).toBe('New lakehouse…')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('menu')).toBeNull()
    expect(document.activeElement).toBe(button)
  })

  it('explains a folder that is not a lakehouse, naming it, and refuses a relative path without asking the engine', async () => {
    const engine = engineWithRecents([])
    engine.lakehouse.open = async ({ dir }) => {
      throw new EngineError('NOT_A_LAKEHOUSE', `${dir} is not a lakehouse: ${dir}/lakebench.json not found`, { source: 'lakehouse' })
    }
    const { user } = renderWithEngine(<LakehouseSwitcher info={current} placeholder="…" />, { engine })
    await user.click(screen.getByRole('button', { name: /sbit/ }))
    await user.click(screen.getByRole('menuitem', { name: 'Open lakehouse…' }))
    const dialog = screen.getByRole('dialog', { name: 'Open a lakehouse' })
    const field = within(dialog).getByRole('textbox', { name: 'Lakehouse folder' })
    await user.type(field, 'photos')
    await user.click(within(dialog).getByRole('button', { name: 'Open' }))
    expect(within(dialog).getByRole('alert').textContent).toContain('“photos” is not a full path')
    await user.clear(field)
    await user.type(field, '/home/ann/photos')
    await user.click(within(dialog).getByRole('button', { name: 'Open' }))
    const alert = await within(dialog).findByText(/is not a lakehouse folder/)
    expect(alert.textContent).toBe('“/home/ann/photos” is not a lakehouse folder: it has no lakebench.json. Choose the folder that holds lakebench.json, or create a new lakehouse there.')
    expect(within(dialog).getByText(/NOT_A_LAKEHOUSE: \/home\/ann\/photos is not a lakehouse/)).toBeTruthy()
    expect(field.getAttribute('aria-invalid')).toBe('true')
  })

  it('creates a lakehouse from a sample, showing each step the engine reports, then closes', async () => {
    const engine = engineWithRecents([])
    let finish!: () => void
    engine.lakehouse.create = (arg) =>
      new Promise((resolve) => {
        finish = () => resolve({ root: arg.dir, name: arg.sample ?? 'x', formatVersion: 1 })
      })
    const { user, emit } = renderWithEngine(<LakehouseSwitcher info={current} placeholder="…" />, { engine })
    await user.click(screen.getByRole('button', { name: /sbit/ }))
    await user.click(screen.getByRole('menuitem', { name: 'New lakehouse…' }))
    const dialog = screen.getByRole('dialog', { name: 'New lakehouse' })
    await user.type(within(dialog).getByRole('textbox', { name: 'Folder for the new lakehouse' }), '/lakes/demo')
    await user.click(within(dialog).getByRole('radio', { name: /retail sample/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Create' }))
    expect(screen.getByRole('button', { name: /Creating…/ })).toBeTruthy()
    await emit({ type: 'lakehouse.progress', dir: '/lakes/demo', step: { label: 'Running the pipeline on data set 1 of 2', index: 3, count: 6 } })
    // Progress about another folder is not ours.
    await emit({ type: 'lakehouse.progress', dir: '/elsewhere', step: { label: 'Landing data set 2 of 2', index: 4, count: 6 } })
    expect(within(dialog).getByRole('status').textContent).toBe('Running the pipeline on data set 1 of 2… (step 4 of 6)')
    expect(within(dialog).getByRole('button', { name: 'Cancel' }).hasAttribute('disabled')).toBe(true)
    await act(async () => finish())
    expect(screen.queryByRole('dialog')).toBeNull()
  })
})
