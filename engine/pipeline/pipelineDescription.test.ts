// Tests describePipeline against the real sbit sample pipeline after one run (so quarantine tables exist).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { methodSpec } from '../api/methods'
import type { Lakehouse } from '../lakehouse/folder'
import { createSampleLakehouse } from '../../samples/index'
import { describePipeline } from './pipelineDescription'

let dir: string
let lakehouse: Lakehouse

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lakebench-describe-'))
  lakehouse = await createSampleLakehouse(join(dir, 'sbit'), 'sbit', { dataSets: 1 })
}, 120_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('describePipeline', () => {
  it('gives each dataset its CREATE statement at file:line, its landing sources and its quarantine table', async () => {
    const description = await describePipeline(lakehouse, 'sbit')
    expect(description.files).toEqual(['01_bronze.sql', '02_silver_users.sql', '03_silver_workouts.sql', '04_gold.sql'].map((f) => `pipelines/sbit/${f}`))
    const users = description.datasets.find((d) => d.name === 'bronze.registered_users')!
    expect(users.table).toBe('bronze.registered_users')
    expect(users.definitions).toHaveLength(1)
    expect(users.definitions[0]).toMatchObject({ file: 'pipelines/sbit/01_bronze.sql', line: 5, column: 1 })
    expect(users.definitions[0]!.text).toMatch(/^CREATE OR REFRESH STREAMING TABLE bronze\.registered_users \(/)
    // The text is the file's, as written: placeholders stay; the file source shows the path they resolve to.
    expect(users.definitions[0]!.text).toContain("'${source}/registered_users'")
    expect(users.fileSources).toEqual([{ function: 'read_files', path: 'landing/registered_users', format: 'csv', streaming: true }])
    expect(users.expectations.map((e) => e.name)).toEqual(['parsed_row', 'has_user_id'])
    expect(users.quarantineTable).toBe('bronze.registered_users_quarantine')
    expect(users.flows).toEqual(['bronze.registered_users'])
    expect(methodSpec('pipeline.describe')!.result.safeParse(description).success).toBe(true)
  })

  it('names no quarantine table until one exists, even for a dataset with DROP ROW expectations', async () => {
    const quarantine = await lakehouse.resolveTable('bronze', 'gym_logins_quarantine')
    expect(quarantine).not.toBeNull()
    await rm(quarantine!.path, { recursive: true, force: true })
    const logins = (await describePipeline(lakehouse, 'sbit')).datasets.find((d) => d.name === 'bronze.gym_logins')!
    expect(logins.expectations.some((e) => e.action === 'drop')).toBe(true)
    expect(logins.quarantineTable).toBeNull()
  })

  it('includes the CDC statement that fills a query-less streaming table, and no quarantine without DROP ROW', async () => {
    const description = await describePipeline(lakehouse, 'sbit')
    const profile = description.datasets.find((d) => d.name === 'user_profile')!
    expect(profile.table).toBe('silver.user_profile')
    expect(profile.definitions).toHaveLength(2)
    expect(profile.definitions[0]!.text).toMatch(/^CREATE/)
    expect(profile.definitions[1]!.text).toMatch(/^(APPLY CHANGES|AUTO CDC|CREATE FLOW)/i)
    expect(profile.definitions[1]!.line).toBeGreaterThan(profile.definitions[0]!.line)
    expect(profile.quarantineTable).toBeNull()
    // A temporary view runs inside its readers' queries: it has a definition but no flow of its own.
    const view = description.datasets.find((d) => d.kind === 'temporary_view')!
    expect(view.table).toBeNull()
    expect(view.flows).toEqual([])
    expect(view.definitions[0]!.text).toMatch(/^CREATE/)
    const gold = description.datasets.find((d) => d.name === 'gold.gym_summary')!
    expect(gold.dependsOn).toEqual(['gym_logs'])
    expect(gold.fileSources).toEqual([])
  })

  it('fails for an unknown pipeline with PIPELINE_NOT_FOUND', async () => {
    await expect(describePipeline(lakehouse, 'no_such_pipeline')).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND' })
  })
})
