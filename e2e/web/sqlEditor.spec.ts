// Journeys through the SQL editor on the sbit sample: completion, error markers, saved queries, run-all result tabs.
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { Workbench } from '../pages/workbench'

const url = process.env.LAKEBENCH_E2E_URL!
const lakehouse = process.env.LAKEBENCH_E2E_LAKEHOUSE!

/** Column names of silver.workouts as its latest Delta commit declares them (read from the log, not from the engine). */
async function latestColumns(schema: string, table: string): Promise<string[]> {
  const log = join(lakehouse, 'tables', schema, table, '_delta_log')
  const commits = (await readdir(log)).filter((f) => f.endsWith('.json')).sort()
  for (const commit of commits.reverse()) {
    for (const line of (await readFile(join(log, commit), 'utf8')).split('\n')) {
      if (!line.trim()) continue
      const action = JSON.parse(line) as { metaData?: { schemaString: string } }
      if (action.metaData) return (JSON.parse(action.metaData.schemaString) as { fields: { name: string }[] }).fields.map((f) => f.name)
    }
  }
  throw new Error(`no metaData in ${log}`)
}

async function typeInEditor(workbench: Workbench, text: string): Promise<void> {
  await workbench.editor.locator('.monaco-editor .view-lines').click()
  await workbench.page.keyboard.press('ControlOrMeta+A')
  await workbench.page.keyboard.press('Delete')
  await workbench.page.keyboard.type(text)
}

test('completion offers a table and its columns with types', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  const tables = (await readdir(join(lakehouse, 'tables', 'silver'))).sort()
  expect(tables).toContain('workouts')
  const suggest = page.locator('.suggest-widget')

  await typeInEditor(workbench, 'SELECT * FROM silver.')
  await expect(suggest).toBeVisible()
  for (const table of tables) await expect(suggest.getByRole('option', { name: new RegExp(`^${table}\\b`) })).toBeVisible()
  await page.keyboard.press('Escape')

  const columns = await latestColumns('silver', 'workouts')
  await typeInEditor(workbench, 'SELECT w. FROM silver.workouts w')
  await page.keyboard.press('Home')
  for (let i = 0; i < 'SELECT w.'.length; i++) await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ControlOrMeta+Space')
  await expect(suggest).toBeVisible()
  await expect(suggest.getByRole('option').first()).toContainText(columns[0]!)
  await page.screenshot({ path: 'test-results/screenshots/sqlEditor-completion.png' })
  await page.keyboard.press('Enter')
  await expect(workbench.editor.locator('.view-lines')).toContainText(`SELECT w.${columns[0]} FROM silver.workouts w`)
})

test('an error is marked at its line in the editor and cleared by the next run', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await typeInEditor(workbench, 'SELECT 1 AS one;\nSELECT count(*)\nFROM silver.no_such_table')
  await page.keyboard.press('Escape')
  await workbench.editor.getByRole('button', { name: 'Run all' }).click()
  await expect(workbench.results.getByRole('alert')).toContainText('no_such_table')

  const squiggle = workbench.editor.locator('.squiggly-error')
  await expect(squiggle).toHaveCount(1)
  const badLine = workbench.editor.locator('.view-line', { hasText: 'FROM silver.no_such_table' })
  const [mark, line] = [await squiggle.boundingBox(), await badLine.boundingBox()]
  // Same line (the third), starting after `FROM ` rather than at the line's start.
  expect(Math.abs(mark!.y + mark!.height / 2 - (line!.y + line!.height / 2))).toBeLessThan(line!.height / 2)
  expect(mark!.x).toBeGreaterThan(line!.x + 20)
  await page.screenshot({ path: 'test-results/screenshots/sqlEditor-errorMarker.png' })

  await typeInEditor(workbench, 'SELECT 2 AS two')
  await page.keyboard.press('Escape')
  await page.keyboard.press('ControlOrMeta+Enter')
  await expect(workbench.summary()).toContainText('1 row')
  await expect(squiggle).toHaveCount(0)
})

