// Journey: the pipeline panel on the sbit sample: the lane graph, Validate, a live full refresh, flow metrics checked against the tables, a node's SQL.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { PipelinesPage } from '../pages/pipelinesPage'
import { QualityPage } from '../pages/qualityPage'
import { Workbench } from '../pages/workbench'
import { deltaRowCount } from '../support/deltaRowCount'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!
const shot = (name: string) => `test-results/screenshots/pipelines-${name}.png`
const count = (n: number) => n.toLocaleString('en-US')

/** The tables the sbit pipeline defines, from its SQL files (unqualified names go to pipeline.json's target, silver). */
async function pipelineTables(): Promise<string[]> {
  const dir = join(lakehouse, 'pipelines', 'sbit')
  const tables: string[] = []
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()) {
    for (const m of (await readFile(join(dir, file), 'utf8')).matchAll(/^CREATE\s+(?:OR\s+REFRESH\s+)?(?:STREAMING\s+)?(?:LIVE\s+)?(?:TABLE|MATERIALIZED\s+VIEW)\s+([\w.]+)/gim)) {
      tables.push(m[1]!.includes('.') ? m[1]!.toLowerCase() : `silver.${m[1]!.toLowerCase()}`)
    }
  }
  return tables
}

/** Landing paths the pipeline's SQL reads, straight from its files: `'${source}/x'` with source = landing. */
async function landingPaths(): Promise<string[]> {
  const dir = join(lakehouse, 'pipelines', 'sbit')
  const paths = new Set<string>()
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.sql'))) {
    for (const m of (await readFile(join(dir, file), 'utf8')).matchAll(/read_files\(\s*'\$\{source\}\/([\w/-]+)'/g)) paths.add(`landing/${m[1]}`)
  }
  return [...paths]
}

