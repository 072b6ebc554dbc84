/**
 * What makes an opportunity believable (issue 15, DESIGN §7.7, §7.9): a benchmark some
 * comparable point achieved, each lost user counted once, the ROI with its assumptions.
 */
import { describe, expect, it } from 'vitest'
import type { DropoffPoint } from '../../../worker/analysis/dropoff-impact'
import { opportunityAnswer } from '../../../worker/analysis/opportunities/answer'
import { unionTotal } from '../../../worker/analysis/opportunities/attribution'
import { dropoffCandidates } from '../../../worker/analysis/opportunities/dropoff'
import { rankOpportunities, type Candidate } from '../../../worker/analysis/opportunities/rank'
import { costAssumptions } from '../../../worker/analysis/opportunities/roi'
import { SiteConfigSchema } from '../../../worker/schemas'

const MONTH = { from: 0, to: 30 * 86_400_000, days: 30 }

function point(workflow: string, step: string, entered: number, dropped: number): DropoffPoint {
  return {
    id: `workflow:${workflow}:${step}`,
    type: 'integration',
    workflow,
    step,
    feature: null,
    entered,
    dropped,
    drop_rate: dropped / entered,
    common_reasons: [],
    revenue_at_risk: dropped * 10,
    impact_score: 0,
    priority: 'low',
    top_institutions: [],
  }
}

const users = (prefix: string, n: number, price = 10) =>
  new Map(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, price]))

describe('drop-off benchmarks', () => {
  // linking: connect loses 10 % of 100, verify 40 % of 100, complete (the last step) 0 %;
  // budget: limits loses 20 % of 100. Median of the droppable points: 20 %.
  const points = [
    point('linking', 'connect', 100, 10),
    point('linking', 'verify', 100, 40),
    point('linking', 'complete', 60, 0),
    point('budget', 'limits', 100, 20),
  ]
  const terminal = new Set(['workflow:linking:complete', 'workflow:budget:complete'])

  it('measures the potential from the best comparable step (10 %), not from 0', () => {
    const [verify] = dropoffCandidates(points, MONTH, { terminal })
    expect(verify.subject).toBe('workflow:linking:verify')
    expect(verify.benchmark).toEqual({
      rate: 0.1,
      source: 'type:integration linking › connect',
      n: 100,
      observed: true,
    })
    // (0.4 − 0.1) · 100 users, each worth 10 a month
    expect(verify.users_per_month).toBeCloseTo(30, 10)
    expect(verify.revenue_per_month).toBeCloseTo(300, 10)
    expect(verify.recommendation).toContain('10%')
    // Even when the last step is not named as such, its 0 % is no benchmark: nobody dropped.
    const naive = dropoffCandidates(points, MONTH).find((c) => c.subject.endsWith('verify'))!
    expect(naive.benchmark!.rate).toBe(0.1)
  })

  it('prefers the same step in its best segment, with two segments of n ≥ 30 to compare', () => {
    const segments = new Map([
      [
        'workflow:linking:verify',
        [
          { segment: 'tier:premium', entered: 40, dropped: 6 }, // 15 %
          { segment: 'tier:free', entered: 60, dropped: 34 },
          { segment: 'device:tablet', entered: 10, dropped: 0 }, // too few, and alone
          { segment: 'institution:tiny', entered: 29, dropped: 1 }, // too few
        ],
      ],
    ])
    const [verify] = dropoffCandidates(points, MONTH, { terminal, segments })
    expect(verify.benchmark).toMatchObject({
      rate: 0.15,
      source: 'tier:premium step verify',
      n: 40,
    })
    expect(verify.users_per_month).toBeCloseTo(25, 10)
  })

  it('never takes a rate of 0: a segment nobody dropped in is not a benchmark', () => {
    const segments = new Map([
      [
        'workflow:linking:verify',
        [
          { segment: 'institution:a', entered: 50, dropped: 0 },
          { segment: 'institution:b', entered: 50, dropped: 40 },
        ],
      ],
    ])
    const [verify] = dropoffCandidates(points, MONTH, { terminal, segments })
    expect(verify.benchmark!.source).toBe('type:integration linking › connect')
  })

  it('says when nothing comparable does better, and then halves the gap to the median', () => {
    const alone = [point('linking', 'verify', 100, 40), point('other', 'x', 100, 10)]
    alone[1].type = 'payment'
    const [verify] = dropoffCandidates(alone, MONTH)
    // median of 10 % and 40 % is 25 %; halfway from 40 % to it: 32.5 %
    expect(verify.benchmark).toMatchObject({ rate: 0.325, n: null, observed: false })
    expect(verify.benchmark!.source).toMatch(/^default: /)
    expect(verify.users_per_month).toBeCloseTo(7.5, 10)
    expect(verify.recommendation).toContain('No comparable point')
  })
})

