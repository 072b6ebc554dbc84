import { describe, expect, it } from 'vitest'
import type { DropoffPoint } from '../../../worker/analysis/dropoff-impact'
import { dropoffCandidates } from '../../../worker/analysis/opportunities/dropoff'
import { rankOpportunities, type Candidate } from '../../../worker/analysis/opportunities/rank'

const MONTH = { from: 0, to: 30 * 86_400_000, days: 30 }

function point(step: string, dropRate: number, extra: Partial<DropoffPoint> = {}): DropoffPoint {
  return {
    id: `workflow_step:flow:${step}`,
    type: 'workflow_step',
    workflow: 'flow',
    step,
    feature: null,
    entered: 100,
    dropped: Math.round(dropRate * 100),
    drop_rate: dropRate,
    common_reasons: [],
    revenue_at_risk: 0,
    impact_score: 0,
    priority: 'low',
    top_institutions: [],
    ...extra,
  }
}

const candidate = (c: Partial<Candidate>): Candidate => ({
  kind: 'dropoff',
  subject: 'x',
  title: 't',
  evidence: {},
  users_per_month: 0,
  revenue_per_month: 0,
  n: 0,
  recommendation: 'r',
  ...c,
})

describe('opportunities', () => {
  it('proposes drop-off points above the median, with the step and top reason as evidence', () => {
    const points = [
      point('a', 0.05),
      point('b', 0.1),
      point('c', 0.1),
      point('d', 0.15),
      point('verify', 0.6, {
        revenue_at_risk: 600,
        common_reasons: [{ reason: 'mfa_timeout', count: 48, share: 0.8 }],
      }),
    ]
    const found = dropoffCandidates(points, MONTH)
    expect(found.map((c) => c.subject)).toEqual([
      'workflow_step:flow:d',
      'workflow_step:flow:verify',
    ])
    const verify = found[1]
    expect(verify.evidence).toMatchObject({
      step: 'verify',
      drop_rate: 0.6,
      site_median_drop_rate: 0.1,
      benchmark_drop_rate: 0.05, // point a, the best of the same type with 30+ users
      benchmark_source: 'type:workflow_step flow › a',
      top_reason: 'mfa_timeout',
      top_reason_share: 0.8,
    })
    // (0.6 − 0.05) · 100 users in 30 days; each dropped user was worth 600 / 60 a month
    expect(verify.users_per_month).toBeCloseTo(55, 10)
    expect(verify.revenue_per_month).toBeCloseTo(550, 10)
  })

  it('scores impact, confidence n/(n+50) and effort into a priority, highest first', () => {
    const ranked = rankOpportunities([
      candidate({ kind: 'upsell', subject: 'b', users_per_month: 20, n: 150 }),
      candidate({
        kind: 'dropoff',
        subject: 'a',
        users_per_month: 10,
        revenue_per_month: 100,
        n: 50,
      }),
    ])
    // a: impact .6·1 + .4·.5 = 80, confidence .5, medium .8 → 32
    // b: impact .4·1 = 40, confidence .75, low 1 → 30
    expect(ranked.map((o) => [o.kind, o.business_impact, o.confidence, o.priority_score])).toEqual([
      ['dropoff', 80, 0.5, 32],
      ['upsell', 40, 0.75, 30],
    ])
  })

  it('takes effort from config by kind, and by opportunity id before kind', () => {
    const cands = [
      candidate({ kind: 'upsell', subject: 'b', users_per_month: 20, n: 150 }),
      candidate({
        kind: 'dropoff',
        subject: 'a',
        users_per_month: 10,
        revenue_per_month: 100,
        n: 50,
      }),
    ]
    const byKind = rankOpportunities(cands, { dropoff: 'high' })
    expect(byKind.map((o) => [o.kind, o.effort, o.priority_score])).toEqual([
      ['upsell', 'low', 30],
      ['dropoff', 'high', 24],
    ])
    const id = byKind[1].id
    expect(rankOpportunities(cands, { dropoff: 'high', [id]: 'low' })[0].priority_score).toBe(40)
  })

  it('gives an opportunity the same id every time', () => {
    const [a] = rankOpportunities([candidate({ kind: 'institution', subject: 'northwind' })])
    const [b] = rankOpportunities([candidate({ kind: 'institution', subject: 'northwind', n: 9 })])
    expect(a.id).toBe(b.id)
    expect(a.id).toMatch(/^op_[0-9a-z]+$/)
  })
})
