import { describe, expect, it } from 'vitest'
import { revenueLevers } from '../../../worker/analysis/revenue/recommendations'
import { featureUpsellLevers } from '../../../worker/analysis/revenue/recommendations/feature-upsell'
import { institutionFailureLevers } from '../../../worker/analysis/revenue/recommendations/institution-failures'
import { newcombeDiff } from '../../../worker/analysis/revenue/recommendations/newcombe'
import { tierChurnLevers } from '../../../worker/analysis/revenue/recommendations/tier-churn'

const CTX = { currency: 'EUR', days: 30, minSample: 30 }
const round4 = (i: [number, number] | null) => i && i.map((x) => Math.round(x * 1e4) / 1e4)

describe('Newcombe interval of a difference of proportions', () => {
  // Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10.
  it.each([
    [56, 70, 48, 80, [0.0524, 0.3339]],
    [9, 10, 3, 10, [0.1705, 0.809]],
    [6, 7, 2, 7, [0.0582, 0.8062]],
    [5, 56, 0, 29, [-0.0381, 0.1926]],
    [0, 10, 0, 20, [-0.1611, 0.2775]],
    [10, 10, 0, 20, [0.6791, 1]],
  ])('matches the published example %i/%i − %i/%i', (x1, n1, x2, n2, expected) => {
    expect(round4(newcombeDiff({ x: x1, n: n1 }, { x: x2, n: n2 }))).toEqual(expected)
  })

  it('has no interval when a group is empty', () => {
    expect(newcombeDiff({ x: 0, n: 0 }, { x: 3, n: 10 })).toBeNull()
  })
})

describe('feature upsell lever', () => {
  const row = { feature: 'budget_tracking', users: 100, users_upgraded: 30, non_users: 400 }

  it('values the extra upgrades if non-users converted like users, per month', () => {
    const [l] = featureUpsellLevers([{ ...row, non_users_upgraded: 40 }], {
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
    expect(l.evidence.monthly_value_at_lower_bound).toBeCloseTo(lo * 400 * 0.5 * 12, 0)
    expect(l.sentence).toContain('EUR 480')
    expect(l.sentence).toContain('budget_tracking')
  })

  it('proposes nothing when the interval includes 0', () => {
    const levers = featureUpsellLevers([{ ...row, users_upgraded: 12, non_users_upgraded: 40 }], {
      ...CTX,
      mrrPerUpgrade: 12,
    })
    expect(levers).toEqual([])
  })

  it('proposes nothing for a feature whose users upgrade less', () => {
    const levers = featureUpsellLevers([{ ...row, users_upgraded: 2, non_users_upgraded: 120 }], {
      ...CTX,
      mrrPerUpgrade: 12,
    })
    expect(levers).toEqual([])
  })

  it('proposes nothing below min_sample users, or without upgrades to price', () => {
    const small = { ...row, users: 20, users_upgraded: 15, non_users_upgraded: 40 }
    expect(featureUpsellLevers([small], { ...CTX, mrrPerUpgrade: 12 })).toEqual([])
    const big = { ...row, non_users_upgraded: 40 }
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
    { tier: 'premium', churned: 30, exposed: 300, mrr: 5000, customers: 250 },
    { tier: 'plus', churned: 10, exposed: 400, mrr: 3000, customers: 380 },
    { tier: 'business', churned: 5, exposed: 200, mrr: 4000, customers: 190 },
  ]

  it("values a tier's excess monthly churn over the other paid tiers at its MRR", () => {
    const levers = tierChurnLevers(tiers, CTX)
    expect(levers.map((l) => l.subject)).toEqual(['premium'])
    const [l] = levers
    // 30/300 = 0.10 against (10 + 5)/(400 + 200) = 0.025: 0.075 · 5000 = 375 a month.
    expect(l.monthly_value).toBe(375)
    expect(l.evidence.churn_rate).toBe(0.1)
    expect(l.evidence.rest_churn_rate).toBe(0.025)
    expect(l.evidence.rest_exposed).toBe(600)
  })

  it('proposes nothing for a single paid tier, which has no rest to compare with', () => {
    expect(tierChurnLevers([tiers[0]], CTX)).toEqual([])
  })
})

describe('revenue levers', () => {
  it('ranks the three kinds by monthly value, largest first', () => {
    const levers = revenueLevers(
      {
        conversions: [
          {
            feature: 'budget_tracking',
            users: 100,
            users_upgraded: 30,
            non_users: 400,
            non_users_upgraded: 40,
          },
        ],
        mrrPerUpgrade: 12,
        institutions: [
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
        clean: { users: 500, churned: 25 },
        tiers: [
          { tier: 'premium', churned: 30, exposed: 300, mrr: 5000, customers: 250 },
          { tier: 'plus', churned: 10, exposed: 400, mrr: 3000, customers: 380 },
        ],
      },
      CTX,
      10,
    )
    // (0.30 − 0.10) · 400 · 12 = 960; 1600 · (0.30 − 0.05) = 400; (0.10 − 0.025) · 5000 = 375.
    expect(levers.map((l) => [l.kind, l.monthly_value])).toEqual([
      ['feature_upsell', 960],
      ['institution_failures', 400],
      ['tier_churn', 375],
    ])
    expect(new Set(levers.map((l) => l.id)).size).toBe(3)
  })
})
