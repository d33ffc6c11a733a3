// Builds a sample lakehouse the way a user would: landing data set 1, run the pipeline, data set 2, run again.
import { Lakehouse } from '../engine/lakehouse/folder'
import { SqlEngine } from '../engine/sql/queryRunner'
import { installSamplePipelines, installSampleQueries, produceDataSet, type PipelineSampleName } from './dataSets'
import type { DataSetManifest } from './landingManifest'
import { runSamplePipeline, SimulatedClock } from './pipelineRunner'
import { RETAIL_DAYS_PER_SET, RETAIL_START_MS } from './retail/retailDataSets'
import { loadDateLookup } from './sbit/dateLookup'
import { DAYS_PER_SET, SBIT_START_MS } from './sbit/gymTimeline'

const DAY_MS = 86_400_000

export interface PipelineSampleOptions {
  /** How many data sets to land; the pipeline runs after each (0 = land nothing, run nothing). Default 2. */
  dataSets?: number
  /** Run the pipeline after each data set (default true); false only lands the data and writes the pipeline. */
  run?: boolean
  /** Told before each step (creating, landing a data set, running the pipeline), so a UI can show progress. */
  onStep?: (step: SampleBuildStep) => void
}

/** A step of building a sample: what it does, its 0-based position and how many steps there are. */
export interface SampleBuildStep {
  label: string
  index: number
  count: number
}

export interface PipelineSampleResult {
  lakehouse: Lakehouse
  manifests: DataSetManifest[]
}

/** 23:00 UTC on the last day of data set k's window: when the simulated nightly run happens. */
function runTime(sample: PipelineSampleName, k: number): number {
  const [start, days] = sample === 'sbit' ? [SBIT_START_MS, DAYS_PER_SET] : [RETAIL_START_MS, RETAIL_DAYS_PER_SET]
  return start + k * days * DAY_MS - 3600_000
}

/**
 * Creates a lakehouse in `dir` with the sample's pipelines in pipelines/ (sbit: `sbit`, plus `sbit_live` for the
 * streaming panel, which the build does not run) and saved queries in queries/ (sbit also
 * gets the bronze.date_lookup history table), then for each data set: lands it and (unless `run` is false) runs the pipeline at the set's
 * simulated nightly time, so tables get one version per set.
 * @throws LakehouseError LAKEHOUSE_EXISTS when `dir` is already a lakehouse; Error from a run that did not complete.
 */
export async function buildPipelineSample(dir: string, sample: PipelineSampleName, options: PipelineSampleOptions = {}): Promise<PipelineSampleResult> {
  const sets = options.dataSets ?? 2
  const running = options.run ?? true
  const count = (sample === 'sbit' ? 3 : 2) + sets * (running ? 2 : 1)
  let index = 0
  const step = (label: string) => options.onStep?.({ label, index: index++, count })
  step(`Creating the ${sample} lakehouse folder`)
  const lakehouse = await Lakehouse.create(dir, { name: sample })
  const clock = new SimulatedClock(runTime(sample, 0))
  if (sample === 'sbit') {
    step('Loading the date lookup table')
    const engine = await SqlEngine.open(lakehouse, { clock })
    try {
      await loadDateLookup(engine)
    } finally {
      engine.close()
    }
  }
  step('Installing the pipelines and saved queries')
  await installSamplePipelines(lakehouse.root, sample)
  await installSampleQueries(lakehouse.root, sample)
  const manifests: DataSetManifest[] = []
  for (let k = 1; k <= sets; k++) {
    step(`Landing data set ${k} of ${sets}`)
    manifests.push(await produceDataSet(lakehouse.root, sample, k))
    if (running) {
      step(`Running the pipeline on data set ${k} of ${sets}`)
      clock.setTo(runTime(sample, k))
      await runSamplePipeline(lakehouse, sample, clock)
    }
  }
  return { lakehouse, manifests }
}
