// Writes a sample's numbered landing data sets and its pipeline folder into a lakehouse.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DataSetManifest, LandingFile } from './landingManifest'
import { generateRetailDataSets } from './retail/retailDataSets'
import { generateSbitDataSets } from './sbit/gymDataSets'

export const PIPELINE_SAMPLES = ['sbit', 'retail'] as const
export type PipelineSampleName = (typeof PIPELINE_SAMPLES)[number]

// The sample sources sit beside this file; a bundled host (the desktop app's main process) names their folder in LAKEBENCH_SAMPLES_DIR.
const SAMPLES_DIR = process.env.LAKEBENCH_SAMPLES_DIR || path.dirname(fileURLToPath(import.meta.url))

/** The landing files of data set `setNumber` (generated in memory; deterministic). */
export function dataSetFiles(sample: PipelineSampleName, setNumber: number): LandingFile[] {
  const sets = sample === 'sbit' ? generateSbitDataSets(setNumber) : generateRetailDataSets(setNumber)
  return sets[setNumber - 1]!.files
}

/**
 * Writes data set `setNumber` of `sample` into `<lakehouseDir>/landing/...` and returns its manifest (rows per file by
 * kind: good, late, duplicate, malformed, warned). Sets build on each other (late rows of set k belong to set k-1's
 * window, Kafka offsets continue), so they must be produced in order.
 * @throws RangeError when setNumber < 1; Error naming the missing file when an earlier set has not been produced.
 */
export async function produceDataSet(lakehouseDir: string, sample: PipelineSampleName, setNumber: number): Promise<DataSetManifest> {
  if (!Number.isInteger(setNumber) || setNumber < 1) throw new RangeError(`Data set numbers start at 1 (got ${setNumber})`)
  if (setNumber > 1) {
    for (const earlier of dataSetFiles(sample, setNumber - 1)) {
      try {
        await fs.access(path.join(lakehouseDir, earlier.path))
      } catch {
        throw new Error(`Cannot produce ${sample} data set ${setNumber}: data set ${setNumber - 1} is missing (${path.join(lakehouseDir, earlier.path)} not found); produce the sets in order`)
      }
    }
  }
  const files = dataSetFiles(sample, setNumber)
  for (const file of files) {
    const target = path.join(lakehouseDir, file.path)
    await fs.mkdir(path.dirname(target), { recursive: true })
    await fs.writeFile(target, file.text)
  }
  return { sample, setNumber, files: files.map((f) => f.manifest) }
}

/** The folder holding a sample's pipeline source (samples/<sample>/pipelines/<sample>). */
export function samplePipelineSource(sample: PipelineSampleName): string {
  return path.join(SAMPLES_DIR, sample, 'pipelines', sample)
}

/**
 * Copies the sample's pipeline (*.sql and pipeline.json) to `<lakehouseDir>/pipelines/<sample>/`.
 * @returns the names of the copied files, in name order.
 */
export async function installSamplePipeline(lakehouseDir: string, sample: PipelineSampleName): Promise<string[]> {
  const source = samplePipelineSource(sample)
  const target = path.join(lakehouseDir, 'pipelines', sample)
  await fs.mkdir(target, { recursive: true })
  const names = (await fs.readdir(source)).filter((n) => n.endsWith('.sql') || n === 'pipeline.json').sort()
  for (const name of names) await fs.copyFile(path.join(source, name), path.join(target, name))
  return names
}

/**
 * Copies every pipeline the sample ships (samples/<sample>/pipelines/<name>/: sbit has `sbit` and `sbit_live`) to
 * `<lakehouseDir>/pipelines/<name>/`, *.sql and pipeline.json of each.
 * @returns the names of the installed pipelines, in name order.
 */
export async function installSamplePipelines(lakehouseDir: string, sample: PipelineSampleName): Promise<string[]> {
  const folder = path.dirname(samplePipelineSource(sample))
  const names = (await fs.readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()
  for (const name of names) {
    const target = path.join(lakehouseDir, 'pipelines', name)
    await fs.mkdir(target, { recursive: true })
    for (const file of (await fs.readdir(path.join(folder, name))).filter((n) => n.endsWith('.sql') || n === 'pipeline.json').sort()) {
      await fs.copyFile(path.join(folder, name, file), path.join(target, file))
    }
  }
  return names
}

/**
 * Copies the sample's saved queries (samples/<sample>/savedQueries/*.sql) to `<lakehouseDir>/queries/`.
 * @returns the names of the copied files, in name order.
 */
export async function installSampleQueries(lakehouseDir: string, sample: PipelineSampleName): Promise<string[]> {
  const source = path.join(SAMPLES_DIR, sample, 'savedQueries')
  const target = path.join(lakehouseDir, 'queries')
  await fs.mkdir(target, { recursive: true })
  const names = (await fs.readdir(source)).filter((n) => n.endsWith('.sql')).sort()
  for (const name of names) await fs.copyFile(path.join(source, name), path.join(target, name))
  return names
}
