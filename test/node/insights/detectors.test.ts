import { describe, expect, it } from 'vitest'
import type { TierValue } from '../../../worker/analysis/feature-value'
import { institutionCandidates } from '../../../worker/analysis/opportunities/institution'
import { journeyLeakCandidates } from '../../../worker/analysis/opportunities/journey-leak'
import { lowSuccessCandidates } from '../../../worker/analysis/opportunities/low-success'
import { slowStepCandidates } from '../../../worker/analysis/opportunities/slow-step'
import { upsellCandidates } from '../../../worker/analysis/opportunities/upsell'
import { classifyRuns, type WorkflowDef } from '../../../worker/analysis/workflows'
import type { ConnectionRow } from '../../../worker/db/insights/connections'
import type { FeatureUsageRow } from '../../../worker/db/insights/feature-stats'
import { NOW, runRow } from './runs'

const MONTH = { from: 0, to: 30 * 86_400_000, days: 30 }
const PRICES = new Map([
  ['free', 0],
  ['plus', 10],
  ['premium', 20],
])
const TIERS = [...PRICES].map(([name, monthly_price]) => ({ name, monthly_price }))

describe('opportunity detectors', () => {
  it('flags a step whose p90 is at least twice the median step, counting the slow runs', () => {
    const def: WorkflowDef = {
      name: 'flow',
      steps: ['a', 'b', 'c', 'd'],
      steps_source: 'config',
      dropoff_type: 'workflow_step',
      dropoff_type_source: 'config',
      conversion_window_s: 1800,
    }
    // a→b 10 s and b→c 10 s always; c→d 10 s in eight runs, 60 s in two
    const rows = Array.from({ length: 10 }, (_, i) =>
      runRow(`r${i}`, [
        [0, 'a', 'started'],
        [10, 'b', 'completed'],
        [20, 'c', 'completed'],
        [i < 8 ? 30 : 80, 'd', 'completed'],
      ]),
    )
    const [slow, ...rest] = slowStepCandidates([{ def, runs: classifyRuns(def, rows, NOW) }], MONTH)
    expect(rest).toEqual([])
    expect(slow.evidence).toMatchObject({
      step: 'c',
      next_step: 'd',
      p90_s: 60,
      workflow_median_step_s: 10,
      slow_runs: 2,
    })
    expect(slow.users_per_month).toBe(2)
  })

  it('flags an institution below its threshold against the other banks', () => {
    const row = (institution: string, attempts: number, completed: number, failing: number) =>
      ({
        institution,
        tier: 'plus',
        attempts,
        completed,
        failed: attempts - completed,
        abandoned: 0,
        latency_sum: 0,
        latency_n: 0,
        users: 20,
        failing_users: failing,
      }) satisfies ConnectionRow
    const limits = { warning: 0.95, critical: 0.9, direction: 'below' as const }
    const found = institutionCandidates(
      [row('good_bank', 100, 100, 0), row('bad_bank', 50, 40, 8)],
      limits,
      PRICES,
      MONTH,
    )
    expect(found).toHaveLength(1)
    expect(found[0].evidence).toMatchObject({
      institution: 'bad_bank',
      success_rate: 0.8,
      status: 'critical',
      benchmark_success_rate: 1,
    })
    // 8 failing users · (1 − 0.8) / (1 − 0.8), each worth plus's 10 a month
    expect([found[0].users_per_month, found[0].revenue_per_month]).toEqual([8, 80])
  })

  it("prices an upsell by the upgrade lift of the cheaper tier's users of the feature", () => {
    const feature = (adoption: number, value_score: number) => ({
      feature: 'investments',
      usage_count: 1,
      unique_users: 1,
      adoption,
      time_spent_s: null,
      success_rate: null,
      satisfaction: 4.5,
      revenue_impact: null,
      retention_impact: null,
      value_score,
    })
    const tier = (active_users: number, f: ReturnType<typeof feature>): TierValue => ({
      active_users,
      average_value_score: f.value_score,
      features: [f],
      top_features: [f],
    })
    const [upsell] = upsellCandidates(
      { plus: tier(200, feature(0.05, 10)), premium: tier(100, feature(0.6, 80)) },
      [
        { tier: 'plus', feature: 'investments', users: 10, upgraded: 4 },
        { tier: 'plus', feature: null, users: 200, upgraded: 14 },
      ],
      TIERS,
      MONTH,
    )
    expect(upsell.evidence).toMatchObject({
      tier: 'plus',
      benchmark_tier: 'premium',
      upgrade_rate_users: 0.4,
      upgrade_rate_others: 0.0526, // (14 − 4) / (200 − 10)
      extra_adopters_per_month: 110, // (0.6 − 0.05) · 200
      price_step: 10,
    })
    expect(upsell.users_per_month).toBeCloseTo(38.2105, 3) // 110 · (0.4 − 10/190)
    expect(upsell.revenue_per_month).toBeCloseTo(382.105, 2)
    expect(upsell.n).toBe(10)
  })

  it('flags a feature failing more than its threshold, leaving features that are workflows out', () => {
    const usage = (feature: string, completed: number, failed: number): FeatureUsageRow => ({
      tier: 'plus',
      feature,
      uses: completed + failed,
      users: 10,
      time_s: 0,
      timed: 0,
      completed,
      failed,
      abandoned: 0,
      ratings: 0,
      rating_sum: 0,
      attributed: 0,
    })
    const found = lowSuccessCandidates(
      [
        usage('reports', 80, 20),
        usage('budgets', 99, 1),
        usage('goals', 98, 2),
        usage('account_linking', 50, 50),
      ],
      [{ tier: 'plus', feature: 'reports', entered: 40, failing: 12, dropped: 6 }],
      [{ feature: 'reports', reason: 'timeout', events: 20 }],
      { warning: 0.95, critical: 0.9, direction: 'below' },
      PRICES,
      MONTH,
      new Set(['account_linking']),
    )
    expect(found.map((c) => c.subject)).toEqual(['reports'])
    // benchmark: 75th percentile of 0.8, 0.98, 0.99 = 0.985; 6 dropped · 0.185 / 0.2
    expect(found[0].evidence).toMatchObject({
      benchmark_success_rate: 0.985,
      top_reason: 'timeout',
    })
    expect(found[0].users_per_month).toBeCloseTo(5.55, 6)
  })

  it("measures a journey leak against the best tier's leak at that transition", () => {
    // furthest stage 2 onboarding, 3 feature_discovery, 4 feature_usage
    const rows = [
      { journey: 'lifecycle', tier: 'free', furthest: 2, users: 60 },
      { journey: 'lifecycle', tier: 'free', furthest: 3, users: 20 },
      { journey: 'lifecycle', tier: 'free', furthest: 4, users: 20 },
      { journey: 'lifecycle', tier: 'premium', furthest: 2, users: 10 },
      { journey: 'lifecycle', tier: 'premium', furthest: 3, users: 10 },
      { journey: 'lifecycle', tier: 'premium', furthest: 4, users: 30 },
    ]
    const [leak] = journeyLeakCandidates(rows, MONTH)
    // onboarding → feature_discovery: 150 reach, 80 go on (leak 0.4667); premium leaks 0.2
    expect(leak.evidence).toMatchObject({
      from_stage: 'onboarding',
      to_stage: 'feature_discovery',
      reached_from: 150,
      reached_to: 80,
      benchmark_leak_rate: 0.2,
      benchmark_tier: 'premium',
    })
    expect(leak.users_per_month).toBeCloseTo(40, 6) // (70/150 − 0.2) · 150
  })
})
