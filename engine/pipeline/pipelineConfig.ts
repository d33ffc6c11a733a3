// pipelines/<name>/pipeline.json: the pipeline's target schema, configuration values, ANSI mode, watermark control and reconciliation.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { Lakehouse } from '../lakehouse/folder'
import { PipelineRunError } from './run/runTypes'

const watermarkControlSchema = z.object({
  sourceSystem: z.string().min(1),
  /** The stored table (`schema.name`) whose successful commits advance the watermark. */
  table: z.string().min(1),
  watermarkColumn: z.string().min(1)
})

const reconciliationSchema = z.object({
  source: z.string().min(1),
  target: z.string().min(1),
  keyColumns: z.array(z.string()).optional(),
  sumColumns: z.array(z.string()).optional(),
  warnThreshold: z.number().nonnegative().optional(),
  failThreshold: z.number().nonnegative().optional(),
  /** DuckDB conditions narrowing the source / target rows compared. */
  sourceFilter: z.string().optional(),
  targetFilter: z.string().optional()
})

const configSchema = z.object({
  target: z.string().min(1).optional(),
  configuration: z.record(z.string(), z.string()).optional(),
  ansi: z.boolean().optional(),
  watermarkControl: z.array(watermarkControlSchema).optional(),
  reconciliation: z.array(reconciliationSchema).optional()
})

export type WatermarkControlConfig = z.infer<typeof watermarkControlSchema>
export type ReconciliationConfig = z.infer<typeof reconciliationSchema>

/** pipeline.json with its defaults applied. */
export interface PipelineConfig {
  name: string
  /** Absolute folder pipelines/<name>. */
  folder: string
  /** Schema for unqualified dataset names. */
  target: string
  configuration: Record<string, string>
  ansi: boolean
  watermarkControl: WatermarkControlConfig[]
  reconciliation: ReconciliationConfig[]
}

/** The folder of pipeline `name` inside the lakehouse. */
export function pipelineFolder(lakehouse: Lakehouse, name: string): string {
  return path.join(lakehouse.root, 'pipelines', name)
}

/**
 * Names of the pipelines of a lakehouse: folders under pipelines/ holding at least one .sql file, sorted.
 */
export async function listPipelines(lakehouse: Lakehouse): Promise<string[]> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = await fs.readdir(path.join(lakehouse.root, 'pipelines'), { withFileTypes: true })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  const names: string[] = []
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue
    const files = await fs.readdir(path.join(lakehouse.root, 'pipelines', entry.name))
    if (files.some((f) => f.toLowerCase().endsWith('.sql'))) names.push(entry.name)
  }
  return names.sort()
}

/**
 * Reads pipelines/<name>/pipeline.json (optional) and applies the defaults: target = the pipeline name when that is a
 * lakehouse schema, else "default"; ansi = true.
 * @throws PipelineRunError PIPELINE_NOT_FOUND when the folder does not exist; INVALID_CONFIG naming the file and field.
 */
export async function readPipelineConfig(lakehouse: Lakehouse, name: string): Promise<PipelineConfig> {
  const folder = pipelineFolder(lakehouse, name)
  try {
    if (!(await fs.stat(folder)).isDirectory()) throw new Error('not a folder')
  } catch {
    const known = await listPipelines(lakehouse)
    throw new PipelineRunError('PIPELINE_NOT_FOUND', `No pipeline '${name}' in ${lakehouse.root}: ${folder} does not exist${known.length ? ` (pipelines: ${known.join(', ')})` : ''}`, { pipeline: name })
  }
  const file = path.join(folder, 'pipeline.json')
  let raw: unknown = {}
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') throw new PipelineRunError('INVALID_CONFIG', `${file} is not valid JSON: ${(e as Error).message}`, { file })
  }
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new PipelineRunError('INVALID_CONFIG', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { file, path: issue.path.join('.') })
  }
  const config = parsed.data
  const target = config.target ?? ((await lakehouse.resolveSchemaName(name)) !== null ? name.toLowerCase() : 'default')
  return {
    name,
    folder,
    target: target.toLowerCase(),
    configuration: config.configuration ?? {},
    ansi: config.ansi ?? true,
    watermarkControl: config.watermarkControl ?? [],
    reconciliation: config.reconciliation ?? []
  }
}
