import { afterAll, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../api/events'
import { methodSpec } from '../api/methods'
import { engineEventSchema } from '../api/schemas'
import { createEngine } from '../createEngine'
import { removeTestLakehouses, shopLakehouse } from './run/testPipelineLakehouse'

function waitFor(events: EngineEvent[], predicate: (e: EngineEvent) => boolean): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const check = (): void => {
      const found = events.find(predicate)
      if (found) resolve(found)
      else setTimeout(check, 20)
    }
    check()
  })
}

afterAll(removeTestLakehouses)

describe('Engine API: pipeline domain', () => {
  it('lists and validates pipelines, runs one in the background with progress events, and refuses a second concurrent run', async () => {
    const lakehouse = await shopLakehouse()
    const engine = await createEngine({ lakehouseDir: lakehouse.root })
    const events: EngineEvent[] = []
    engine.onEvent((e) => events.push(e))
    try {
      const [shop] = await engine.pipeline.list()
      expect(shop!.name).toBe('shop')
      expect(shop!.datasets.map((d) => [d.table, d.kind])).toEqual([
        ['bronze.users', 'streaming_table'], ['bronze.events', 'streaming_table'], ['silver.users', 'streaming_table'], ['silver.events', 'streaming_table'], ['gold.user_activity', 'materialized_view']
      ])
      expect(shop!.datasets.find((d) => d.name === 'gold.user_activity')!.dependsOn).toEqual(['silver.users', 'silver.events'])
      expect(methodSpec('pipeline.list')!.result.safeParse([shop]).success).toBe(true)

      const validation = await engine.pipeline.validate({ name: 'shop' })
      expect(validation).toMatchObject({ valid: true, diagnostics: [] })
      expect(await lakehouse.listTables()).toEqual([])

      const { runId } = await engine.pipeline.run({ name: 'shop' })
      await expect(engine.pipeline.run({ name: 'shop' })).rejects.toMatchObject({ code: 'PIPELINE_RUNNING' })
      const finished = await waitFor(events, (e) => e.type === 'pipeline.finished' && e.runId === runId)
      expect(finished).toMatchObject({ type: 'pipeline.finished', status: 'completed', pipeline: 'shop' })
      const progress = events.filter((e) => e.type === 'pipeline.progress' && e.finished !== undefined)
      expect(progress.map((e) => e.type === 'pipeline.progress' && [e.flow, e.finished!.status])).toEqual([
        ['bronze.users', 'completed'], ['bronze.events', 'completed'], ['silver.users', 'completed'], ['silver.events', 'completed'], ['gold.user_activity', 'completed']
      ])
      for (const e of events) expect(engineEventSchema.safeParse(e).success).toBe(true)
      expect(events.some((e) => e.type === 'tables.changed')).toBe(true)
    } finally {
      await engine.close()
    }
  }, 60_000)

  it('cancels a run: later flows are reported cancelled and tables keep committed versions', async () => {
    const lakehouse = await shopLakehouse()
    const engine = await createEngine({ lakehouseDir: lakehouse.root })
    const events: EngineEvent[] = []
    let cancelled = false
    engine.onEvent((e) => {
      events.push(e)
      // Cancel the first run as soon as its first flow finished.
      if (!cancelled && e.type === 'pipeline.progress' && e.finished?.flow === 'bronze.users') {
        cancelled = true
        void engine.pipeline.cancel({ runId: e.runId })
      }
    })
    try {
      const { runId } = await engine.pipeline.run({ name: 'shop' })
      const finished = await waitFor(events, (e) => e.type === 'pipeline.finished' && e.runId === runId)
      expect(finished).toMatchObject({ status: 'cancelled' })
      if (finished.type !== 'pipeline.finished') throw new Error('unreachable')
      expect(finished.flows[0]).toMatchObject({ flow: 'bronze.users', status: 'completed' })
      expect(finished.flows.slice(1).every((f) => f.status === 'cancelled')).toBe(true)
      // The next run picks up where the cancelled one stopped.
      const { runId: next } = await engine.pipeline.run({ name: 'shop' })
      const done = await waitFor(events, (e) => e.type === 'pipeline.finished' && e.runId === next)
      expect(done).toMatchObject({ status: 'completed' })
      if (done.type !== 'pipeline.finished') throw new Error('unreachable')
      expect(done.flows.map((f) => f.status)).toEqual(['no_new_data', 'completed', 'completed', 'completed', 'completed'])
    } finally {
      await engine.close()
    }
  }, 60_000)

  it('validates arguments at the boundary and names missing pipelines', async () => {
    expect(methodSpec('pipeline.run')!.arg.safeParse({ name: 'shop', fullRefresh: true, select: ['gold.x'] }).success).toBe(true)
    expect(methodSpec('pipeline.run')!.arg.safeParse({ name: '../etc' }).success).toBe(false)
    expect(methodSpec('pipeline.run')!.arg.safeParse({ name: 'shop', fullRefresh: false }).success).toBe(false)
    expect(methodSpec('pipeline.cancel')!.arg.safeParse({ runId: 'x', extra: 1 }).success).toBe(false)
    const lakehouse = await shopLakehouse()
    const engine = await createEngine({ lakehouseDir: lakehouse.root })
    try {
      await expect(engine.pipeline.run({ name: 'nope' })).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND', detail: { source: 'pipeline', pipeline: 'nope' } })
    } finally {
      await engine.close()
    }
  }, 60_000)
})
