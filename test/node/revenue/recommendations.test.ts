import { describe, expect, it } from 'vitest'
import { featureConversion } from '../../../worker/analysis/revenue/conversion'
import { mrrPerStart } from '../../../worker/analysis/revenue/recommendations'
import { featureUpsellLevers } from '../../../worker/analysis/revenue/recommendations/feature-upsell'
import { institutionFailureLevers } from '../../../worker/analysis/revenue/recommendations/institution-failures'
import { rankLevers } from '../../../worker/analysis/revenue/recommendations/lever'
import { payingConnections } from '../../../worker/analysis/revenue/recommendations/paying-connections'
import { tierChurnLevers } from '../../../worker/analysis/revenue/recommendations/tier-churn'
import { tierChurnRows } from '../../../worker/analysis/revenue/recommendations/tier-churn-rows'
import { userHistories } from '../../../worker/analysis/revenue/timeline'
import type { CarriedState, RevenueDayRow } from '../../../worker/analysis/revenue/types'

const CTX = { currency: 'EUR', days: 30, minSample: 30 }

const conversion = (users: [number, number], non: [number, number]) =>
  featureConversion(
    'budget_tracking',
    { n: users[0], converted: users[1] },
    { n: non[0], converted: non[1] },
  )

describe('feature upsell lever', () => {
  it('values the extra upgrades if non-users converted like users, per month', () => {
    const [l] = featureUpsellLevers([conversion([100, 30], [400, 40])], {
      ...CTX,
      days: 60,
      mrrPerUpgrade: 12,
    })
    // (0.30 − 0.10) · 400 non-users = 80 upgrades in 60 days = 40 a month, · 12 EUR each.
    expect(l.monthly_value).toBe(480)
    expect(l.evidence.extra_upgrades_per_month).toBe(40)
    expect(l.evidence.upgrade_rate_users).toBe(0.3)
    expect(l.evidence.upgrade_rate_non_users).toBe(0.1)
    expect(l.evidence.lift).toBe(3)
    const [lo, hi] = l.evidence.difference_interval as [number, number]
    expect(lo).toBeGreaterThan(0)
    expect(hi).toBeGreaterThan(0.2)
    expect(l.evidence.monthly_value_at_lower_bound).toBeCloseTo(lo * 400 * 0.5 * 12, 1)
    expect(l.sentence).toContain('EUR 480')
    expect(l.sentence).toContain('budget_tracking')
  })

  it('proposes nothing when the interval includes 0', () => {
    const levers = featureUpsellLevers([conversion([100, 12], [400, 40])], {
      ...CTX,
      mrrPerUpgrade: 12,
    })
    expect(levers).toEqual([])
  })

  it('proposes nothing for a feature whose users upgrade less', () => {
    const levers = featureUpsellLevers([conversion([100, 2], [400, 120])], {
      ...CTX,
      mrrPerUpgrade: 12,
    })
    expect(levers).toEqual([])
  })

  it('proposes nothing below min_sample users, or without upgrades to price', () => {
    const small = conversion([20, 15], [400, 40])
    expect(featureUpsellLevers([small], { ...CTX, mrrPerUpgrade: 12 })).toEqual([])
    const big = conversion([100, 30], [400, 40])
    expect(featureUpsellLevers([big], { ...CTX, mrrPerUpgrade: null })).toEqual([])
  })
})

