// Journey: open the sbit sample in the browser, browse the explorer, count rows now and at an older version.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { Workbench } from '../pages/workbench'
import { deltaRowCount, listVersions } from '../support/deltaRowCount'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!

test('opens the sample lakehouse, runs a count and a time-travel count', async ({ page }) => {
  const outsideRequests: string[] = []
  page.on('request', (request) => {
    const target = new URL(request.url())
    if (!['data:', 'blob:'].includes(target.protocol) && target.hostname !== '127.0.0.1') outsideRequests.push(request.url())
  })
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text())
  })

  const workbench = new Workbench(page)
  await workbench.open(url)
  await expect(page.getByRole('heading', { name: 'sbit' })).toBeVisible()

  // The explorer lists what is on disk: every schema folder, and the Delta tables in silver.
  const schemas = (await readdir(join(lakehouse, 'tables'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)
  expect(schemas).toEqual(expect.arrayContaining(['bronze', 'silver', 'gold']))
  for (const schema of schemas) await expect(workbench.schema(schema)).toBeVisible()
  const silverTables = (await readdir(join(lakehouse, 'tables', 'silver'))).sort()
  for (const table of silverTables) await expect(workbench.table(`silver.${table}`)).toBeVisible()

  // Count now: the expected number comes from the Delta log itself, not from the engine under test.
  const tableDir = join(lakehouse, 'tables', 'silver', 'workouts')
  const latest = await deltaRowCount(tableDir)
  await workbench.runByKeyboard('SELECT count(*) AS n FROM silver.workouts')
  await expect(workbench.summary()).toContainText('1 row')
  await expect(workbench.firstCell()).toHaveText(String(latest))

  // Time travel: pick the oldest version whose count differs from today's, so the check can tell them apart.
  const versions = await listVersions(tableDir)
  let older: { version: number; rows: number } | undefined
  for (const version of versions) {
    const rows = await deltaRowCount(tableDir, version)
    if (rows !== latest && rows > 0) {
      older = { version, rows }
      break
    }
  }
  expect(older, 'silver.workouts should have a version with a different row count').toBeDefined()
  await workbench.runByKeyboard(`SELECT count(*) AS n FROM silver.workouts VERSION AS OF ${older!.version}`)
  await expect(workbench.firstCell()).toHaveText(String(older!.rows))
  await page.screenshot({ path: 'test-results/screenshots/openSample-timeTravel.png' })

  // Preview from the explorer: SELECT * … LIMIT 100 fills the grid.
  await workbench.table('silver.workouts').hover()
  await workbench.explorer.getByRole('button', { name: 'Preview silver.workouts', exact: true }).click()
  await expect(workbench.summary()).toContainText(`${Math.min(100, latest)} rows`)
  await expect(workbench.grid.getByRole('columnheader').nth(1)).toBeVisible()

  await page.screenshot({ path: 'test-results/screenshots/openSample.png' })

  // An error reads as a sentence with its location.
  await workbench.runByKeyboard('SELECT * FROM silver.no_such_table')
  const alert = workbench.results.getByRole('alert')
  await expect(alert).toContainText('Query failed')
  await expect(alert).toContainText('no_such_table')
  await page.screenshot({ path: 'test-results/screenshots/openSample-error.png' })

  // A big result stays light: 150,000 rows, only the visible window in the DOM, the last row reachable by scrolling.
  await workbench.runByKeyboard('SELECT id, id * 2 AS twice FROM range(150000) t(id)')
  await expect(workbench.summary()).toContainText('150,000 rows')
  const renderedRows = await workbench.grid.getByRole('row').count()
  expect(renderedRows).toBeLessThan(100)
  await workbench.grid.evaluate((element) => element.scrollTo({ top: element.scrollHeight }))
  await expect(workbench.grid.getByRole('rowheader', { name: '150000', exact: true })).toBeVisible()
  await expect(workbench.grid.getByRole('row').last().getByRole('gridcell').nth(1)).toHaveText('299998')

  expect(outsideRequests).toEqual([])
  expect(pageErrors).toEqual([])
})
