// The sample lakehouses Lakebench can generate (`lakebench init DIR --sample sbit`).
import type { Lakehouse } from '../engine/lakehouse/folder'
import { buildSbitLakehouse } from './sbit/buildSbit'

export const SAMPLE_NAMES = ['sbit'] as const
export type SampleName = (typeof SAMPLE_NAMES)[number]

/**
 * Creates a lakehouse in `dir` filled with a sample. Deterministic: the same sample always gives the same table
 * contents and versions (file names and table ids are random, as Delta requires).
 * @throws LakehouseError LAKEHOUSE_EXISTS when `dir` is already a lakehouse.
 */
export async function createSampleLakehouse(dir: string, sample: SampleName): Promise<Lakehouse> {
  switch (sample) {
    case 'sbit':
      return buildSbitLakehouse(dir)
  }
}