const candidate = (c: Partial<Candidate>): Candidate => ({
  kind: 'dropoff',
  subject: 'x',
  title: 't',
  evidence: {},
  users_per_month: 0,
  revenue_per_month: 0,
  n: 100,
  recommendation: 'r',
  ...c,
})

describe('each lost user once', () => {
  // The bank lost u0–u9; the step lost u0–u4 (linking that bank) and v0–v4.
  const bank = candidate({
    kind: 'institution',
    subject: 'northwind',
    users_per_month: 10,
    revenue_per_month: 100,
    lost: { total: 10, users: users('u', 10) },
  })
  const step = candidate({
    kind: 'dropoff',
    subject: 'verify',
    users_per_month: 10,
    revenue_per_month: 100,
    lost: { total: 10, users: new Map([...users('u', 5), ...users('v', 5)]) },
  })

  it('attributes shared users to the institution, shows the overlap, totals a union', () => {
    const ranked = rankOpportunities([step, bank])
    const byKind = Object.fromEntries(ranked.map((o) => [o.kind, o]))
    expect(byKind.institution.improvement_potential).toMatchObject({
      users_per_month: 10,
      revenue_per_month: 100,
    })
    expect(byKind.dropoff.improvement_potential).toEqual({
      users_per_month: 5,
      revenue_per_month: 50,
      gross_users_per_month: 10,
      gross_revenue_per_month: 100,
    })
    const rankOfBank = ranked.findIndex((o) => o.kind === 'institution') + 1
    expect(byKind.dropoff.overlaps).toEqual([
      { id: byKind.institution.id, rank: rankOfBank, share: 0.5 },
    ])
    expect(byKind.institution.overlaps).toEqual([
      { id: byKind.dropoff.id, rank: ranked.indexOf(byKind.dropoff) + 1, share: 0.5 },
    ])
    // 15 different users: u0–u9 and v0–v4, not 20
    expect(unionTotal(ranked)).toEqual({
      users_per_month: 15,
      revenue_per_month: 150,
      gross_revenue_per_month: 200,
    })
  })

  it('weighs the shared revenue by the shared users’ prices', () => {
    const rich = candidate({
      ...step,
      lost: { total: 10, users: new Map([...users('u', 5, 30), ...users('v', 5, 10)]) },
    })
    const [o] = rankOpportunities([rich, bank]).filter((x) => x.kind === 'dropoff')
    // 150 of the 200 a month the step's users pay is the bank's: the step keeps a quarter
    expect(o.improvement_potential).toMatchObject({ users_per_month: 5, revenue_per_month: 25 })
  })

  it('leaves opportunities without shared users whole', () => {
    const other = candidate({ ...step, lost: { total: 3, users: users('w', 3) } })
    const ranked = rankOpportunities([other, bank])
    expect(ranked.every((o) => o.overlaps.length === 0)).toBe(true)
    expect(unionTotal(ranked).users_per_month).toBe(20)
  })
})

