// Journey: the Quality tab on the sbit sample: quarantine tables with their real row counts, a quarantined row's failed
// expectation and reason, pass-rate bars, and the reconciliation and watermark sections (empty for sbit: it configures none).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { QualityPage } from '../pages/qualityPage'
import { Workbench } from '../pages/workbench'
import { deltaRowCount } from '../support/deltaRowCount'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!
const shot = (name: string) => `test-results/screenshots/quality-${name}.png`
const count = (n: number) => n.toLocaleString('en-US')

/** Every `<schema>.<table>_quarantine` folder of the lakehouse with its row count read from its Delta log. */
async function quarantineTablesOnDisk(): Promise<{ table: string; rows: number }[]> {
  const found: { table: string; rows: number }[] = []
  for (const schema of await readdir(join(lakehouse, 'tables'))) {
    for (const name of await readdir(join(lakehouse, 'tables', schema))) {
      if (name.endsWith('_quarantine')) found.push({ table: `${schema}.${name}`, rows: await deltaRowCount(join(lakehouse, 'tables', schema, name)) })
    }
  }
  return found.sort((a, b) => a.table.localeCompare(b.table))
}

/** The condition a pipeline file declares for `expectation` (`CONSTRAINT name EXPECT (condition) ON VIOLATION ...`). */
async function declaredCondition(expectation: string): Promise<string> {
  const folder = join(lakehouse, 'pipelines', 'sbit')
  for (const file of await readdir(folder)) {
    if (!file.endsWith('.sql')) continue
    const m = (await readFile(join(folder, file), 'utf8')).match(new RegExp(`CONSTRAINT\\s+${expectation}\\s+EXPECT\\s+\\((.*)\\)\\s+ON VIOLATION`))
    if (m) return m[1]!
  }
  throw new Error(`No pipeline file of ${folder} declares expectation ${expectation}`)
}

test('browses quarantined rows, opens one, and reads pass rates, reconciliation and watermarks', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()))

  const workbench = new Workbench(page)
  await workbench.open(url)
  const quality = new QualityPage(page)
  await quality.open()

  // Every quarantine table on disk is listed, with the row count its Delta log holds.
  const onDisk = await quarantineTablesOnDisk()
  expect(onDisk.length, 'the sbit sample should quarantine rows').toBeGreaterThan(0)
  await expect(quality.quarantineTables.getByRole('button')).toHaveCount(onDisk.length)
  for (const { table, rows } of onDisk) await expect(quality.quarantineTable(table)).toHaveAccessibleName(`${table}: ${count(rows)} rows`)
  await page.screenshot({ path: shot('overview') })

  // silver.heart_rate_quarantine: all its rows, then only those that failed valid_heartrate.
  const table = 'silver.heart_rate_quarantine'
  const total = onDisk.find((t) => t.table === table)!.rows
  await quality.quarantineTable(table).click()
  await expect(quality.quarantineTable(table)).toHaveAttribute('aria-current', 'true')
  await expect(quality.summary()).toContainText(`${count(total)} rows`)
  await expect(quality.dataRows()).toHaveCount(total)
  const expectation = 'valid_heartrate'
  await quality.filter.selectOption(expectation)
  const failedOption = await quality.filter.locator(`option[value="${expectation}"]`).textContent()
  const failed = Number(/\((\d+)\)/.exec(failedOption ?? '')![1])
  expect(failed).toBeGreaterThan(0)
  expect(failed).toBeLessThanOrEqual(total)
  await expect(quality.summary()).toContainText(`${count(failed)} rows`)
  await expect(quality.dataRows()).toHaveCount(failed)
  await page.screenshot({ path: shot('filtered') })

  // One quarantined row: the drawer names the failed expectation, its declared condition and the reason.
  await quality.dataRows().first().click()
  await expect(quality.drawer).toBeVisible()
  const condition = await declaredCondition(expectation)
  const rules = quality.drawer.getByRole('region', { name: 'Failed expectations' })
  await expect(rules).toContainText(expectation)
  await expect(rules).toContainText(`EXPECT (${condition}) ON VIOLATION DROP ROW`)
  await expect(quality.drawer.getByRole('region', { name: 'Reason' })).toContainText(`${expectation}: EXPECT (${condition}) ON VIOLATION DROP ROW`)
  await expect(quality.drawer.getByRole('region', { name: 'Row values' })).toContainText('heartrate')
  await page.screenshot({ path: shot('row') })
  await page.keyboard.press('Escape')
  await expect(quality.drawer).toBeHidden()

  // Pass rates: one bar per expectation; valid_heartrate failed rows, so it is below 100%.
  await quality.showSection('Expectations')
  const meter = quality.root.getByRole('meter', { name: `${expectation} pass rate` })
  await expect(meter).toBeVisible()
  expect(Number(await meter.getAttribute('aria-valuenow'))).toBeLessThan(100)
  await page.screenshot({ path: shot('expectations') })

  // sbit's pipeline.json configures no reconciliation and no watermarks: the sections say so and how to add them.
  await quality.showSection('Reconciliation')
  await expect(quality.root.getByText('No reconciliation has run')).toBeVisible()
  await expect(quality.root.getByText('pipeline.json', { exact: false }).first()).toBeVisible()
  await page.screenshot({ path: shot('reconciliation') })
  await quality.showSection('Watermarks')
  await expect(quality.root.getByText('No watermarks are kept')).toBeVisible()
  await page.screenshot({ path: shot('watermarks') })

  expect(pageErrors).toEqual([])
})
