import { describe, expect, it } from 'vitest'
import { layoutOpportunities } from '../../dashboard/src/lib/opportunity-groups'

const op = (kind: string, top: boolean, revenue = 0) => ({
  kind,
  top,
  improvement_potential: { revenue_per_month: revenue },
})

describe('Opportunities layout', () => {
  const list = [
    op('institution', true, 100),
    op('dropoff', true, 50),
    op('slow_step', false),
    op('dropoff', false, 5),
    op('upsell', false, 20),
    op('dropoff', false, 1),
  ]

  it('puts the top ones first, the rest in groups by kind ordered by their best rank', () => {
    const { top, groups, kinds } = layoutOpportunities(list)
    expect(top.map((r) => r.rank)).toEqual([1, 2])
    expect(groups.map((g) => [g.kind, g.items.map((r) => r.rank), g.revenue_per_month])).toEqual([
      ['slow_step', [3], 0],
      ['dropoff', [4, 6], 6],
      ['upsell', [5], 20],
    ])
    expect([...kinds]).toEqual([
      ['institution', 1],
      ['dropoff', 3],
      ['slow_step', 1],
      ['upsell', 1],
    ])
  })

  it('with a kind, lists that kind alone in rank order, top or not; an unknown kind is ignored', () => {
    const { top, groups } = layoutOpportunities(list, 'dropoff')
    expect(top.map((r) => r.rank)).toEqual([2, 4, 6])
    expect(groups).toEqual([])
    expect(layoutOpportunities(list, 'nope').groups).toHaveLength(3)
  })
})
