// PlanTree: an EXPLAIN / EXPLAIN ANALYZE plan as a collapsible tree, each operator with its rows, time and cost share.
import { useMemo, useState } from 'react'
import type { PlanOperator, QueryPlan } from '../../../engine/api/sqlApi'
import { type PlanCosts, planCosts } from './planCost'

const count = (n: number | undefined) => (n === undefined ? '' : n.toLocaleString('en-US'))
const ms = (n: number | undefined) =>
  n === undefined ? '' : n < 0.001 ? '< 0.001 ms' : n < 1 ? `${n.toFixed(3)} ms` : n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`

export function PlanTree({ plan }: { plan: QueryPlan }) {
  const costs = useMemo(() => planCosts(plan), [plan])
  const [collapsed, setCollapsed] = useState<ReadonlySet<PlanOperator>>(new Set())
  const toggle = (op: PlanOperator) =>
    setCollapsed((current) => {
      const next = new Set(current)
      if (next.has(op)) next.delete(op)
      else next.add(op)
      return next
    })
  const withChildren = useMemo(() => {
    const all: PlanOperator[] = []
    const visit = (op: PlanOperator) => {
      if (op.children.length) all.push(op)
      op.children.forEach(visit)
    }
    plan.operators.forEach(visit)
    return all
  }, [plan])

  return (
    <div className={`plan${plan.analyzed ? ' analyzed' : ''}`}>
      <div className="plan-summary">
        <span>
          {plan.analyzed
            ? <>EXPLAIN ANALYZE: the query ran{plan.totalMs !== undefined && <> in <strong>{ms(plan.totalMs)}</strong></>}; operators in red took the most time</>
            : 'EXPLAIN: estimates only (the query did not run); operators in red handle the most rows'}
        </span>
        <button type="button" className="button small" onClick={() => setCollapsed(new Set())}>Expand all</button>
        <button type="button" className="button small" onClick={() => setCollapsed(new Set(withChildren))}>Collapse all</button>
      </div>
      <div className="plan-head" aria-hidden="true">
        <span>Operator</span>
        <span className="num">Est. rows</span>
        {plan.analyzed && <span className="num">Rows</span>}
        {plan.analyzed && <span className="num">Time</span>}
        <span>{plan.analyzed ? 'Share of time' : 'Share of largest estimate'}</span>
      </div>
      <ul className="plan-tree" role="tree" aria-label="Query plan">
        {plan.operators.map((op, i) => (
          <PlanNode key={i} op={op} depth={1} costs={costs} analyzed={plan.analyzed} collapsed={collapsed} onToggle={toggle} />
        ))}
      </ul>
    </div>
  )
}

interface PlanNodeProps {
  op: PlanOperator
  depth: number
  costs: PlanCosts
  analyzed: boolean
  collapsed: ReadonlySet<PlanOperator>
  onToggle(op: PlanOperator): void
}

function PlanNode({ op, depth, costs, analyzed, collapsed, onToggle }: PlanNodeProps) {
  const cost = costs.of(op)
  const open = !collapsed.has(op)
  const hasChildren = op.children.length > 0
  const summary = op.details.map((d) => `${d.key}: ${d.value.replace(/\n/g, ', ')}`).join(' · ')
  const percent = Math.round(cost.share * 1000) / 10
  return (
    <li role="treeitem" aria-level={depth} aria-expanded={hasChildren ? open : undefined} aria-label={`${op.name}${cost.hot ? ', costly' : ''}`} className="plan-item">
      <div className={`plan-row${cost.hot ? ' plan-hot' : ''}`} data-operator={op.name}>
        <span className="plan-name" style={{ paddingLeft: (depth - 1) * 18 }}>
          {hasChildren ? (
            <button type="button" className="plan-toggle" aria-label={`${open ? 'Collapse' : 'Expand'} ${op.name}`} onClick={() => onToggle(op)}>
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="plan-toggle-spacer" aria-hidden="true" />
          )}
          <span className="plan-op">{op.name}</span>
          {summary && <span className="plan-details" title={op.details.map((d) => `${d.key}: ${d.value}`).join('\n')}>{summary}</span>}
        </span>
        <span className="num">{count(op.estimatedRows)}</span>
        {analyzed && <span className="num">{count(op.actualRows)}</span>}
        {analyzed && <span className="num">{ms(op.timeMs)}</span>}
        <span className="plan-share" title={`${percent}%`}>
          <span className="plan-bar" style={{ width: Math.max(1, Math.round(cost.share * 110)) }} />
          <span className="plan-percent">{costs.total > 0 ? `${percent}%` : ''}</span>
        </span>
      </div>
      {hasChildren && open && (
        <ul role="group" className="plan-tree">
          {op.children.map((child, i) => (
            <PlanNode key={i} op={child} depth={depth + 1} costs={costs} analyzed={analyzed} collapsed={collapsed} onToggle={onToggle} />
          ))}
        </ul>
      )}
    </li>
  )
}