test('a saved query from queries/ opens in its own tab, runs, and edits save back as plain files; history finds it', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  const saved = (await readdir(join(lakehouse, 'queries'))).filter((f) => f.endsWith('.sql')).sort()
  expect(saved.length).toBeGreaterThan(0)
  const file = saved[0]!
  const text = await readFile(join(lakehouse, 'queries', file), 'utf8')

  const picker = workbench.editor.getByRole('combobox', { name: 'Open saved query' })
  await picker.focus()
  await expect(picker.locator('option', { hasText: file })).toHaveCount(1)
  await picker.selectOption(file)
  await expect(workbench.editor.getByRole('tab', { name: file })).toHaveAttribute('aria-selected', 'true')
  const firstLine = text.split('\n').find((l) => l.trim() !== '')!
  await expect(workbench.editor.locator('.view-lines')).toContainText(firstLine.slice(0, 40).replace(/ /g, '\u00a0'))

  await workbench.editor.getByRole('button', { name: 'Run all' }).click()
  await expect(workbench.summary().first()).toContainText(/\d+ rows?/)
  await page.screenshot({ path: 'test-results/screenshots/sqlEditor-savedQuery.png' })

  // A new tab saved under a new name lands in queries/ byte for byte.
  await workbench.editor.getByRole('button', { name: 'New query tab' }).click()
  await typeInEditor(workbench, 'SELECT count(*) AS users FROM silver.users')
  await page.keyboard.press('Escape')
  await workbench.editor.getByRole('button', { name: 'Save', exact: true }).click()
  await workbench.editor.getByRole('textbox', { name: 'Query file name' }).fill('user_count')
  await page.keyboard.press('Enter')
  await expect(workbench.editor.getByRole('tab', { name: 'user_count.sql', exact: true })).toBeVisible()
  await expect.poll(() => readFile(join(lakehouse, 'queries', 'user_count.sql'), 'utf8').catch(() => '')).toBe('SELECT count(*) AS users FROM silver.users')
  // Ctrl/Cmd+S saves the named tab again in place.
  await page.keyboard.type(' WHERE 1 = 1')
  await expect(workbench.editor.getByRole('tab', { name: /user_count\.sql/ })).toContainText('•')
  await page.keyboard.press('Escape')
  await page.keyboard.press('ControlOrMeta+S')
  await expect.poll(() => readFile(join(lakehouse, 'queries', 'user_count.sql'), 'utf8')).toBe('SELECT count(*) AS users FROM silver.users WHERE 1 = 1')
  await expect(workbench.editor.getByRole('tab', { name: /user_count\.sql/ })).not.toContainText('•')

  await page.keyboard.press('ControlOrMeta+Enter')
  await expect(workbench.summary()).toContainText('1 row')
  await workbench.editor.getByRole('button', { name: 'History' }).click()
  const history = workbench.editor.getByRole('complementary', { name: 'Query history' })
  await history.getByRole('searchbox', { name: 'Search history' }).fill('AS users')
  await expect(history.getByRole('button')).toContainText(['SELECT count(*) AS users FROM silver.users WHERE 1 = 1'])
  await expect(history.getByRole('button', { name: /AS users/ }).first()).toContainText('1 row')
  await page.screenshot({ path: 'test-results/screenshots/sqlEditor-history.png' })
})

test('run all shows one result tab per statement and exports the shown result as CSV', async ({ page }) => {
  const workbench = new Workbench(page)
  await workbench.open(url)
  await typeInEditor(workbench, 'SELECT 1 AS a;\nSELECT id FROM range(3) t(id);\nSELECT \'x,y\' AS s, NULL AS n')
  await page.keyboard.press('Escape')
  await workbench.editor.getByRole('button', { name: 'Run all' }).click()
  const tabs = workbench.results.getByRole('tablist', { name: 'Statement results' }).getByRole('tab')
  await expect(tabs).toHaveCount(3)
  await expect(workbench.summary()).toContainText('1 row')
  await tabs.nth(1).click()
  await expect(workbench.summary()).toContainText('3 rows')
  await expect(workbench.firstCell()).toHaveText('0')
  await tabs.nth(2).click()
  await page.screenshot({ path: 'test-results/screenshots/sqlEditor-runAll.png' })
  const download = page.waitForEvent('download')
  await workbench.results.getByRole('button', { name: 'Export CSV' }).click()
  const csv = await readFile((await (await download).path())!, 'utf8')
  expect(csv).toBe('s,n\r\n"x,y",\r\n')
})
