// Journey: the shell: dark theme on the editor and a table page, the command palette, opening a wrong folder, a new lakehouse and back via recents.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { Shell } from '../pages/shell'
import { TablePage } from '../pages/tablePage'
import { Workbench } from '../pages/workbench'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!

test('dark theme on the editor and a table page, and the command palette', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  const workbench = new Workbench(page)
  const shell = new Shell(page)
  await workbench.open(url)
  expect(await shell.theme()).toBe('light')

  await shell.themeToggle('dark').click()
  expect(await shell.theme()).toBe('dark')
  // Monaco follows: its dark theme paints the editor background dark.
  await expect(workbench.editor.locator('.monaco-editor.vs-dark')).toBeVisible()
  await workbench.runByKeyboard('SELECT user_id, action, count(*) AS events, max(time) AS last_event, max(time) IS NOT NULL AS seen FROM silver.workouts GROUP BY user_id, action ORDER BY events DESC LIMIT 50')
  await expect(workbench.summary()).toContainText('rows')
  await page.screenshot({ path: 'test-results/screenshots/shell-dark-sqlEditor.png' })

  const tablePage = new TablePage(page, 'silver.workouts')
  await tablePage.openFromExplorer()
  await expect(tablePage.versionButtons().first()).toBeVisible()
  await expect(tablePage.rowsFact()).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/shell-dark-tablePage.png' })

  // The choice survives a reload (localStorage).
  await page.reload()
  await expect(workbench.editor.locator('.monaco-editor .view-lines')).toBeVisible()
  expect(await shell.theme()).toBe('dark')

  // The palette lists every action; Ctrl+Shift+P opens it (Ctrl+K stays Monaco's chord key); running "toggle theme" switches back to light.
  await page.keyboard.press('ControlOrMeta+Shift+P')
  await expect(shell.palette).toBeVisible()
  const options = shell.palette.getByRole('option')
  for (const title of ['Run query', 'New editor tab', 'Open lakehouse…', 'Toggle light / dark theme', 'Go to SQL editor', 'Focus explorer']) {
    await expect(options.filter({ hasText: title }).first()).toBeVisible()
  }
  await page.screenshot({ path: 'test-results/screenshots/shell-dark-palette.png' })
  await page.keyboard.press('Escape')
  await expect(shell.palette).toBeHidden()

  // "Go to" commands switch the workspace: the pipeline and quality panels in dark too.
  for (const view of ['Pipelines', 'Quality']) {
    await shell.runCommand(`go to ${view}`)
    await expect(page.getByRole('tab', { name: view, exact: true })).toHaveAttribute('aria-selected', 'true')
    await page.waitForTimeout(1500) // let the panel load before the picture; nothing is asserted on time
    await page.screenshot({ path: `test-results/screenshots/shell-dark-${view.toLowerCase()}.png` })
  }
  await shell.runCommand('go to sql editor')
  await expect(page.getByRole('tab', { name: 'SQL editor', exact: true })).toHaveAttribute('aria-selected', 'true')
  await shell.runCommand('toggle theme')
  expect(await shell.theme()).toBe('light')
  await expect(workbench.editor.locator('.monaco-editor.vs')).toBeVisible()

  // A command that moves focus: Focus explorer lands on the explorer tree's Tab stop (its first item on a fresh page).
  await shell.runCommand('focus explorer')
  await expect(workbench.explorerTabStop()).toBeFocused()
  await expect(workbench.schema('bronze')).toBeFocused()
  expect(pageErrors).toEqual([])
})

