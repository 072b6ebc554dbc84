/**
 * The eight revenue metrics of DESIGN §7.9 on small cases done by hand, and Newcombe's interval
 * against the published worked examples.
 */
import { describe, expect, it } from 'vitest'
import { newcombeInterval } from '../../../worker/analysis/revenue/newcombe'
import { report, row } from './rows'

/**
 * March: a, b, c, d pay 10.00 since February; e starts; a cancels; b drops to 5.00; c rises to
 * 15.00.
 */
const MARCH = [
  ...['a', 'b', 'c', 'd'].map((u) => row('2026-02-03', u, 'plus', 1000, { started: 1 })),
  row('2026-03-05', 'e', 'plus', 1000, { started: 1 }),
  row('2026-03-10', 'a', 'free', 0, { cancelled: 1, charged_cents: 0 }),
  row('2026-03-12', 'b', 'basic', 500, { downgraded: 1 }),
  row('2026-03-14', 'c', 'premium', 1500, { upgraded: 1 }),
]

describe('churn rate', () => {
  it("uses Stripe's denominator: churned / (active at the start + new in the month)", () => {
    const march = report('2026-02-01', '2026-03-31', MARCH).months[1]
    expect(march).toMatchObject({ customers_start: 4, new_customers: 1, churned_customers: 1 })
    expect(march.customer_churn_rate).toBe(0.2) // 1 / (4 + 1)
  })

  it('gives gross and net MRR churn against the MRR at the start', () => {
    const march = report('2026-02-01', '2026-03-31', MARCH).months[1]
    expect(march.mrr_start).toBe(40)
    expect(march.gross_mrr_churn_rate).toBe(0.375) // (10 + 5) / 40
    expect(march.net_mrr_churn_rate).toBe(0.25) // (10 + 5 − 5) / 40
  })

  it('is null, not 0, for a month without customers', () => {
    const r = report('2026-01-01', '2026-03-31', MARCH)
    expect(r.months[0].customer_churn_rate).toBeNull()
    expect(r.months[0].gross_mrr_churn_rate).toBeNull()
  })
})

describe('revenue per user', () => {
  it('has the quick ratio (new + expansion + reactivation) / (contraction + churn)', () => {
    const r = report('2026-03-01', '2026-03-31', MARCH)
    expect(r.metrics.revenue_per_user.quick_ratio).toBe(1) // (10 + 5) / (5 + 10)
    expect(r.metrics.revenue_per_user.mrr).toBe(40)
    expect(r.metrics.revenue_per_user.arppu).toBe(10) // 40 / 4 customers
  })

  it('has no quick ratio when nothing was lost', () => {
    const r = report('2026-02-01', '2026-02-28', MARCH)
    expect(r.metrics.revenue_per_user.quick_ratio).toBeNull()
  })

  it('divides ARPU by the users active in the month or paying at its end', () => {
    const active = new Map([['2026-03', new Set(['a', 'x', 'y', 'z'])]])
    const r = report('2026-03-01', '2026-03-31', MARCH, { active })
    // a (active, no longer paying), x, y, z, and b, c, d, e paying: 8 users.
    expect(r.months[0].active_users).toBe(8)
    expect(r.metrics.revenue_per_user.arpu).toBe(5) // 40 / 8
  })
})

describe('customer lifetime value', () => {
  it('is ARPPU / the pooled monthly churn of the trailing 6 complete months', () => {
    const r = report('2026-03-01', '2026-03-31', MARCH)
    const ltv = r.metrics.customer_lifetime_value
    expect(ltv.trailing_months).toEqual([
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ])
    // Churned 1 of (0 + 4 in Feb) + (4 + 1 in March) = 9; ARPPU (40 + 40) / (4 + 4) = 10.
    expect(ltv.monthly_churn_rate).toBe(0.1111)
    expect(ltv.arppu).toBe(10)
    expect(ltv.ltv).toBe(90)
  })

  it('is null while nobody churned: the lifetime has no bound yet', () => {
    const r = report('2026-02-01', '2026-02-28', MARCH)
    expect(r.metrics.customer_lifetime_value.ltv).toBeNull()
  })

  it('observes the revenue each cohort has paid so far', () => {
    const r = report('2026-02-01', '2026-03-31', MARCH)
    const observed = r.metrics.customer_lifetime_value.observed
    // February's four each paid 10 in February; in March b paid 5 and c 15 more (charged).
    expect(observed.cohorts[0]).toEqual({
      cohort: '2026-02',
      size: 4,
      revenue_per_customer: [10, 15],
    })
    expect(observed.customers).toBe(5)
  })
})

describe('paying-user retention', () => {
  it('counts the members of each first-payment cohort still paying at each month end', () => {
    const r = report('2026-02-01', '2026-03-31', MARCH)
    expect(r.metrics.user_retention.cohorts).toEqual([
      { cohort: '2026-02', size: 4, retained: [4, 3], rates: [1, 0.75] },
      { cohort: '2026-03', size: 1, retained: [1], rates: [1] },
    ])
  })
})

