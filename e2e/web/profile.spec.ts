// Journey: the explorer's row counts, sizes and last changes on the sbit sample; dragging a table into the editor; a table's Profile at two versions.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Page, expect, test } from '@playwright/test'
import { TablePage } from '../pages/tablePage'
import { Workbench } from '../pages/workbench'
import { deltaColumnStats } from '../support/deltaColumnStats'
import { schemaColumns } from '../support/deltaDiffCounts'
import { deltaRowCount, listVersions } from '../support/deltaRowCount'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!
const shot = (name: string) => `test-results/screenshots/profile-${name}.png`
const count = (n: number) => n.toLocaleString('en-US')

/** Every `schema.table` folder of the lakehouse. */
async function tableFolders(): Promise<{ qualified: string; dir: string }[]> {
  const root = join(lakehouse, 'tables')
  const out: { qualified: string; dir: string }[] = []
  for (const schema of await readdir(root)) {
    for (const table of await readdir(join(root, schema))) out.push({ qualified: `${schema}.${table}`, dir: join(root, schema, table) })
  }
  return out
}

/** The editor's text, line by line (Monaco renders spaces as no-break spaces). */
async function editorLines(page: Page): Promise<string[]> {
  const lines = page.getByRole('region', { name: 'SQL editor' }).locator('.view-lines .view-line')
  // Monaco positions each rendered line absolutely (style top), not in document order.
  const tops = await lines.evaluateAll((nodes) => nodes.map((n) => ({ top: Number(/top:\s*([\d.]+)px/.exec(n.getAttribute('style') ?? '')?.[1] ?? 0), text: (n.textContent ?? '').replace(/\u00a0/g, ' ') })))
  return tops.sort((a, b) => a.top - b.top).map((l) => l.text)
}

/**
 * Types two lines (leaving the cursor at the end of the second) and drags `table` from the explorer onto the end of
 * the first line, so text inserted at the cursor and text inserted at the drop point are told apart.
 */
async function dropTableOnFirstLine(page: Page, workbench: Workbench, table: string): Promise<void> {
  await workbench.editor.locator('.monaco-editor .view-lines').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('Delete')
  await page.keyboard.type('SELECT count(*) AS n FROM \n')
  await page.keyboard.press('Escape')
  await page.keyboard.type('WHERE user_id > 0')
  await page.keyboard.press('Escape')
  const box = (await workbench.editor.locator('.view-lines .view-line').first().boundingBox())!
  await workbench.table(table).dragTo(workbench.editor.locator('.monaco-editor .view-lines'), { targetPosition: { x: box.width - 20, y: box.height / 2 } })
}

test('the explorer shows each table’s rows, size and last change from its log, bronze to system', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  const workbench = new Workbench(page)
  await workbench.open(url)

  // Schemas in the order data flows through them.
  const schemaNames = await workbench.explorer.getByRole('treeitem', { name: /^Schema / }).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label')))
  expect(schemaNames.slice(0, 4)).toEqual(['Schema bronze', 'Schema silver', 'Schema gold', 'Schema system'])

  // Every table's row count is the one its Delta log gives; size and last change are there too.
  const tables = await tableFolders()
  expect(tables.length).toBeGreaterThan(10)
  for (const { qualified, dir } of tables) {
    const rows = await deltaRowCount(dir)
    const meta = workbench.explorer.getByTestId(`table-meta-${qualified}`)
    await expect(meta, qualified).toContainText(`${count(rows)} ${rows === 1 ? 'row' : 'rows'}`)
    await expect(meta, qualified).toContainText(/\d+(\.\d)? (B|KB|MB|GB)/)
    await expect(meta, qualified).toContainText(/(just now|ago)$/)
    const versions = await listVersions(dir)
    await expect(meta.locator('time'), qualified).toHaveAttribute('title', new RegExp(`^Version ${versions[versions.length - 1]} committed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`))
  }
  await workbench.table('silver.heart_rate').hover()
  await page.screenshot({ path: shot('explorer') })
  expect(pageErrors).toEqual([])
})

test('a table dragged from the explorer lands in the editor where it is dropped', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await dropTableOnFirstLine(page, workbench, 'silver.users')
  // The name goes to the drop point (end of line 1), not to the cursor (end of line 2).
  await expect.poll(async () => (await editorLines(page))[0]).toMatch(/^SELECT count\(\*\) AS n FROM silver\.users/)
  expect((await editorLines(page))[1]).toBe('WHERE user_id > 0')
  await page.screenshot({ path: shot('dragged') })
})

test('a dropped table name is inserted exactly, and the statement runs', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await dropTableOnFirstLine(page, workbench, 'silver.users')
  await expect.poll(() => editorLines(page), { timeout: 5_000 }).toEqual(['SELECT count(*) AS n FROM silver.users', 'WHERE user_id > 0'])
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.press('ControlOrMeta+Enter')
  await expect(workbench.firstCell()).toHaveText(String(await deltaRowCount(join(lakehouse, 'tables', 'silver', 'users'))))
})

