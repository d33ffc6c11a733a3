// Builds the SBIT sample lakehouse: seeded landing files for simulated days, ingested bronze -> silver -> gold with SQL.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Lakehouse } from '../../engine/lakehouse/folder'
import { SqlEngine } from '../../engine/sql/queryRunner'
import { DEFAULT_GYM_OPTIONS, generateGymEvents, type GymEventOptions } from './gymEvents'
import { writeLandingFiles } from './landingFiles'
import { bronzeIngestSql, erasureSql, refineSql, SBIT_DDL } from './medallionSql'

const QUERIES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'queries')

/**
 * A simulated clock for commit times: each simulated day's pipeline runs at 23:00 UTC, and every reading of the
 * clock moves it one second on, so commits get distinct, reproducible timestamps.
 */
class PipelineClock {
  private current = 0
  setTo(ms: number): void {
    this.current = ms
  }
  now(): number {
    this.current += 1000
    return this.current
  }
}

/**
 * Fills a new lakehouse with the SBIT gym sample: landing files for each simulated day, and Delta tables built from
 * them day by day (appends, INSERT OVERWRITE, REPLACE WHERE on the date-partitioned silver.heart_rate, a GDPR DELETE),
 * so every table has a real history; bronze.kafka_multiplex passes 10 commits and gets a checkpoint. Saved queries go
 * to queries/. Identical options give identical table contents.
 * @throws LakehouseError LAKEHOUSE_EXISTS when `dir` is already a lakehouse; SqlError if a statement fails.
 */
export async function buildSbitLakehouse(dir: string, options: GymEventOptions = DEFAULT_GYM_OPTIONS): Promise<Lakehouse> {
  const lakehouse = await Lakehouse.create(dir, { name: 'sbit' })
  const clock = new PipelineClock()
  const start = Date.parse(`${options.startDate}T00:00:00Z`)
  clock.setTo(start - 3600 * 1000)
  const engine = await SqlEngine.open(lakehouse, { clock })
  try {
    await engine.execute(SBIT_DDL)
    const batches = generateGymEvents(options)
    for (const batch of batches) {
      const dayStart = start + batch.day * 24 * 3600 * 1000
      clock.setTo(dayStart + 23 * 3600 * 1000)
      const files = await writeLandingFiles(lakehouse.root, batch)
      const loadTime = new Date(dayStart + 23 * 3600 * 1000).toISOString()
      await engine.execute(bronzeIngestSql(lakehouse.root, files, loadTime))
      if (batch.day === options.erasureDay) await engine.execute(erasureSql(options.erasedUserId))
      const previous = new Date(dayStart - 24 * 3600 * 1000).toISOString().slice(0, 10)
      await engine.execute(refineSql(batch.date, previous, files.kafka))
    }
  } finally {
    engine.close()
  }
  for (const name of await fs.readdir(QUERIES_DIR)) {
    if (name.endsWith('.sql')) await fs.copyFile(path.join(QUERIES_DIR, name), path.join(lakehouse.root, 'queries', name))
  }
  return lakehouse
}
