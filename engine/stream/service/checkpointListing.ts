// Lists a pipeline's flow checkpoints (checkpoints/<pipeline>/<flow>/) as the stream panel shows them: batches newest first.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { CheckpointBatchInfo, CheckpointFlowInfo } from '../../api/streamApi'
import type { BatchOffset } from '../../pipeline/run/checkpoints'
import { storedNameOf } from '../../pipeline/run/plan'
import type { LoadedPipeline } from '../../pipeline/runner'

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
}

/** Batch ids of `<dir>/<N>.json` files (the pipeline checkpoint's naming). */
async function batchIds(dir: string): Promise<number[]> {
  return (await listDir(dir)).map((e) => /^(\d+)\.json$/.exec(e.name)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]))
}

async function readJson(file: string): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8')
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new Error(`checkpoint file ${file} is not valid JSON: ${(e as Error).message}`)
  }
}

async function readJsonIfExists(file: string): Promise<unknown> {
  try {
    return await readJson(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

/** The flow a checkpoint folder belongs to: flowFolderName's %xx escapes undone. */
function flowOfFolder(folder: string): string {
  return folder.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/**
 * Every flow folder under checkpoints/<pipeline>/ (what is on disk, including flows since removed from the pipeline),
 * sorted by flow name, with its newest `limit` batches: the offsets/N.json content, whether commits/N.json exists, the
 * files and Delta ranges the batch read, and for watermarked flows the watermark it ran with and the state rows it kept
 * (state/N/watermark.json). @throws Error naming a checkpoint file that is not valid JSON.
 */
export async function listPipelineCheckpoints(lakehouseRoot: string, pipeline: LoadedPipeline, limit: number): Promise<CheckpointFlowInfo[]> {
  const name = pipeline.config.name
  const root = path.join(lakehouseRoot, 'checkpoints', name)
  const target = pipeline.definition.target ?? pipeline.config.target
  const out: CheckpointFlowInfo[] = []
  for (const entry of (await listDir(root)).filter((e) => e.isDirectory() && !e.name.startsWith('.'))) {
    const flow = flowOfFolder(entry.name)
    const dir = path.join(root, entry.name)
    const targetName = pipeline.definition.flows.find((f) => f.name === flow)?.target ?? flow
    const dataset = pipeline.definition.datasets.find((d) => d.name === targetName)
    const committed = new Set(await batchIds(path.join(dir, 'commits')))
    const ids = [...new Set([...(await batchIds(path.join(dir, 'offsets'))), ...committed])].sort((a, b) => b - a).slice(0, Math.max(0, limit))
    const batches: CheckpointBatchInfo[] = []
    for (const batchId of ids) {
      const offsets = await readJsonIfExists(path.join(dir, 'offsets', `${batchId}.json`))
      const offset = (offsets ?? {}) as Partial<BatchOffset>
      const saved = (await readJsonIfExists(path.join(dir, 'state', String(batchId), 'watermark.json'))) as { watermarkUsedMs?: unknown; stateRows?: unknown } | null
      batches.push({
        batchId,
        committed: committed.has(batchId),
        files: (offset.files ?? []).map((f) => f.path),
        deltaRanges: Object.entries(offset.sources ?? {}).map(([table, r]) => `${table}@${r.fromVersion}..${r.toVersion}`),
        offsets,
        watermark: typeof saved?.watermarkUsedMs === 'number' ? saved.watermarkUsedMs : null,
        stateRows: typeof saved?.stateRows === 'number' ? saved.stateRows : null
      })
    }
    out.push({ flow, target: (dataset && storedNameOf(dataset, target)) ?? targetName, path: path.relative(lakehouseRoot, dir).split(path.sep).join('/'), batches })
  }
  return out.sort((a, b) => a.flow.localeCompare(b.flow))
}
