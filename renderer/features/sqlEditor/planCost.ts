// planCost: how costly each operator of a query plan is, to highlight the hot ones (time share, or estimated rows).
import type { PlanOperator, QueryPlan } from '../../../engine/api/sqlApi'

export interface OperatorCost {
  /** 0..1: this operator's share of all operators' time (ANALYZE), or its estimated rows relative to the largest estimate. */
  share: number
  /** True for the operators worth a look: at least `hotShare` of the time, or the largest estimates. */
  hot: boolean
}

export interface PlanCosts {
  measure: 'time' | 'rows'
  /** Sum of the operators' own times (ANALYZE) or the largest estimate (EXPLAIN). */
  total: number
  of(op: PlanOperator): OperatorCost
}

/** An operator taking at least this share of the time is highlighted. */
export const hotTimeShare = 0.2
/** Without timings, operators estimated at half the largest row count or more are highlighted. */
export const hotRowShare = 0.5

const none: OperatorCost = { share: 0, hot: false }

/**
 * Costs of every operator in `plan`. ANALYZE plans are measured by each operator's own time (children excluded, so the
 * shares add up to 1); the single most expensive operator is always hot, others from hotTimeShare. Plain EXPLAIN
 * plans have only estimates, so the largest estimated row counts are highlighted instead.
 */
export function planCosts(plan: QueryPlan): PlanCosts {
  const all: PlanOperator[] = []
  const visit = (op: PlanOperator) => {
    all.push(op)
    op.children.forEach(visit)
  }
  plan.operators.forEach(visit)
  const costs = new Map<PlanOperator, OperatorCost>()
  const measure = plan.analyzed ? 'time' : 'rows'
  const valueOf = (op: PlanOperator) => (measure === 'time' ? op.timeMs : op.estimatedRows) ?? 0
  const total = measure === 'time' ? all.reduce((sum, op) => sum + valueOf(op), 0) : Math.max(0, ...all.map(valueOf))
  const largest = Math.max(0, ...all.map(valueOf))
  for (const op of all) {
    const value = valueOf(op)
    const share = total > 0 ? value / total : 0
    const hot = total > 0 && value > 0 && (value === largest || share >= (measure === 'time' ? hotTimeShare : hotRowShare))
    costs.set(op, { share, hot })
  }
  return { measure, total, of: (op) => costs.get(op) ?? none }
}