describe('institution failures lever', () => {
  const inst = {
    institution: 'northwind',
    attempts: 500,
    completed: 400,
    paying_users: 200,
    failing_users: 80,
    failing_mrr: 1600,
    failing_churned: 24,
  }

  it("values the failing paying users' excess churn at their MRR, per month", () => {
    const [l] = institutionFailureLevers([inst], { users: 500, churned: 25 }, { ...CTX, days: 90 })
    // c_f = 24/80 = 0.30, c_0 = 25/500 = 0.05; 1600 · 0.25 = 400 over 90 days → 133.33 a month.
    expect(l.monthly_value).toBe(133.33)
    expect(l.evidence.churn_rate_failing).toBe(0.3)
    expect(l.evidence.churn_rate_clean).toBe(0.05)
    expect(l.evidence.success_rate).toBe(0.8)
    expect(l.evidence.mean_mrr_failing).toBe(20)
    expect(l.kind).toBe('institution_failures')
  })

  it('proposes nothing when failing users churn like the others', () => {
    const same = { ...inst, failing_churned: 5 }
    expect(institutionFailureLevers([same], { users: 500, churned: 25 }, CTX)).toEqual([])
  })

  it('proposes nothing when either group is below min_sample', () => {
    expect(
      institutionFailureLevers([{ ...inst, failing_users: 20 }], { users: 500, churned: 25 }, CTX),
    ).toEqual([])
    expect(institutionFailureLevers([inst], { users: 20, churned: 0 }, CTX)).toEqual([])
  })
})

describe('tier churn lever', () => {
  const tiers = [
    { tier: 'plus', churned: 30, exposed: 300, exposed_mrr: 5000, customers: 270, mrr: 4600 },
    { tier: 'premium', churned: 10, exposed: 400, exposed_mrr: 3000, customers: 390, mrr: 2900 },
    { tier: 'business', churned: 5, exposed: 200, exposed_mrr: 4000, customers: 195, mrr: 3900 },
  ]

  it("values a tier's excess churn over the other paid tiers at its MRR at stake", () => {
    const levers = tierChurnLevers(tiers, CTX)
    expect(levers.map((l) => l.subject)).toEqual(['plus'])
    const [l] = levers
    // 30/300 = 0.10 against (10 + 5)/(400 + 200) = 0.025: 0.075 · 5000 = 375 in 30 days.
    expect(l.monthly_value).toBe(375)
    expect(l.evidence.churn_rate).toBe(0.1)
    expect(l.evidence.rest_churn_rate).toBe(0.025)
    expect(l.evidence.rest_customers_exposed).toBe(600)
  })

  it('proposes nothing for a single paid tier, which has no rest to compare with', () => {
    expect(tierChurnLevers([tiers[0]], CTX)).toEqual([])
  })
})

/** A rollup row: the user's subscription after `day` (MRR in cents). */
function row(uid: string, day: string, tier: string, mrr: number, f: Partial<RevenueDayRow> = {}) {
  return {
    day,
    uid,
    tier,
    mrr_cents: mrr,
    interval: 'month',
    charged_cents: mrr,
    refunded_cents: 0,
    started: 0,
    upgraded: 0,
    downgraded: 0,
    cancelled: 0,
    ...f,
  } satisfies RevenueDayRow
}
const paid = (uid: string, tier: string, cents: number): CarriedState => ({
  uid,
  tier,
  mrr_cents: cents,
  first_paid_day: '2026-01-10',
})

