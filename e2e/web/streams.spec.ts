// Journey: the Streaming tab on the sbit sample: a noisy live producer feeds the continuous sbit_live pipeline; batches
// arrive, a late row is explained against its watermark, its count matches the late table, and the checkpoint lists batches.
import { expect, test } from '@playwright/test'
import { StreamsPage } from '../pages/streamsPage'
import { Workbench } from '../pages/workbench'

const url = process.env.LAKEBENCH_E2E_URL!
const shot = (name: string) => `test-results/screenshots/streams-${name}.png`
const lateTable = 'silver.live_bpm_10min_late'
/** lateRows' default limit: below it the panel lists every late row. */
const lateListLimit = 200

test('streams sbit_live from a noisy producer, explains a late row and inspects the checkpoint', async ({ page }) => {
  test.setTimeout(240_000)
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()))

  const workbench = new Workbench(page)
  await workbench.open(url)
  const streams = new StreamsPage(page)
  await streams.open()

  // The sbit sample has a producer; nothing has run yet in this session.
  await expect(streams.producer.getByText(/→ landing\//)).toBeVisible()
  await expect(streams.producer.getByTestId('producer-status')).toHaveText('idle')

  // Noisy and fast: 5% late records, ten files a second.
  await streams.knob('Late fraction').fill('0.05')
  await streams.knob('Rate (files/s)').fill('10')
  await streams.producer.getByRole('button', { name: 'Apply settings' }).click()
  await expect(streams.producer.getByRole('alert')).toHaveCount(0)
  await expect(streams.producer.getByRole('button', { name: 'Apply settings' })).toBeDisabled()
  await expect(streams.knob('Late fraction')).toHaveValue('0.05')
  await streams.producerButton('Start producer').click()
  await expect(streams.producer.getByTestId('producer-status')).toHaveText('running')
  await expect.poll(async () => Number((await streams.producer.getByTestId('producer-files').innerText()).replace(/,/g, '')), { timeout: 15_000 }).toBeGreaterThan(0)

  // The continuous pipeline, one micro-batch every 500 ms.
  const pipeline = streams.query.getByLabel('Pipeline', { exact: true })
  await expect(pipeline).toHaveValue('sbit_live')
  await streams.query.getByLabel('Trigger', { exact: true }).selectOption('processingTime')
  await streams.query.getByLabel('Interval (ms)', { exact: true }).fill('500')
  await streams.queryButton('Start query').click()
  await expect(streams.query.getByTestId('query-status')).toHaveText('running')
  await expect(streams.query.getByRole('status', { name: 'Query status' })).toContainText('processingTime 500 ms')

  // Several batches arrive: the latest-batch summary follows them and the charts count them.
  await expect.poll(() => streams.latestBatchId(), { timeout: 90_000 }).toBeGreaterThanOrEqual(3)
  await expect(streams.chart('Input and processed rows per second').locator('figcaption')).toContainText(/\d+ batches · latest/)
  await expect(streams.chart('State rows per batch').locator('figcaption')).toContainText('state rows after batch')
  await expect(streams.query.getByRole('alert')).toHaveCount(0)
  await page.screenshot({ path: shot('running') })

  // A late row appears in the list and as a point in the event-time chart; its detail says why it was late.
  await expect(streams.lateList.getByRole('button').first()).toBeVisible({ timeout: 120_000 })
  await expect(streams.chart('Event time against processing time').locator('figcaption')).toContainText(/watermark \d{4}-\d\d-\d\d .* · [1-9][\d,]* late rows?/)
  // The chart follows the table with late rows (sbit_live's windowed heart rate), not the workouts' far-off event times.
  const eventTimeChart = streams.chart('Event time against processing time')
  await expect(eventTimeChart.getByLabel('Event-time table')).toHaveValue('silver.live_bpm_10min')
  await expect(eventTimeChart.locator('figcaption')).toContainText('of silver.live_bpm_10min')
  await streams.lateList.getByRole('button').first().click()
  await expect(streams.lateDetail).toBeVisible()
  const explanation = await streams.lateDetail.getByTestId('late-explanation').innerText()
  const m = /^event time (\S+ \S+) ≤ watermark (\S+ \S+)(?: \(flow batch (\d+)\))?, late by (.+)$/.exec(explanation)
  expect(m, `explanation "${explanation}"`).not.toBeNull()
  expect(Date.parse(`${m![1]!.replace(' ', 'T')}Z`)).toBeLessThanOrEqual(Date.parse(`${m![2]!.replace(' ', 'T')}Z`))
  expect(m![4]).toMatch(/^\d[\d.]* (ms|s|min)( \d+ s)?$|^\d+ h( \d+ min)?$/)
  await expect(streams.lateDetail.getByRole('region', { name: 'Late row values' })).toContainText('heartrate')
  await page.screenshot({ path: shot('lateRow') })
  await page.keyboard.press('Escape')
  await expect(streams.lateDetail).toBeHidden()

  // Stop the query (the running batch finishes), then compare the late rows listed with the late table's count.
  await streams.queryButton('Stop query').click()
  await expect(streams.query.getByTestId('query-status')).toHaveText('stopped', { timeout: 60_000 })
  await streams.root.getByRole('button', { name: 'Refresh', exact: true }).click()
  await expect(streams.root.getByTestId('late-count')).toHaveText(/newest first$/)
  const listedAll = await streams.lateList.getByRole('button').count()
  const listed = await streams.lateList.locator(`button[data-table="${lateTable}"]`).count()
  expect(listed).toBeGreaterThan(0)

  // The checkpoint inspector: each flow of sbit_live with its committed batches and raw offsets.
  await streams.showSection('Checkpoint')
  const flows = streams.root.getByRole('region', { name: /^Flow / })
  await expect(flows.first()).toBeVisible()
  const firstTable = flows.first().getByRole('table')
  await expect(firstTable.getByRole('row').nth(1)).toContainText('committed')
  await firstTable.getByRole('row').nth(1).getByText(/^offsets\/\d+$/).click()
  await expect(firstTable.locator('pre').first()).toBeVisible()
  await page.screenshot({ path: shot('checkpoint') })

  // The same panel in the dark theme (its colours are theme variables).
  await page.getByRole('button', { name: 'Switch to dark theme' }).click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await streams.showSection('Live')
  await page.screenshot({ path: shot('dark') })
  await page.getByRole('button', { name: 'Switch to light theme' }).click()

  // Pause the producer so nothing more lands while the table is counted.
  await streams.producerButton('Pause producer').click()
  await expect(streams.producer.getByTestId('producer-status')).toHaveText('paused')

  // The late table holds exactly the late rows the panel lists (all of them while there are fewer than the list's limit).
  await page.getByRole('tablist', { name: 'Workspace' }).getByRole('tab', { name: 'SQL editor' }).click()
  await workbench.runByKeyboard(`SELECT count(*) AS n FROM ${lateTable}`)
  await expect(workbench.summary()).toContainText('1 row')
  const counted = Number((await workbench.firstCell().innerText()).replace(/,/g, ''))
  if (listedAll < lateListLimit) expect(counted).toBe(listed)
  else expect(counted).toBeGreaterThanOrEqual(listed)

  expect(pageErrors).toEqual([])
})
