// StreamsPage page object: the Streaming workspace tab (producer, query, latest batch, charts, late rows, checkpoint), by role and name.
import { type Locator, type Page, expect } from '@playwright/test'

export class StreamsPage {
  readonly root: Locator
  readonly producer: Locator
  readonly query: Locator
  readonly latest: Locator
  readonly lateList: Locator
  readonly lateDetail: Locator
  readonly sections: Locator

  constructor(readonly page: Page) {
    this.root = page.getByRole('region', { name: 'Streaming', exact: true })
    this.producer = this.root.getByRole('region', { name: 'Producer' })
    this.query = this.root.getByRole('region', { name: 'Streaming query' })
    this.latest = this.root.getByRole('region', { name: 'Latest batch' })
    this.lateList = this.root.getByRole('list', { name: 'Late rows' })
    this.lateDetail = this.root.getByRole('complementary', { name: 'Late row' })
    this.sections = this.root.getByRole('tablist', { name: 'Streaming sections' })
  }

  /** Shows the Streaming workspace tab and waits for the stream status (the query's Start button). */
  async open(): Promise<void> {
    await this.page.getByRole('tablist', { name: 'Workspace' }).getByRole('tab', { name: 'Streaming', exact: true }).click()
    await expect(this.root).toBeVisible()
    await expect(this.query.getByRole('button', { name: 'Start query' })).toBeVisible()
  }

  /** A producer knob's input by its label ('Rate (files/s)', 'Late fraction', …). */
  knob(label: string): Locator {
    return this.producer.getByLabel(label, { exact: true })
  }

  producerButton(name: 'Start producer' | 'Pause producer' | 'Resume producer' | 'Step producer'): Locator {
    return this.producer.getByRole('button', { name, exact: true })
  }

  queryButton(name: 'Start query' | 'Stop query'): Locator {
    return this.query.getByRole('button', { name, exact: true })
  }

  /** A chart by its accessible name; its caption (figcaption) summarises what it draws. */
  chart(name: 'Input and processed rows per second' | 'Event time against processing time' | 'State rows per batch'): Locator {
    return this.root.getByRole('figure', { name })
  }

  /** The newest batch's id as shown in the latest-batch summary (NaN before the first). */
  async latestBatchId(): Promise<number> {
    const id = this.latest.getByTestId('latest-batch-id')
    return (await id.count()) === 0 ? Number.NaN : Number(await id.innerText())
  }

  async showSection(name: 'Live' | 'Checkpoint'): Promise<void> {
    await this.sections.getByRole('tab', { name: new RegExp(`^${name}`) }).click()
  }
}
