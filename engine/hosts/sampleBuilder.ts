// sampleBuilder: the hosts' SampleBuilder, building the sbit / retail samples of samples/ for lakehouse.create.
import type { SampleBuilder } from '../createEngine'

/**
 * Builds `sample` in `dir` with its pipeline run after each data set (what `lakebench init --sample` does), telling
 * `onStep` before each step. Loaded on demand: the samples' generators are only needed when one is asked for.
 * @throws LakehouseError LAKEHOUSE_EXISTS when `dir` already is a lakehouse; Error naming the pipeline when a run fails.
 */
export const buildSampleLakehouse: SampleBuilder = async (dir, sample, onStep) => {
  const { createSampleLakehouse } = await import('../../samples/index')
  await createSampleLakehouse(dir, sample, { onStep })
}
