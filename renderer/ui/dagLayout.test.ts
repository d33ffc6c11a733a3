// Tests layoutDag with ELK: lanes become left-to-right columns, edges point right, nodes never overlap.
import { describe, expect, it } from 'vitest'
import { type DagNodeBox, layoutDag } from './dagLayout'

const lanes = [
  { id: 'landing', label: 'Landing' },
  { id: 'bronze', label: 'Bronze' },
  { id: 'silver', label: 'Silver' },
  { id: 'gold', label: 'Gold' }
]
const box = (id: string, lane: string): DagNodeBox => ({ id, lane, width: 160, height: 60 })

describe('layoutDag', () => {
  it('keeps every lane left of the next one, even when an edge skips a lane or a lane holds a chain', async () => {
    const nodes = [box('f1', 'landing'), box('f2', 'landing'), box('b1', 'bronze'), box('b2', 'bronze'), box('s1', 'silver'), box('s2', 'silver'), box('s3', 'silver'), box('g1', 'gold')]
    const edges = [
      ['f1', 'b1'], ['f2', 'b2'], ['b1', 's1'], ['s1', 's2'], ['s2', 's3'], ['b2', 's3'], ['s3', 'g1'], ['b1', 'g1']
    ].map(([source, target]) => ({ id: `${source}-${target}`, source: source!, target: target! }))
    const layout = await layoutDag(lanes, nodes, edges)
    const x = (id: string) => layout.positions.get(id)!.x
    for (const [a, b] of [['landing', 'bronze'], ['bronze', 'silver'], ['silver', 'gold']] as const) {
      const rightmostA = Math.max(...nodes.filter((n) => n.lane === a).map((n) => x(n.id) + n.width))
      const leftmostB = Math.min(...nodes.filter((n) => n.lane === b).map((n) => x(n.id)))
      expect(rightmostA, `${a} before ${b}`).toBeLessThan(leftmostB)
    }
    for (const e of edges) expect(x(e.source), e.id).toBeLessThan(x(e.target))
    // The chain inside silver spreads over columns rather than stacking.
    expect(x('s1')).toBeLessThan(x('s2'))
    // No two nodes overlap.
    for (const a of nodes) {
      for (const b of nodes) {
        if (a.id >= b.id) continue
        const pa = layout.positions.get(a.id)!
        const pb = layout.positions.get(b.id)!
        const overlap = pa.x < pb.x + b.width && pb.x < pa.x + a.width && pa.y < pb.y + b.height && pb.y < pa.y + a.height
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false)
      }
    }
    // Lane bands tile left to right and contain their nodes.
    expect(layout.lanes.map((l) => l.id)).toEqual(['landing', 'bronze', 'silver', 'gold'])
    for (let i = 1; i < layout.lanes.length; i++) expect(layout.lanes[i]!.x).toBeCloseTo(layout.lanes[i - 1]!.x + layout.lanes[i - 1]!.width)
    for (const n of nodes) {
      const lane = layout.lanes.find((l) => l.id === n.lane)!
      expect(x(n.id)).toBeGreaterThanOrEqual(lane.x)
      expect(x(n.id) + n.width).toBeLessThanOrEqual(lane.x + lane.width)
      expect(layout.positions.get(n.id)!.y + n.height).toBeLessThanOrEqual(layout.top + layout.height)
    }
  })

  it('leaves out lanes without nodes and ignores edges to unknown nodes', async () => {
    const layout = await layoutDag(lanes, [box('b1', 'bronze'), box('g1', 'gold')], [{ id: 'x', source: 'b1', target: 'missing' }, { id: 'y', source: 'b1', target: 'g1' }])
    expect(layout.lanes.map((l) => l.id)).toEqual(['bronze', 'gold'])
    expect(layout.positions.get('b1')!.x).toBeLessThan(layout.positions.get('g1')!.x)
  })
})
