import { describe, expect, it } from 'vitest'
import { featureValueByTier } from '../../../worker/analysis/feature-value'
import { DEFAULT_VALUE_WEIGHTS } from '../../../worker/analysis/value-score'
import type { FeatureUsageRow } from '../../../worker/db/insights/feature-stats'

const usage = (feature: string, u: Partial<FeatureUsageRow>): FeatureUsageRow => ({
  tier: 'plus',
  feature,
  uses: 0,
  users: 0,
  time_s: 0,
  timed: 0,
  completed: 0,
  failed: 0,
  abandoned: 0,
  ratings: 0,
  rating_sum: 0,
  attributed: 0,
  ...u,
})

/**
 * Tier plus: 10 active users who paid 100 in all; 8 were first active 7+ days before the end
 * of the period and 4 of those came back a week later.
 * budgets: 4 users who paid 70, 30 of it through budgets; 4 eligible, 3 retained.
 * goals: 2 users who paid 10; 2 eligible, 0 retained.
 */
function value() {
  return featureValueByTier(
    [
      usage('budgets', {
        uses: 12,
        users: 4,
        time_s: 400,
        timed: 12,
        completed: 9,
        failed: 1,
        ratings: 2,
        rating_sum: 9,
        attributed: 30,
      }),
      usage('goals', { uses: 3, users: 2, time_s: 60, timed: 3, completed: 3 }),
    ],
    [
      {
        tier: 'plus',
        feature: 'budgets',
        users: 4,
        revenue: 70,
        attributed: 30,
        eligible: 4,
        retained: 3,
      },
      {
        tier: 'plus',
        feature: 'goals',
        users: 2,
        revenue: 10,
        attributed: 0,
        eligible: 2,
        retained: 0,
      },
    ],
    [{ tier: 'plus', users: 10, revenue: 100, eligible: 8, retained: 4 }],
    DEFAULT_VALUE_WEIGHTS,
    ['free', 'plus'],
  ).plus
}

describe('feature value by tier', () => {
  it('computes adoption, time per user, success rate and satisfaction', () => {
    const budgets = value().features.find((f) => f.feature === 'budgets')!
    expect(budgets).toMatchObject({
      usage_count: 12,
      unique_users: 4,
      adoption: 0.4,
      time_spent_s: 100,
      success_rate: 0.9,
      satisfaction: 4.5,
    })
  })

  it('adds the ARPU lift of users over non-users to attributed revenue', () => {
    // users (70 − 30) / 4 = 10 a head, the other 6 users (100 − 70) / 6 = 5: 30 + (10 − 5) · 4
    expect(value().features.find((f) => f.feature === 'budgets')!.revenue_impact).toBe(50)
  })

  it('gives retention impact as the difference of the fractions retained, users less others', () => {
    // budgets: 3/4 against (4 − 3)/(8 − 4); goals: 0/2 against 4/6
    const f = Object.fromEntries(value().features.map((x) => [x.feature, x.retention_impact]))
    expect(f).toEqual({ budgets: 0.5, goals: -0.6667 })
  })

  it('scores, sorts and averages the features of the tier', () => {
    // budgets leads every component it shares with goals; goals has no satisfaction.
    // goals: usage 0, time 0, revenue 0, retention 0 → 0
    const v = value()
    expect(v.features.map((f) => [f.feature, f.value_score])).toEqual([
      ['budgets', 100],
      ['goals', 0],
    ])
    expect([v.active_users, v.average_value_score, v.top_features.length]).toEqual([10, 50, 2])
  })
})
