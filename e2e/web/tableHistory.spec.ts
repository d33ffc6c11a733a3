// Journey: a table's page on the sbit sample: versions, time travel to an older version, diff two versions, restore.
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { TablePage } from '../pages/tablePage'
import { Workbench } from '../pages/workbench'
import { deltaDiffCounts, liveFiles, schemaColumns } from '../support/deltaDiffCounts'
import { deltaRowCount, listVersions } from '../support/deltaRowCount'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!
const table = 'silver.user_profile'
const tableDir = join(lakehouse, 'tables', 'silver', 'user_profile')
const shot = (name: string) => `test-results/screenshots/tableHistory-${name}.png`
const count = (n: number) => n.toLocaleString('en-US')

test('browses versions, diffs two of them and restores an older one', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()))

  const workbench = new Workbench(page)
  await workbench.open(url)
  const tablePage = new TablePage(page, table)
  await tablePage.openFromExplorer()

  // The timeline lists every commit in the log, newest first.
  const versions = await listVersions(tableDir)
  expect(versions.length, `${table} should have at least 3 versions`).toBeGreaterThanOrEqual(3)
  const latest = versions[versions.length - 1]!
  await expect(tablePage.versionButtons()).toHaveCount(versions.length)
  await expect(tablePage.versionButtons().first()).toHaveAccessibleName(new RegExp(`^Version ${latest}:`))
  await expect(tablePage.version(latest)).toHaveAttribute('aria-current', 'true')
  await page.screenshot({ path: shot('versions') })

  // An older version: its row count and preview match the count read straight from the Delta log.
  const older = 1
  const olderRows = await deltaRowCount(tableDir, older)
  await tablePage.version(older).click()
  await expect(tablePage.version(older)).toHaveAttribute('aria-current', 'true')
  await expect(tablePage.rowsFact()).toHaveText(count(olderRows))
  const columns = await schemaColumns(tableDir, older)
  const schemaTable = tablePage.root.getByRole('table', { name: `Schema at version ${older}` })
  await expect(schemaTable.getByRole('row')).toHaveCount(1 + columns.length)
  for (const column of columns) await expect(schemaTable.getByRole('cell', { name: column, exact: true })).toBeVisible()
  await page.screenshot({ path: shot('schema') })
  await tablePage.showVersionTab('Preview')
  await expect(tablePage.previewSummary()).toContainText(`${count(olderRows)} rows`)
  await expect(tablePage.previewSummary()).toContainText(`at version ${older}`)
  await page.screenshot({ path: shot('preview') })
  await tablePage.showVersionTab('Files')
  await expect(tablePage.root.getByRole('table', { name: `Files at version ${older}` })).toBeVisible()
  await page.screenshot({ path: shot('files') })
  await tablePage.showVersionTab('Actions')
  await expect(tablePage.root.getByRole('list', { name: `Actions of commit ${older}` })).toContainText('commitInfo')
  await page.screenshot({ path: shot('actions') })

  // Diff v1 → latest. First with the inferred key; silver.user_profile keeps history (SCD type 2), so no single
  // column identifies a row and the page must say so readably. Then by (user_id, __START_AT) from the key picker; the
  // counts must match a DuckDB computation over the raw files, and that key must be unique in both versions.
  await tablePage.showView('Diff')
  await tablePage.root.getByRole('combobox', { name: 'From version' }).selectOption(String(older))
  await tablePage.root.getByRole('combobox', { name: 'To version' }).selectOption(String(latest))
  await tablePage.root.getByRole('button', { name: 'Compare' }).click()
  const inferred = tablePage.diffSummary().or(tablePage.root.getByRole('alert'))
  await expect(inferred).toBeVisible()
  if (await tablePage.root.getByRole('alert').isVisible()) {
    await expect(tablePage.root.getByRole('alert')).toContainText('No key could be inferred')
    await page.screenshot({ path: shot('diffNoKey') })
  }
  const key = ['user_id', '__START_AT']
  for (const column of key) await tablePage.root.getByRole('combobox', { name: 'Add key column' }).selectOption(column)
  await tablePage.root.getByRole('button', { name: 'Compare' }).click()
  await expect(tablePage.diffSummary()).toContainText(`by ${key.join(', ')}`)
  const expected = await deltaDiffCounts(tableDir, older, latest, key)
  expect(expected.keyUnique, `(${key.join(', ')}) should be unique in both versions`).toBe(true)
  await expect(tablePage.root.getByTestId('diff-added')).toHaveText(`${count(expected.added)} added`)
  await expect(tablePage.root.getByTestId('diff-removed')).toHaveText(`${count(expected.removed)} removed`)
  await expect(tablePage.root.getByTestId('diff-changed')).toHaveText(`${count(expected.changed)} changed`)
  const diffGrid = tablePage.root.getByRole('grid', { name: 'Differing rows' })
  await expect(diffGrid.getByRole('row')).toHaveCount(1 + expected.added + expected.removed + expected.changed)
  if (expected.changed > 0) await expect(diffGrid.locator('.cell-changed').first()).toBeVisible()
  await page.screenshot({ path: shot('diff') })

  // Restore to v1: the dialog says what changes; after confirming, a RESTORE version tops the timeline with v1's rows.
  await tablePage.showView(/^Version/)
  await tablePage.version(older).click()
  await tablePage.restoreButton().click()
  const dialog = page.getByRole('dialog', { name: `Restore ${table} to version ${older}?` })
  await expect(dialog.getByRole('definition').nth(1)).toHaveText(count(olderRows))
  await page.screenshot({ path: shot('restoreConfirm') })
  await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
  await expect(dialog).toBeHidden()
  const restored = latest + 1
  await expect(tablePage.versionButtons().first()).toHaveAccessibleName(new RegExp(`^Version ${restored}: RESTORE`))
  await expect(tablePage.version(restored)).toHaveAttribute('aria-current', 'true')
  expect(await deltaRowCount(tableDir, restored)).toBe(olderRows)
  await expect(tablePage.rowsFact()).toHaveText(count(olderRows))
  await page.screenshot({ path: shot('restored') })

  expect(pageErrors).toEqual([])
})

