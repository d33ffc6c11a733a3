// Workbench page object: the explorer, the SQL editor and the results grid, addressed by role and accessible name.
import { type Locator, type Page, expect } from '@playwright/test'

export class Workbench {
  readonly explorer: Locator
  readonly editor: Locator
  readonly results: Locator
  readonly grid: Locator

  constructor(readonly page: Page) {
    this.explorer = page.getByRole('navigation', { name: 'Explorer' })
    this.editor = page.getByRole('region', { name: 'SQL editor' })
    this.results = page.getByRole('region', { name: 'Results' })
    this.grid = this.results.getByRole('grid', { name: 'Query results' })
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await expect(this.editor.locator('.monaco-editor .view-lines')).toBeVisible()
  }

  /** A schema's item in the explorer tree (aria-expanded says whether its tables show). */
  schema(name: string): Locator {
    return this.explorer.getByRole('treeitem', { name: `Schema ${name}`, exact: true })
  }

  /** A table's item in the explorer tree: click or Enter inserts its name, it drags into the editor. */
  table(qualifiedName: string): Locator {
    return this.explorer.getByRole('treeitem', { name: `Insert ${qualifiedName}`, exact: true })
  }

  /** The explorer tree's single Tab stop (the item focused last, or the first). */
  explorerTabStop(): Locator {
    return this.explorer.getByRole('tree').locator('[role="treeitem"][tabindex="0"]')
  }

  /** Replaces the editor's text by typing `sql`, then runs it with Ctrl+Enter. */
  async runByKeyboard(sql: string): Promise<void> {
    await this.editor.locator('.monaco-editor .view-lines').click()
    await this.page.keyboard.press('ControlOrMeta+A')
    await this.page.keyboard.press('Delete')
    await this.page.keyboard.type(sql)
    await this.page.keyboard.press('Escape') // close any suggestion widget so Enter cannot accept it
    await this.page.keyboard.press('ControlOrMeta+Enter')
  }

  /** The text of the first data cell of column `column` (1-based, after the row-number column). */
  firstCell(column = 1): Locator {
    return this.grid.getByRole('row').nth(1).getByRole('gridcell').nth(column - 1)
  }

  summary(): Locator {
    return this.results.getByRole('status', { name: 'Result summary' })
  }
}