test('a table’s profile at two versions: nulls, distinct counts and candidate keys agree with SQL over its files', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  const table = 'silver.user_profile'
  const tableDir = join(lakehouse, 'tables', 'silver', 'user_profile')
  const workbench = new Workbench(page)
  await workbench.open(url)
  const tablePage = new TablePage(page, table)
  await tablePage.openFromExplorer()
  const versions = await listVersions(tableDir)
  const latest = versions[versions.length - 1]!
  await expect(tablePage.version(latest)).toHaveAttribute('aria-current', 'true')

  await tablePage.showView(/^Profile/)
  for (const version of [latest, 1]) {
    if (version !== latest) await tablePage.version(version).click()
    const columnsTable = tablePage.root.getByRole('table', { name: `Column profile at version ${version}` })
    await expect(columnsTable).toBeVisible()
    const columns = await schemaColumns(tableDir, version)
    // Show every key, then check each against SQL: a single column is listed exactly when SQL finds it unique and
    // never null; every listed pair holds; and (user_id, __START_AT), the SCD2 key, is listed unless user_id alone is one.
    const more = tablePage.root.getByRole('button', { name: /more$/ })
    if (await more.isVisible()) await more.click()
    const keyList = tablePage.root.getByRole('list', { name: 'Keys' })
    const listedKeys = (await keyList.getByRole('listitem').allTextContents()).filter((k) => k !== 'fewer').map((k) => k.split(', '))
    const scd2Key = ['user_id', '__START_AT']
    const expected = await deltaColumnStats(tableDir, version, columns, [...columns.map((c) => [c]), ...listedKeys, scd2Key])
    await expect(tablePage.root.getByTestId('profile-rows')).toHaveText(count(expected.rows))
    for (const column of columns) expect(listedKeys.some((k) => k.length === 1 && k[0] === column), `${column} as a key at version ${version}`).toBe(expected.keys[column])
    for (const key of listedKeys) expect(expected.keys[key.join(', ')], `key (${key.join(', ')}) at version ${version}`).toBe(true)
    if (expected.rows > 0 && !expected.keys['user_id'] && expected.keys[scd2Key.join(', ')]) expect(listedKeys).toContainEqual(scd2Key)
    await page.screenshot({ path: shot(`keys-v${version}`) })
    if (await tablePage.root.getByRole('button', { name: 'fewer' }).isVisible()) await tablePage.root.getByRole('button', { name: 'fewer' }).click()

    for (const column of columns) {
      const { nulls, distinct } = expected.columns[column]!
      const row = columnsTable.locator(`tr[data-column="${column}"]`)
      await expect(row.getByTestId(`nulls-${column}`), `${column} nulls at v${version}`).toHaveText(new RegExp(`^${count(nulls)} · `))
      await expect(row.getByTestId(`distinct-${column}`), `${column} distinct at v${version}`).toHaveText(new RegExp(`^${count(distinct)}(unique)?$`))
    }
    await page.screenshot({ path: shot(`v${version}`), fullPage: false })
  }
  // The numeric columns carry a histogram.
  await expect(tablePage.root.getByRole('img', { name: /^Histogram of zip/ })).toBeVisible()

  // A larger, partitioned table: heart-rate readings have outliers; the data columns' counts agree with SQL.
  const heartRate = new TablePage(page, 'silver.heart_rate')
  const heartRateDir = join(lakehouse, 'tables', 'silver', 'heart_rate')
  await heartRate.openFromExplorer()
  await heartRate.showView(/^Profile/)
  const latestHeartRate = (await listVersions(heartRateDir)).at(-1)!
  const heartRateColumns = heartRate.root.getByRole('table', { name: `Column profile at version ${latestHeartRate}` })
  await expect(heartRateColumns).toBeVisible()
  const stats = await deltaColumnStats(heartRateDir, latestHeartRate, ['device_id', 'heartrate'], [])
  await expect(heartRate.root.getByTestId('profile-rows')).toHaveText(count(stats.rows))
  for (const column of ['device_id', 'heartrate']) {
    await expect(heartRateColumns.getByTestId(`distinct-${column}`)).toHaveText(new RegExp(`^${count(stats.columns[column]!.distinct)}(unique)?$`))
    await expect(heartRateColumns.getByTestId(`nulls-${column}`)).toHaveText(new RegExp(`^${count(stats.columns[column]!.nulls)} · `))
  }
  await expect(heartRateColumns.getByTestId('outliers-heartrate')).toHaveText(/^(no outliers|[\d,]+ outliers?)$/)
  await page.screenshot({ path: shot('heartRate') })
  // The same in the dark theme (the profile's colours are theme variables).
  await page.getByRole('button', { name: 'Switch to dark theme' }).click()
  await page.screenshot({ path: shot('heartRate-dark') })
  await page.getByRole('button', { name: 'Switch to light theme' }).click()
  expect(pageErrors).toEqual([])
})