test('shows DESCRIBE DETAIL, a VACUUM dry run and OPTIMIZE that keeps the rows', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  const tablePage = new TablePage(page, table)
  await tablePage.openFromExplorer()
  const versionsBefore = await listVersions(tableDir)
  const latest = versionsBefore[versionsBefore.length - 1]!
  await expect(tablePage.version(latest)).toHaveAttribute('aria-current', 'true')

  // DESCRIBE DETAIL: the file count agrees with the files the log says are live.
  await tablePage.showView('Detail')
  const detail = tablePage.root.getByRole('table', { name: 'Table detail' })
  await expect(detail.getByRole('row', { name: /^numFiles/ }).getByRole('cell')).toHaveText(String((await liveFiles(tableDir, latest)).length))
  await page.screenshot({ path: shot('detail') })

  // VACUUM opens with a dry run; cancelling it deletes nothing and writes no version.
  await tablePage.root.getByRole('button', { name: 'Vacuum…' }).click()
  const vacuum = page.getByRole('dialog', { name: `Vacuum ${table}?` })
  await expect(vacuum).toContainText(/Dry run: (no data file|[0-9,]+ files)/)
  await page.screenshot({ path: shot('vacuumDryRun') })
  await vacuum.getByRole('button', { name: 'Cancel' }).click()
  await expect(vacuum).toBeHidden()
  expect(await listVersions(tableDir)).toEqual(versionsBefore)

  // OPTIMIZE: whatever it rewrites, the rows at the new latest version are the rows before it.
  const rowsBefore = await deltaRowCount(tableDir, latest)
  await tablePage.root.getByRole('button', { name: 'Optimize…' }).click()
  const optimize = page.getByRole('dialog', { name: `Optimize ${table}?` })
  await optimize.getByRole('button', { name: 'Optimize', exact: true }).click()
  await expect(optimize.getByRole('status')).toBeVisible()
  await page.screenshot({ path: shot('optimized') })
  await optimize.getByRole('button', { name: 'Close' }).click()
  const versionsAfter = await listVersions(tableDir)
  expect(await deltaRowCount(tableDir, versionsAfter[versionsAfter.length - 1]!)).toBe(rowsBefore)
  await expect(tablePage.versionButtons()).toHaveCount(versionsAfter.length)
})