test('Tab walks through header, explorer (one stop for the whole tree) and editor toolbar; the results follow once the editor lets Tab go', async ({ page }) => {
  const workbench = new Workbench(page)
  const shell = new Shell(page)
  await workbench.open(url)
  await workbench.runByKeyboard('SELECT 1 AS one')
  await expect(workbench.summary()).toContainText('1 row')
  const focused = page.locator('*:focus')
  const describeFocus = async () => {
    if ((await focused.count()) === 0) return 'none:'
    return focused.evaluate((el) => {
      const where = el.closest('header')
        ? 'header'
        : el.closest('nav')
          ? 'explorer'
          : el.closest('[aria-label="Results"]')
            ? 'results'
            : el.closest('.monaco-editor')
              ? 'monaco'
              : el.closest('[aria-label="SQL editor"]')
                ? 'editor'
                : el.closest('[role="tablist"]')
                  ? 'tabs'
                  : 'other'
      return `${where}:${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? el.tagName}`
    })
  }

  // Forward from the top of the page (a click on the brand puts the Tab starting point there) until the editor's text takes the focus.
  await page.locator('.brand').click()
  const reached: string[] = []
  for (let i = 0; i < 250 && !reached.at(-1)?.startsWith('monaco:'); i++) {
    await page.keyboard.press('Tab')
    reached.push(await describeFocus())
  }
  const areas = reached.map((r) => r.split(':')[0])
  const order = areas.filter((area, i) => area !== areas[i - 1])
  expect(order.slice(0, 5), reached.join(' | ')).toEqual(['header', 'explorer', 'tabs', 'editor', 'monaco'])
  for (const [area, label] of [['header', 'sbit'], ['header', 'Commands'], ['header', 'Switch to dark theme'], ['editor', 'Run'], ['editor', 'History']]) {
    expect(reached.some((r) => r.startsWith(`${area}:`) && r.includes(label!)), `${area} ${label} in ${reached.join(' | ')}`).toBe(true)
  }
  // The explorer is two stops however many tables there are: Refresh, then the tree (arrows move inside it).
  expect(reached.filter((r) => r.startsWith('explorer:'))).toEqual(['explorer:Refresh tables', 'explorer:Schema bronze'])
  // The editor keeps Tab for indenting; Ctrl+M (its "Tab moves focus" switch) hands Tab back, and the results follow.
  await page.keyboard.press('Control+M')
  const after: string[] = []
  for (let i = 0; i < 30 && !after.at(-1)?.startsWith('results:'); i++) {
    await page.keyboard.press('Tab')
    after.push(await describeFocus())
  }
  expect(after.at(-1), after.join(' | ')).toMatch(/^results:/)

  // Focus rings are drawn in both themes, on a tree item's own row. In light, typeahead walks to a table from
  // its schema; in dark, Tab comes back to that same item (the tree remembers it).
  const workouts = workbench.table('silver.workouts')
  for (const theme of ['light', 'dark'] as const) {
    if ((await shell.theme()) !== theme) await shell.themeToggle(theme).click()
    await workbench.explorer.getByRole('button', { name: 'Refresh tables' }).focus()
    await page.keyboard.press('Tab')
    if (theme === 'light') {
      await expect(workbench.schema('bronze')).toBeFocused()
      await page.keyboard.press('End')
      await page.keyboard.press('Home')
      await page.keyboard.type('silver')
      await expect(workbench.schema('silver')).toBeFocused()
      // Right enters the schema and ends the typed word (else "silverworkouts" would be one word).
      await page.keyboard.press('ArrowRight')
      await page.keyboard.type('workouts') // past silver.workout_bpm
    }
    await expect(workouts).toBeFocused()
    const ring = await focused.evaluate((el) => {
      const row = el.querySelector(':scope > .tree-row') ?? el
      const style = el.ownerDocument.defaultView!.getComputedStyle(row)
      return { style: style.outlineStyle, color: style.outlineColor }
    })
    expect(ring.style).toBe('solid')
    expect(ring.color).toBe(theme === 'light' ? 'rgb(31, 95, 191)' : 'rgb(139, 186, 246)')
    await page.locator('aside.sidebar').screenshot({ path: `test-results/screenshots/shell-explorerFocus-${theme}.png` })
  }

  // The tree's keys: Ctrl+Enter previews the focused table, Shift+Enter opens its page; Left/Right fold and unfold.
  await page.keyboard.press('Control+Enter')
  await expect(workbench.grid.getByRole('columnheader', { name: /user_id/ })).toBeVisible({ timeout: 30_000 })
  await workbench.explorerTabStop().focus()
  await page.keyboard.press('ArrowLeft')
  await expect(workbench.schema('silver')).toBeFocused()
  await page.keyboard.press('ArrowLeft')
  await expect(workbench.schema('silver')).toHaveAttribute('aria-expanded', 'false')
  await expect(workouts).toHaveCount(0)
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  await expect(workbench.explorerTabStop()).toBeFocused()
  await page.keyboard.type('workouts')
  await expect(workouts).toBeFocused()
  await page.keyboard.press('Shift+Enter')
  await expect(new TablePage(page, 'silver.workouts').root).toBeVisible()
})

