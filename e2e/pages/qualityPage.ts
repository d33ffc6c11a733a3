// QualityPage page object: the Quality workspace tab (quarantine browser, row drawer, section tabs), by role and accessible name.
import { type Locator, type Page, expect } from '@playwright/test'

export class QualityPage {
  readonly root: Locator
  readonly quarantineTables: Locator
  readonly grid: Locator
  readonly filter: Locator
  readonly drawer: Locator
  readonly sections: Locator

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Data quality' })
    this.quarantineTables = this.root.getByRole('navigation', { name: 'Quarantine tables' })
    this.grid = this.root.getByRole('grid', { name: 'Quarantined rows' })
    this.filter = this.root.getByRole('combobox', { name: 'Filter by expectation' })
    this.drawer = this.root.getByRole('complementary', { name: 'Quarantined row' })
    this.sections = this.root.getByRole('tablist', { name: 'Quality sections' })
  }

  /** Opens the Quality tab of the workspace and waits for the quarantine list. */
  async open(): Promise<void> {
    await this.page.getByRole('tablist', { name: 'Workspace' }).getByRole('tab', { name: 'Quality', exact: true }).click()
    await expect(this.root).toBeVisible()
    await expect(this.quarantineTables).toBeVisible()
  }

  /** The list entry of a quarantine table; its accessible name is "<table>: <n> rows". */
  quarantineTable(table: string): Locator {
    return this.quarantineTables.getByRole('button', { name: new RegExp(`^${table.replace('.', '\\.')}: `) })
  }

  /** Data rows of the grid (the header row excluded). */
  dataRows(): Locator {
    return this.grid.locator('[role="row"]:not([aria-rowindex="1"])')
  }

  summary(): Locator {
    return this.root.getByRole('status', { name: 'Quarantine summary' })
  }

  async showSection(name: 'Quarantine' | 'Expectations' | 'Reconciliation' | 'Watermarks'): Promise<void> {
    await this.sections.getByRole('tab', { name: new RegExp(`^${name}`) }).click()
  }
}