describe('rows from MRR histories', () => {
  // March 2026: u1 (plus) churns on the 10th, u2 stays on premium, u3 starts plus on the 5th,
  // u4 moves from plus to premium on the 15th, u5 never pays, u6 (plus) churns on the 10th.
  const users = userHistories(
    [paid('u1', 'plus', 1000), paid('u2', 'premium', 3000), paid('u4', 'plus', 1000)].concat(
      paid('u6', 'plus', 1000),
    ),
    [
      row('u1', '2026-03-10', 'free', 0, { cancelled: 1, charged_cents: 0 }),
      row('u3', '2026-03-05', 'plus', 1000, { started: 1 }),
      row('u4', '2026-03-15', 'premium', 3000, { upgraded: 1 }),
      row('u6', '2026-03-10', 'free', 0, { cancelled: 1, charged_cents: 0 }),
    ],
  )

  it('counts customers at stake by the tier they had, churn by the tier they left', () => {
    const rows = tierChurnRows(users.values(), '2026-03-01', '2026-03-31')
    const byTier = Object.fromEntries(rows.map((r) => [r.tier, r]))
    expect(byTier.plus).toEqual({
      tier: 'plus',
      churned: 2,
      exposed: 4,
      exposed_mrr: 40,
      customers: 1,
      mrr: 10,
    })
    expect(byTier.premium).toEqual({
      tier: 'premium',
      churned: 0,
      exposed: 1,
      exposed_mrr: 30,
      customers: 2,
      mrr: 60,
    })
  })

  it("counts a paying user's failure against the institution only while paying, before churning", () => {
    const conn = (uid: string, institution: string, first: string | null, last = first) => ({
      institution,
      uid,
      attempts: 4,
      completed: first ? 2 : 4,
      failures: first ? 2 : 0,
      first_failure_day: first,
      last_failure_day: last,
    })
    const { institutions, clean } = payingConnections(
      [
        conn('u1', 'northwind', '2026-03-08'), // failed, then churned on the 10th
        conn('u2', 'northwind', '2026-03-20'), // failed, stays
        conn('u3', 'northwind', '2026-03-01'), // failed before paying from the 5th
        conn('u4', 'atlas', null), // never failed
        conn('u5', 'northwind', '2026-03-02'), // never paid
        conn('u6', 'northwind', '2026-03-20'), // failed after churning on the 10th
      ],
      users,
      '2026-03-01',
      '2026-03-31',
    )
    const northwind = institutions.find((i) => i.institution === 'northwind')
    expect(northwind).toEqual({
      institution: 'northwind',
      attempts: 16,
      completed: 8,
      paying_users: 4,
      failing_users: 2,
      failing_mrr: 40,
      failing_churned: 1,
    })
    expect(clean).toEqual({ users: 1, churned: 0 })
  })
})

describe('the price of an upgrade', () => {
  it('is the mean MRR a start (new or reactivation) brought in the period', () => {
    const users = userHistories(
      [{ uid: 'back', tier: 'free', mrr_cents: 0, first_paid_day: '2026-01-10' }],
      [
        row('a', '2026-02-20', 'plus', 1000, { started: 1 }), // before the period
        row('a', '2026-03-03', 'premium', 3000, { upgraded: 1 }), // an expansion, not a start
        row('b', '2026-03-05', 'plus', 1000, { started: 1 }),
        row('back', '2026-03-07', 'premium', 2000, { started: 1 }), // a reactivation
      ],
    )
    expect(mrrPerStart(users.values(), '2026-03-01', '2026-03-31')).toBe(15)
    expect(mrrPerStart(users.values(), '2026-04-01', '2026-04-30')).toBeNull()
  })
})

describe('ranking', () => {
  it('puts the three kinds in order of monthly value, largest first, each with its own id', () => {
    const levers = rankLevers(
      [
        ...tierChurnLevers(
          [
            { tier: 'plus', churned: 30, exposed: 300, exposed_mrr: 5000, customers: 0, mrr: 0 },
            { tier: 'premium', churned: 10, exposed: 400, exposed_mrr: 0, customers: 0, mrr: 0 },
          ],
          CTX,
        ),
        ...featureUpsellLevers([conversion([100, 30], [400, 40])], { ...CTX, mrrPerUpgrade: 12 }),
        ...institutionFailureLevers(
          [
            {
              institution: 'northwind',
              attempts: 500,
              completed: 400,
              paying_users: 200,
              failing_users: 80,
              failing_mrr: 1600,
              failing_churned: 24,
            },
          ],
          { users: 500, churned: 25 },
          CTX,
        ),
      ],
      10,
    )
    // (0.30 − 0.10) · 400 · 12 = 960; 1600 · (0.30 − 0.05) = 400; (0.10 − 0.025) · 5000 = 375.
    expect(levers.map((l) => [l.kind, l.monthly_value])).toEqual([
      ['feature_upsell', 960],
      ['institution_failures', 400],
      ['tier_churn', 375],
    ])
    expect(new Set(levers.map((l) => l.id)).size).toBe(3)
    expect(rankLevers(levers, 2)).toHaveLength(2)
  })
})