test('open a wrong folder, create a new lakehouse and switch back through the recents', async ({ page }) => {
  const scratch = await mkdtemp(join(tmpdir(), 'lakebench-shell-'))
  try {
    const notALakehouse = join(scratch, 'holiday-photos')
    await mkdir(notALakehouse)
    const workbench = new Workbench(page)
    const shell = new Shell(page)
    await workbench.open(url)
    await expect(page.getByRole('heading', { name: 'sbit' })).toBeVisible()

    // A folder without lakebench.json: a sentence naming the path, the engine's detail one click away.
    await shell.chooseFromMenu('Open lakehouse…')
    const openDialog = page.getByRole('dialog', { name: 'Open a lakehouse' })
    await openDialog.getByRole('textbox', { name: 'Lakehouse folder' }).fill(notALakehouse)
    await openDialog.getByRole('button', { name: 'Open', exact: true }).click()
    const alert = openDialog.getByRole('alert')
    await expect(alert).toContainText(`“${notALakehouse}” is not a lakehouse folder: it has no lakebench.json.`)
    await alert.getByText('Details').click()
    await expect(alert).toContainText('NOT_A_LAKEHOUSE')
    await page.screenshot({ path: 'test-results/screenshots/shell-open-error.png' })
    await openDialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('heading', { name: 'sbit' })).toBeVisible()

    // A new, empty lakehouse through the path field: the header, the explorer and the editor follow.
    const fresh = join(scratch, 'scratch_lake')
    await shell.chooseFromMenu('New lakehouse…')
    const newDialog = page.getByRole('dialog', { name: 'New lakehouse' })
    await newDialog.getByRole('textbox', { name: 'Folder for the new lakehouse' }).fill(fresh)
    await newDialog.getByRole('radio', { name: /Empty/ }).check()
    await page.screenshot({ path: 'test-results/screenshots/shell-new-lakehouse.png' })
    await newDialog.getByRole('button', { name: 'Create' }).click()
    await expect(newDialog).toBeHidden()
    await expect(page.getByRole('heading', { name: 'scratch_lake' })).toBeVisible()
    expect(JSON.parse(await readFile(join(fresh, 'lakebench.json'), 'utf8')).name).toBe('scratch_lake')
    await expect(workbench.schema('silver')).toBeVisible()
    await expect(workbench.explorer.getByRole('treeitem', { name: /^Insert / })).toHaveCount(0)
    await workbench.runByKeyboard('SHOW TABLES IN silver')
    await expect(workbench.summary()).toContainText('0 rows')

    // Back to the sample through the recents: it is listed with its path.
    await shell.switcher.click()
    const recent = shell.menu.getByRole('menuitem', { name: new RegExp(`^sbit — ${lakehouse.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })
    await expect(recent).toBeVisible()
    await page.screenshot({ path: 'test-results/screenshots/shell-recents.png' })
    await recent.click()
    await expect(page.getByRole('heading', { name: 'sbit' })).toBeVisible()
    await expect(workbench.table('silver.workouts')).toBeVisible()
    await workbench.runByKeyboard('SELECT count(*) AS n FROM silver.workouts')
    await expect(workbench.summary()).toContainText('1 row')
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
})