describe('ROI (DESIGN §7.9)', () => {
  const config = SiteConfigSchema.parse({ currency: 'EUR' })

  it('is twelve months of revenue over the effort’s engineer-weeks × their cost', () => {
    const costs = costAssumptions(config)
    expect(costs).toEqual({
      currency: 'EUR',
      engineer_week_cost: 4000,
      effort_costs: { low: 1, medium: 3, high: 8 },
      from_config: { engineer_week_cost: false, effort_costs: [] },
    })
    const [o] = rankOpportunities(
      [candidate({ kind: 'dropoff', revenue_per_month: 1500, users_per_month: 5 })],
      {},
      costs,
    )
    // medium: 3 weeks × 4,000 = 12,000; 1,500 × 12 / 12,000 = 1.5
    expect([o.effort, o.cost, o.roi]).toEqual(['medium', { engineer_weeks: 3, amount: 12000 }, 1.5])
  })

  it('takes the assumptions from config and states them in the answer', () => {
    const custom = SiteConfigSchema.parse({
      currency: 'GBP',
      engineer_week_cost: 2500,
      effort_costs: { high: 10 },
    })
    const costs = costAssumptions(custom)
    expect(costs.effort_costs).toEqual({ low: 1, medium: 3, high: 10 })
    expect(costs.from_config).toEqual({ engineer_week_cost: true, effort_costs: ['high'] })
    const ranked = rankOpportunities(
      [candidate({ kind: 'institution', subject: 'b', revenue_per_month: 2500 })],
      {},
      costs,
    )
    expect(ranked[0].roi).toBe(1.2) // 2,500 × 12 / (10 × 2,500)
    const answer = opportunityAnswer(ranked, custom, 20)
    expect(answer.cost_assumptions).toEqual(costs)
    expect(answer.total.revenue_per_month).toBe(2500)
  })

  it('is 0 for an opportunity without revenue', () => {
    const [o] = rankOpportunities([candidate({ kind: 'slow_step', users_per_month: 9 })])
    expect(o.roi).toBe(0)
  })

  it('config bounds: effort 0.1–520 weeks, an engineer-week 1–1,000,000', () => {
    const ok = (c: unknown) => SiteConfigSchema.safeParse(c).success
    expect(ok({ effort_costs: { low: 0.5, medium: 2, high: 520 }, engineer_week_cost: 1 })).toBe(
      true,
    )
    expect(ok({ effort_costs: { low: 0 } })).toBe(false)
    expect(ok({ effort_costs: { high: 521 } })).toBe(false)
    expect(ok({ effort_costs: { huge: 3 } })).toBe(false)
    expect(ok({ effort_costs: { low: '1' } })).toBe(false)
    expect(ok({ engineer_week_cost: 0 })).toBe(false)
    expect(ok({ engineer_week_cost: 1_000_001 })).toBe(false)
    expect(ok({ engineer_week_cost: Number.POSITIVE_INFINITY })).toBe(false)
  })
})

describe('top opportunities', () => {
  it('marks at most five, in rank order, with priority ≥ 10 and confidence ≥ 0.5', () => {
    const list = Array.from({ length: 8 }, (_, i) =>
      candidate({ subject: `s${i}`, users_per_month: 100 - i * 10, n: i === 1 ? 10 : 1000 }),
    )
    const ranked = rankOpportunities(list)
    const answer = opportunityAnswer(ranked, SiteConfigSchema.parse({}), 100)
    const top = answer.opportunities.filter((o) => o.top)
    expect(top.length).toBe(5)
    expect(top.every((o) => o.priority_score >= 10 && o.confidence >= 0.5)).toBe(true)
    expect(answer.opportunities.find((o) => o.confidence < 0.5)!.top).toBe(false)
    expect(answer.top_rule).toEqual({ max: 5, min_priority_score: 10, min_confidence: 0.5 })
  })
})
