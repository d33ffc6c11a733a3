// Tests plan cost shares and the hot-operator rule for ANALYZE (time) and EXPLAIN (estimated rows) plans.
import { describe, expect, it } from 'vitest'
import type { PlanOperator } from '../../../engine/api/sqlApi'
import { planCosts } from './planCost'

const op = (name: string, extra: Partial<PlanOperator>, children: PlanOperator[] = []): PlanOperator => ({ name, details: [], children, ...extra })

describe('planCosts', () => {
  it('ANALYZE: shares of the operators\' own times add up to 1; the slowest and any ≥ 20% are hot', () => {
    const scan = op('TABLE_SCAN', { timeMs: 60, actualRows: 1000 })
    const filter = op('FILTER', { timeMs: 25, actualRows: 10 }, [scan])
    const root = op('PROJECTION', { timeMs: 15, actualRows: 10 }, [filter])
    const costs = planCosts({ analyzed: true, totalMs: 110, operators: [root] })
    expect(costs.measure).toBe('time')
    expect(costs.total).toBe(100)
    expect([root, filter, scan].map((o) => costs.of(o).share)).toEqual([0.15, 0.25, 0.6])
    expect([root, filter, scan].map((o) => costs.of(o).hot)).toEqual([false, true, true])
  })

  it('EXPLAIN: relative to the largest estimate, the big ones hot; no estimates means nothing hot', () => {
    const scan = op('SEQ_SCAN', { estimatedRows: 1_000_000 })
    const group = op('HASH_GROUP_BY', { estimatedRows: 600_000 }, [scan])
    const top = op('TOP_N', { estimatedRows: 10 }, [group])
    const costs = planCosts({ analyzed: false, operators: [top] })
    expect(costs.measure).toBe('rows')
    expect([top, group, scan].map((o) => costs.of(o).hot)).toEqual([false, true, true])
    expect(costs.of(top).share).toBeCloseTo(0.00001)
    const bare = op('DUMMY_SCAN', {})
    expect(planCosts({ analyzed: false, operators: [bare] }).of(bare)).toEqual({ share: 0, hot: false })
  })
})
