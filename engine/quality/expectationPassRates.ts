// Expectation pass rates per dataset from system.quality_results: the latest run's counts and the totals over all runs.
import type { ExpectationPassRate } from '../api/qualityApi'
import { type QualityContext, scanLatest } from './tableScan'

/**
 * One entry per (pipeline, dataset, expectation) on record, sorted by dataset then expectation. A run may evaluate an
 * expectation in several flows (each flow into a dataset checks its expectations), so counts are summed per run first;
 * the latest run is the one with the newest evaluated_at. Empty when system.quality_results does not exist yet.
 * @throws DeltaError when the table exists but cannot be read.
 */
export async function expectationPassRates(ctx: QualityContext): Promise<ExpectationPassRate[]> {
  const scan = await scanLatest(ctx, 'system', 'quality_results')
  if (!scan) return []
  const rows = await ctx.session.query(`
    WITH per_run AS (
      SELECT run_id, pipeline, dataset, expectation, any_value(action) AS action, sum(passed)::BIGINT AS passed,
        sum(failed)::BIGINT AS failed, max(evaluated_at) AS evaluated_at
      FROM (${scan.sql}) AS q GROUP BY run_id, pipeline, dataset, expectation
    ),
    ranked AS (
      SELECT *, row_number() OVER (PARTITION BY pipeline, dataset, expectation ORDER BY evaluated_at DESC NULLS LAST, run_id DESC) AS recency,
        sum(passed) OVER (PARTITION BY pipeline, dataset, expectation)::BIGINT AS total_passed,
        sum(failed) OVER (PARTITION BY pipeline, dataset, expectation)::BIGINT AS total_failed
      FROM per_run
    )
    SELECT run_id, pipeline, dataset, expectation, action, passed, failed, epoch_ms(evaluated_at)::BIGINT AS evaluated_ms, total_passed, total_failed
    FROM ranked WHERE recency = 1 ORDER BY dataset, expectation, pipeline`)
  return rows.map((r) => ({
    pipeline: String(r.pipeline ?? ''),
    dataset: String(r.dataset ?? ''),
    expectation: String(r.expectation ?? ''),
    action: String(r.action ?? ''),
    passed: Number(r.passed ?? 0),
    failed: Number(r.failed ?? 0),
    evaluatedAt: Number(r.evaluated_ms ?? 0),
    runId: String(r.run_id ?? ''),
    totalPassed: Number(r.total_passed ?? 0),
    totalFailed: Number(r.total_failed ?? 0)
  }))
}