describe('subscription upgrades', () => {
  it('counts the upgrades of paying users by from → to tier with the MRR added', () => {
    const r = report('2026-03-01', '2026-03-31', MARCH)
    expect(r.metrics.subscription_upgrades).toEqual({
      count: 1,
      mrr_added: 5,
      by_pair: [{ from: 'plus', to: 'premium', count: 1, mrr_added: 5 }],
    })
  })
})

describe('feature adoption', () => {
  it('is the share of paying users who used each feature', () => {
    const featureUses = new Map([
      [
        'budget_tracking',
        new Map([
          ['a', '2026-03-01'],
          ['b', '2026-03-02'],
          ['x', '2026-03-02'],
        ]),
      ],
      ['goal_setting', new Map([['e', '2026-03-09']])],
    ])
    const r = report('2026-03-01', '2026-03-31', MARCH, { featureUses })
    // Paying at some time in March: a, b, c, d, e.
    expect(r.metrics.feature_adoption).toEqual({
      paying_users: 5,
      features: [
        { feature: 'budget_tracking', users: 2, adoption: 0.4 },
        { feature: 'goal_setting', users: 1, adoption: 0.2 },
      ],
    })
  })
})

describe('upgrade conversion', () => {
  it('compares free → paid among users and non-users of a feature used before converting', () => {
    // Ten free users active in March; f1, f2 convert. f1 used budget_tracking before, f2 after.
    const active = new Map([['2026-03', new Set(Array.from({ length: 10 }, (_, i) => `f${i}`))]])
    const rows = [
      row('2026-03-10', 'f1', 'plus', 999, { started: 1 }),
      row('2026-03-10', 'f2', 'plus', 999, { started: 1 }),
    ]
    const featureUses = new Map([
      [
        'budget_tracking',
        new Map([
          ['f1', '2026-03-02'],
          ['f2', '2026-03-20'],
          ['f3', '2026-03-05'],
        ]),
      ],
    ])
    const conv = report('2026-03-01', '2026-03-31', rows, { active, featureUses }).metrics
      .upgrade_conversion
    expect(conv).toMatchObject({ n: 10, converted: 2, rate: 0.2 })
    const f = conv.features[0]
    expect(f.users).toEqual({ n: 2, converted: 1, rate: 0.5 }) // f1, f3
    expect(f.non_users).toEqual({ n: 8, converted: 1, rate: 0.125 })
    expect(f.difference).toBe(0.375)
    expect(f.lift).toBe(4)
    const [lo, hi] = newcombeInterval(1, 2, 1, 8)!
    expect(f.interval).toEqual([Math.round(lo * 1e4) / 1e4, Math.round(hi * 1e4) / 1e4])
  })

  it('leaves out paid signups, and paying customers until they churn', () => {
    const conv = report('2026-03-01', '2026-03-31', MARCH).metrics.upgrade_conversion
    // e paid from the first day anyone saw them; a is free from the 10th and stays so.
    expect(conv).toMatchObject({ n: 1, converted: 0 })
  })
})

describe('feature revenue', () => {
  it('credits an upgrade first-touch and shared among the features of its 14 days', () => {
    const windowUses = [
      { uid: 'c', day: '2026-03-14', feature: 'investment_tracking', first_day: '2026-03-01' },
      { uid: 'c', day: '2026-03-14', feature: 'budget_tracking', first_day: '2026-03-09' },
      { uid: 'e', day: '2026-03-05', feature: 'budget_tracking', first_day: '2026-03-04' },
    ]
    const fr = report('2026-03-01', '2026-03-31', MARCH, { windowUses }).metrics.feature_revenue
    // Upgrades: e's start (10.00) and c's upgrade (5.00).
    expect(fr).toEqual({
      window_days: 14,
      upgrades: 2,
      upgrade_mrr: 15,
      unattributed_mrr: 0,
      features: [
        { feature: 'budget_tracking', upgrades: 2, first_touch: 10, shared: 12.5 },
        { feature: 'investment_tracking', upgrades: 1, first_touch: 5, shared: 2.5 },
      ],
    })
  })
})

describe('Newcombe interval (1998, method 10)', () => {
  // Newcombe RG. Interval estimation for the difference between independent proportions:
  // comparison of eleven methods. Statistics in Medicine 1998;17:873–890, Table II, method 10
  // (score interval without continuity correction), to 4 decimals.
  const TABLE_II: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ]
  for (const [x1, n1, x2, n2, lo, hi] of TABLE_II) {
    it(`gives ${lo} to ${hi} for ${x1}/${n1} − ${x2}/${n2}`, () => {
      const [l, u] = newcombeInterval(x1, n1, x2, n2)!
      expect(l).toBeCloseTo(lo, 4)
      expect(u).toBeCloseTo(hi, 4)
    })
  }

  it('has no interval without users on one side', () => {
    expect(newcombeInterval(1, 2, 0, 0)).toBeNull()
  })
})
