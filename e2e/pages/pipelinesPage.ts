// PipelinesPage page object: the pipeline panel (controls, lane graph, dataset panel, run details), by role and accessible name.
import { type Locator, type Page, expect } from '@playwright/test'

export class PipelinesPage {
  readonly root: Locator
  readonly toolbar: Locator
  readonly graph: Locator
  readonly progress: Locator
  readonly detailTabs: Locator

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Pipelines' })
    this.toolbar = this.root.getByRole('toolbar', { name: 'Pipeline actions' })
    this.graph = this.root.getByRole('group', { name: 'Pipeline graph' })
    this.progress = this.root.getByRole('status', { name: 'Run progress' })
    this.detailTabs = this.root.getByRole('tablist', { name: 'Run details' })
  }

  /** Shows the Pipelines workspace tab and waits for the graph's nodes to be laid out. */
  async open(): Promise<void> {
    await this.page.getByRole('tablist', { name: 'Workspace' }).getByRole('tab', { name: 'Pipelines' }).click()
    await expect(this.root).toBeVisible()
    await expect(this.graph.locator('.dag-node').first()).toBeVisible()
  }

  /** A lane's title in the graph (Landing, Bronze, Silver, Gold). */
  lane(title: string): Locator {
    return this.graph.locator('.dag-lane-title', { hasText: new RegExp(`^${title}$`) })
  }

  /** The node of a stored table or landing path (its accessible name starts with that name). */
  node(name: string): Locator {
    return this.graph.getByRole('button', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\b`) })
  }

  landingNode(path: string): Locator {
    return this.graph.getByRole('button', { name: `Landing files ${path}` })
  }

  button(name: string | RegExp): Locator {
    return this.toolbar.getByRole('button', { name })
  }

  async showTab(name: 'Flows' | 'Event log' | 'Validation' | 'Runs'): Promise<void> {
    await this.detailTabs.getByRole('tab', { name: new RegExp(`^${name}`) }).click()
  }

  /** The Flows tab's metrics table. */
  flowsTable(): Locator {
    return this.root.getByRole('table', { name: 'Flow metrics' })
  }

  /** The rows-written cell of a flow in the metrics table. */
  flowWritten(flow: string): Locator {
    return this.flowsTable().locator(`tr[data-flow="${flow}"]`).getByTestId('flow-written')
  }

  /** The side panel of a dataset (`schema.table`). */
  datasetPanel(table: string): Locator {
    return this.root.getByRole('complementary', { name: `Dataset ${table}` })
  }
}
