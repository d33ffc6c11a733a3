// TablePage page object: a table's page (versions timeline, version tabs, diff, restore dialog), by role and accessible name.
import { type Locator, type Page, expect } from '@playwright/test'

export class TablePage {
  readonly root: Locator
  readonly versions: Locator
  readonly viewTabs: Locator
  readonly versionTabs: Locator

  constructor(
    readonly page: Page,
    readonly table: string
  ) {
    this.root = page.getByRole('region', { name: `Table ${table}` })
    this.versions = this.root.getByRole('list', { name: 'Versions' })
    this.viewTabs = this.root.getByRole('tablist', { name: 'Table views' })
    this.versionTabs = this.root.getByRole('tablist', { name: 'Version details' })
  }

  /** Opens the page from the explorer's table item with the mouse (its Open button shows on hover; Shift+Enter is the key). */
  async openFromExplorer(): Promise<void> {
    const explorer = this.page.getByRole('navigation', { name: 'Explorer' })
    await explorer.getByRole('treeitem', { name: `Insert ${this.table}`, exact: true }).hover()
    await explorer.getByRole('button', { name: `Open ${this.table}`, exact: true }).click()
    await expect(this.root).toBeVisible()
  }

  /** The timeline entry of `version` (its accessible name starts "Version N:"). */
  version(version: number): Locator {
    return this.versions.getByRole('button', { name: new RegExp(`^Version ${version}:`) })
  }

  versionButtons(): Locator {
    return this.versions.getByRole('button')
  }

  /** The Rows fact of the shown version. */
  rowsFact(): Locator {
    return this.root.getByTestId('version-rows')
  }

  async showVersionTab(name: 'Schema' | 'Preview' | 'Files' | 'Actions'): Promise<void> {
    await this.versionTabs.getByRole('tab', { name: new RegExp(`^${name}`) }).click()
  }

  async showView(name: 'Diff' | 'Detail' | RegExp): Promise<void> {
    await this.viewTabs.getByRole('tab', { name }).click()
  }

  previewSummary(): Locator {
    return this.root.getByRole('status', { name: 'Preview summary' })
  }

  diffSummary(): Locator {
    return this.root.getByRole('status', { name: 'Diff summary' })
  }

  restoreButton(): Locator {
    return this.root.getByRole('toolbar', { name: 'Table actions' }).getByRole('button', { name: /^Restore to v/ })
  }
}
