// liveProducerFactory: the hosts' LiveProducerFactory, opening the live producer of the sample a lakehouse was built from.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { LAKEHOUSE_FILE } from '../lakehouse/folder'
import type { LiveProducerFactory } from '../stream/streamService'

export type SampleOfLakehouse = 'sbit' | 'retail'

async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory()
  } catch {
    return false
  }
}

/**
 * The sample a lakehouse holds: by its pipelines (sbit_live or sbit → sbit, retail → retail), else by the name in
 * lakebench.json (a sample is created with its own name); null for any other lakehouse. Never throws: an unreadable
 * lakebench.json means "not a sample".
 */
export async function sampleOfLakehouse(root: string): Promise<SampleOfLakehouse | null> {
  if ((await isFolder(path.join(root, 'pipelines', 'sbit_live'))) || (await isFolder(path.join(root, 'pipelines', 'sbit')))) return 'sbit'
  if (await isFolder(path.join(root, 'pipelines', 'retail'))) return 'retail'
  try {
    const name = (JSON.parse(await fs.readFile(path.join(root, LAKEHOUSE_FILE), 'utf8')) as { name?: unknown }).name
    return name === 'sbit' || name === 'retail' ? name : null
  } catch {
    return null
  }
}

/**
 * Opens (or resumes) the live producer of the lakehouse's sample (samples/streamProfiles liveSampleProducer), or null
 * when the lakehouse is not a sample lakehouse. Loaded on demand, like the sample builder.
 * @throws ProducerError PRODUCER_CHANGED / PRODUCER_STATE_CORRUPT when producers/live-<sample>/state.json does not fit.
 */
export const openLiveSampleProducer: LiveProducerFactory = async (root, options) => {
  const sample = await sampleOfLakehouse(root)
  if (!sample) return null
  const { liveSampleProducer } = await import('../../samples/streamProfiles')
  return liveSampleProducer(root, sample, options)
}