test('runs the sbit pipeline from its graph and shows what each flow wrote', async ({ page }) => {
  test.setTimeout(120_000)
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()))

  const workbench = new Workbench(page)
  await workbench.open(url)
  const pipelines = new PipelinesPage(page)
  await pipelines.open()

  // The graph: four lanes, a node per landing path and per stored table, with the sample's last run on each node.
  for (const lane of ['Landing', 'Bronze', 'Silver', 'Gold']) await expect(pipelines.lane(lane)).toBeVisible()
  const paths = await landingPaths()
  expect(paths.length).toBe(3)
  for (const path of paths) await expect(pipelines.landingNode(path)).toBeVisible()
  const tables = await pipelineTables()
  expect(tables.length).toBe(14)
  for (const table of tables) await expect(pipelines.node(table)).toHaveCount(1)
  await expect(pipelines.node('bronze.registered_users')).toHaveAccessibleName(/: (completed|no new data|unchanged), [\d,]+ rows written/)
  // Lanes run left to right: a landing node lies left of bronze, bronze of silver, silver of gold.
  const left = async (name: string) => (await pipelines.node(name).boundingBox())!.x
  expect(await left('Landing files landing/registered_users')).toBeLessThan(await left('bronze.registered_users'))
  expect(await left('bronze.registered_users')).toBeLessThan(await left('silver.users'))
  expect(await left('silver.gym_logs')).toBeLessThan(await left('gold.gym_summary'))
  await page.screenshot({ path: shot('graph') })

  // Validate: the sample is valid and every dataset is in the planned order.
  await pipelines.button('Validate').click()
  await expect(pipelines.root.getByRole('status', { name: 'Validation result' })).toHaveText(/^Valid: \d+ datasets would run in this order\.$/)
  await page.screenshot({ path: shot('validate') })

  // Full refresh of every table, followed live: the bar counts flows up to every flow, and the log records them.
  await pipelines.button('Full refresh all').click()
  await expect(pipelines.progress).toBeVisible()
  await expect(pipelines.button('Stop')).toBeEnabled().catch(() => undefined) // a fast run may already be over
  await page.screenshot({ path: shot('running') })
  await expect(pipelines.progress.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 })
  const progress = (await pipelines.progress.getByTestId('run-progress-count').innerText()).split('/').map(Number)
  expect(progress[0]).toBe(progress[1])
  expect(progress[0]).toBeGreaterThanOrEqual(tables.length)
  const log = pipelines.root.getByRole('list', { name: 'Run events' })
  await expect(log.getByRole('listitem').last()).toContainText(/Run completed: \d+ flows/)
  await expect(log.getByRole('listitem').filter({ hasText: 'started' })).toHaveCount(progress[0]!)
  await page.screenshot({ path: shot('completed') })

  // Flow metrics: rows written by each flow of the full refresh equal the rows now in its table, read from the Delta log.
  // (silver.user_profile is filled by an SCD2 CDC flow: it writes change rows, not the table's size, so it is left out.)
  await pipelines.showTab('Flows')
  await expect(pipelines.flowsTable()).toBeVisible()
  const rows = pipelines.flowsTable().locator('tbody tr')
  await expect(rows).toHaveCount(progress[0]!)
  let checked = 0
  for (const table of tables.filter((t) => t !== 'silver.user_profile')) {
    const [schema, name] = table.split('.') as [string, string]
    const flow = schema === 'silver' ? name : table
    const expected = await deltaRowCount(join(lakehouse, 'tables', schema, name))
    await expect(pipelines.flowWritten(flow), `${table} rows written`).toHaveText(count(expected))
    checked++
  }
  expect(checked).toBe(tables.length - 1)
  await expect(pipelines.flowsTable().getByRole('columnheader', { name: /^Rows per flow/ })).toBeVisible()
  await page.screenshot({ path: shot('flows') })

  // A node: its panel shows the CREATE statement at its file:line, the expectations and its runs.
  await pipelines.node('silver.workouts').click()
  const panel = pipelines.datasetPanel('silver.workouts')
  await expect(panel).toBeVisible()
  const sql = await readFile(join(lakehouse, 'pipelines', 'sbit', '03_silver_workouts.sql'), 'utf8')
  const line = sql.split('\n').findIndex((l) => /^CREATE .*STREAMING TABLE workouts\b/i.test(l)) + 1
  expect(line).toBeGreaterThan(0)
  await expect(panel.locator('figcaption').first()).toHaveText(`pipelines/sbit/03_silver_workouts.sql:${line}`)
  await expect(panel.locator('pre').first()).toContainText(/CREATE OR REFRESH STREAMING TABLE workouts/)
  await expect(panel.getByRole('region', { name: 'Expectations' }).getByRole('row')).toHaveCount(1 + 2)
  await expect(panel.getByRole('region', { name: 'Last runs' }).getByRole('row').nth(1)).toContainText(count(await deltaRowCount(join(lakehouse, 'tables', 'silver', 'workouts'))))
  await expect(panel.getByRole('button', { name: 'Open table' })).toBeVisible()
  await expect(panel.getByRole('button', { name: 'Quarantine' })).toBeVisible()
  await page.screenshot({ path: shot('node') })

  // The event log filters by level: the warnings are the flows that quarantined rows.
  await pipelines.showTab('Event log')
  await pipelines.root.getByRole('radio', { name: /^warn/ }).click()
  await expect(log.getByRole('listitem').first()).toContainText(/failed \d+/)
  await page.screenshot({ path: shot('log') })

  // The panel follows the dark theme (colours come only from the theme's variables).
  await page.getByRole('button', { name: 'Switch to dark theme' }).click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await pipelines.showTab('Flows')
  await page.screenshot({ path: shot('dark') })
  await page.getByRole('button', { name: 'Switch to light theme' }).click()

  // Quarantine hands over to the Quality panel on silver.workouts_quarantine: its rows are the ones the run dropped,
  // and one row opens with the expectation it failed.
  await panel.getByRole('button', { name: 'Quarantine' }).click()
  const quality = new QualityPage(page)
  await expect(quality.root).toBeVisible()
  await expect(quality.quarantineTable('silver.workouts_quarantine')).toHaveAttribute('aria-current', 'true')
  const quarantined = await deltaRowCount(join(lakehouse, 'tables', 'silver', 'workouts_quarantine'))
  expect(quarantined).toBeGreaterThan(0)
  await expect(quality.dataRows()).toHaveCount(quarantined)
  await quality.dataRows().first().click()
  await expect(quality.drawer.getByRole('region', { name: 'Failed expectations' })).toContainText(/valid_(action|session)/)
  await page.screenshot({ path: shot('quarantinedRow') })
  await page.getByRole('tablist', { name: 'Workspace' }).getByRole('tab', { name: 'Pipelines', exact: true }).click()
  await expect(panel).toBeVisible()

  // Open table hands over to the table page.
  await panel.getByRole('button', { name: 'Open table' }).click()
  await expect(page.getByRole('region', { name: 'Table silver.workouts' })).toBeVisible()

  expect(pageErrors).toEqual([])
})
