// The sample lakehouses Lakebench can generate (`lakebench init DIR --sample sbit|retail`).
import type { Lakehouse } from '../engine/lakehouse/folder'
import { type SampleBuildStep, buildPipelineSample } from './buildPipelineSample'

export type { SampleBuildStep } from './buildPipelineSample'
export { installSamplePipeline, installSamplePipelines, produceDataSet } from './dataSets'
export { sampleProducer, sampleUnitSource, type SampleProducerOptions } from './sampleProducer'
export type { DataSetManifest, LandingFileManifest, RowCounts } from './landingManifest'

export const SAMPLE_NAMES = ['sbit', 'retail'] as const
export type SampleName = (typeof SAMPLE_NAMES)[number]

export interface CreateSampleOptions {
  /** Data sets to land, running the pipeline after each (default 2, so every table has a history). */
  dataSets?: number
  /** false: land the data and write the pipeline without running it (`lakebench run` then builds the tables). */
  run?: boolean
  /** Told before each step of the build (see buildPipelineSample). */
  onStep?: (step: SampleBuildStep) => void
}

/**
 * Creates a lakehouse in `dir` filled with a sample, built the way a user would: the sample's pipeline goes to
 * pipelines/<sample>/, saved queries to queries/, then data sets 1 and 2 land in landing/ and the pipeline runs after
 * each (at simulated nightly times), so tables have one version per run and time travel has something to show.
 * Running the pipeline again afterwards commits nothing. Deterministic: the same sample always gives the same table
 * contents and versions (file names and table ids are random, as Delta requires).
 * @throws LakehouseError LAKEHOUSE_EXISTS when `dir` is already a lakehouse; Error when a run does not complete.
 */
export async function createSampleLakehouse(dir: string, sample: SampleName, options: CreateSampleOptions = {}): Promise<Lakehouse> {
  return (await buildPipelineSample(dir, sample, { dataSets: options.dataSets ?? 2, run: options.run ?? true, ...(options.onStep ? { onStep: options.onStep } : {}) })).lakehouse
}
