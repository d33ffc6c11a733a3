// Journeys through SQL results on the sbit sample: sort and copy, a chart of a GROUP BY, the EXPLAIN ANALYZE tree, cancel, parquet export.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { type Page, expect, test } from '@playwright/test'
import { deltaRowCount } from '../support/deltaRowCount'
import { Workbench } from '../pages/workbench'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/sqlResults-${name}.png` })

/** The clipboard's text, read in the page (e2e code is typed without the DOM library). */
function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())
}

async function typeAndRun(workbench: Workbench, sql: string): Promise<void> {
  await workbench.runByKeyboard(sql)
}

/** Cell texts of the rendered data rows (row-number column excluded). */
async function renderedRows(workbench: Workbench, count: number): Promise<string[][]> {
  const rows: string[][] = []
  for (let i = 1; i <= count; i++) rows.push(await workbench.grid.getByRole('row').nth(i).getByRole('gridcell').allTextContents())
  return rows
}

// A journey that fails mid-query must not leave the shared engine busy for the next one.
test.afterEach(async ({ page }) => {
  const cancel = page.getByRole('toolbar', { name: 'Query actions' }).getByRole('button', { name: 'Cancel', exact: true })
  if (await cancel.isEnabled().catch(() => false)) await cancel.click()
})

test('sorts a million-row result by a column header and copies the selected rows as TSV', async ({ page, context }) => {
  test.setTimeout(180_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  const workbench = new Workbench(page)
  await workbench.open(url)
  // key = id * 7919 mod 10^6 is a permutation of 0..999999 (7919 is prime to 10^6), so the extremes are known exactly.
  await typeAndRun(workbench, 'SELECT id, (id * 7919) % 1000000 AS key, id % 3 = 0 AS fizz FROM range(1000000) t(id)')
  await expect(workbench.summary()).toContainText('1,000,000 rows', { timeout: 60_000 })
  const keyHeader = workbench.grid.getByRole('columnheader').filter({ has: page.getByRole('button', { name: 'Sort by key' }) })

  await keyHeader.getByRole('button', { name: 'Sort by key' }).click()
  await expect(keyHeader).toHaveAttribute('aria-sort', 'ascending')
  await expect.poll(() => renderedRows(workbench, 2)).toEqual([['0', '0', 'true'], [String(idOfKey(1)), '1', String(idOfKey(1) % 3 === 0)]])

  await keyHeader.getByRole('button', { name: 'Sort by key' }).click()
  await expect(keyHeader).toHaveAttribute('aria-sort', 'descending')
  const top = [999_999, 999_998, 999_997].map((key) => idOfKey(key))
  await expect.poll(() => renderedRows(workbench, 3)).toEqual(top.map((id, i) => [String(id), String(999_999 - i), String(id % 3 === 0)]))

  // Row numbers 1 and 3 (shift) select three whole rows; Ctrl/Cmd+C copies them with the header, in the sorted order.
  await workbench.grid.getByRole('rowheader', { name: '1', exact: true }).click()
  await workbench.grid.getByRole('rowheader', { name: '3', exact: true }).click({ modifiers: ['Shift'] })
  await expect(workbench.results.getByText('3 rows × 3 columns selected')).toBeVisible()
  await page.keyboard.press('ControlOrMeta+C')
  await expect(workbench.results.getByRole('status').filter({ hasText: 'Copied 3 rows × 3 columns' })).toBeVisible()
  const expected = ['id\tkey\tfizz', ...top.map((id, i) => `${id}\t${999_999 - i}\t${id % 3 === 0}`)].join('\n') + '\n'
  expect(await readClipboard(page)).toBe(expected)

  // Keyboard: a cell, then Shift+ArrowDown twice and ArrowLeft-free copy of one column through the Copy button.
  await workbench.firstCell(2).click()
  await page.keyboard.press('Shift+ArrowDown')
  await page.keyboard.press('Shift+ArrowDown')
  await expect(workbench.grid.locator('[aria-selected="true"][role="gridcell"]')).toHaveCount(3)
  await shot(page, 'sortCopy')
  await workbench.results.getByRole('button', { name: 'Copy', exact: true }).click()
  expect(await readClipboard(page)).toBe('999999\n999998\n999997\n')

  // A third click removes the sort: the result's own order is back.
  await keyHeader.getByRole('button', { name: 'Sort by key' }).click()
  await expect(keyHeader).toHaveAttribute('aria-sort', 'none')
  await expect(workbench.firstCell(1)).toHaveText('0')
  await expect(workbench.grid.getByRole('row').nth(2).getByRole('gridcell').first()).toHaveText('1')
})

test('charts a GROUP BY result as bars with the key on X and the measures on Y', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await typeAndRun(workbench, 'SELECT action, count(*) AS events, count(DISTINCT user_id) AS users FROM silver.workouts GROUP BY action ORDER BY action')
  await expect(workbench.summary()).toContainText(/\d+ rows?/)
  const gridRows = await workbench.grid.getByRole('row').count()
  const firstRow = await renderedRows(workbench, 1)

  await workbench.results.getByRole('group', { name: 'Result view' }).getByRole('button', { name: 'Chart' }).click()
  const settings = workbench.results.getByRole('group', { name: 'Chart settings' })
  await expect(settings.getByRole('button', { name: 'Bar' })).toHaveAttribute('aria-pressed', 'true')
  await expect(settings.getByRole('combobox', { name: 'X' })).toHaveValue('0')
  await expect(settings.getByRole('checkbox', { name: 'events' })).toBeChecked()
  await expect(settings.getByRole('checkbox', { name: 'users' })).toBeChecked()
  const figure = workbench.results.getByRole('figure', { name: /bar chart of events, users by action/ })
  await expect(figure.locator('canvas')).toBeVisible()
  // ECharts describes the drawn data in the canvas host's aria-label: the first group and its count are in it.
  const description = figure.locator('.chart-host')
  await expect(description).toHaveAttribute('aria-label', new RegExp(`${firstRow[0]![0]}.*${firstRow[0]![1]}`))
  expect(gridRows).toBeGreaterThan(1)
  await shot(page, 'chartBar')
  // The dark theme recolours the chart from the CSS variables.
  await page.getByRole('button', { name: 'Switch to dark theme' }).click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await shot(page, 'chartBarDark')

  // One measure off, line chart: the description follows.
  await settings.getByRole('checkbox', { name: 'users' }).uncheck()
  await settings.getByRole('button', { name: 'Line' }).click()
  await expect(workbench.results.getByRole('figure', { name: /line chart of events by action/ })).toBeVisible()
})

test('EXPLAIN ANALYZE shows the plan as a tree with the costly operators highlighted', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await typeAndRun(workbench, 'EXPLAIN ANALYZE SELECT w.action, count(*) AS events, count(DISTINCT u.user_id) AS users FROM silver.workouts w JOIN silver.users u ON u.user_id = w.user_id GROUP BY w.action')
  const tree = workbench.results.getByRole('tree', { name: 'Query plan' })
  await expect(tree).toBeVisible({ timeout: 30_000 })
  await expect(workbench.results.getByText(/EXPLAIN ANALYZE: the query ran in/)).toBeVisible()
  await expect(tree.getByRole('treeitem', { name: /^HASH_GROUP_BY/ })).toBeVisible()
  await expect(tree.getByRole('treeitem', { name: /JOIN/ }).first()).toBeVisible()
  // At least the slowest operator is marked costly.
  expect(await tree.getByRole('treeitem', { name: /, costly$/ }).count()).toBeGreaterThan(0)
  await shot(page, 'explainAnalyze')
  await page.getByRole('button', { name: 'Switch to dark theme' }).click()
  await shot(page, 'explainAnalyzeDark')

  const group = tree.getByRole('treeitem', { name: /^HASH_GROUP_BY/ })
  const before = await tree.getByRole('treeitem').count()
  await group.getByRole('button', { name: 'Collapse HASH_GROUP_BY' }).first().click()
  await expect(group).toHaveAttribute('aria-expanded', 'false')
  expect(await tree.getByRole('treeitem').count()).toBeLessThan(before)
  // The same plan as rows in the grid.
  await workbench.results.getByRole('group', { name: 'Result view' }).getByRole('button', { name: 'Grid' }).click()
  await expect(workbench.grid.getByRole('button', { name: 'Sort by actual_rows' })).toBeVisible()
})

test('a long query shows its elapsed time and is cancelled with Esc', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await typeAndRun(workbench, 'SELECT sum(a.range * b.range) FROM range(1000000) a, range(10000000) b')
  const running = workbench.results.getByRole('status').filter({ hasText: 'Running…' })
  await expect(running).toBeVisible()
  await expect(running).toContainText(/[1-9]\.\d\d s/, { timeout: 10_000 })
  await expect(running.getByRole('button', { name: 'Cancel the running query' })).toBeEnabled()
  // Focus leaves the editor (where Esc first closes any suggestion widget), then Esc cancels.
  await running.locator('.running-elapsed').click()
  await shot(page, 'running')
  await page.keyboard.press('Escape')
  await expect(workbench.results.getByRole('alert')).toContainText(/Cancelled after .*Statement 1 was cancelled/, { timeout: 15_000 })
  await expect(workbench.editor.locator('.squiggly-error')).toHaveCount(0)
  await shot(page, 'cancelled')
  // The engine is free again.
  await typeAndRun(workbench, 'SELECT 42 AS answer')
  await expect(workbench.firstCell()).toHaveText('42')
})

test('exports a result as parquet that reads back with the table\'s row count', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await typeAndRun(workbench, 'SELECT * FROM silver.heart_rate')
  await expect(workbench.summary()).toContainText(/rows/)
  const downloading = page.waitForEvent('download')
  await workbench.results.getByRole('button', { name: 'Export Parquet' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^Query_1\.parquet$/)
  const file = (await download.path())!
  const bytes = await readFile(file)
  expect(bytes.length).toBeGreaterThan(100)
  expect(bytes.subarray(0, 4).toString()).toBe('PAR1')
  const expected = await deltaRowCount(join(lakehouse, 'tables', 'silver', 'heart_rate'))
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${file.replace(/'/g, "''")}')`)
  expect(reader.getRowObjectsJS()[0]!.n).toBe(expected)
  connection.closeSync()
  instance.closeSync()
  await shot(page, 'exportParquet')
})

/** The id whose key is `key`: key = id * 7919 mod 10^6, inverted by a search (the keys are a permutation). */
function idOfKey(key: number): number {
  for (let id = 0; id < 1_000_000; id++) if ((id * 7919) % 1_000_000 === key) return id
  throw new Error(`no id has key ${key}`)
}
