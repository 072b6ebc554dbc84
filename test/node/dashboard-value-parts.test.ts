import { describe, expect, it } from 'vitest'
import { valueParts } from '../../dashboard/src/lib/value-parts'
import { DEFAULT_VALUE_WEIGHTS, valueScores } from '../../worker/analysis/value-score'

const features = [
  {
    usage_count: 100,
    time_spent_s: 60,
    revenue_impact: 50,
    satisfaction: 4.5,
    retention_impact: 0.1,
  },
  {
    usage_count: 40,
    time_spent_s: 120,
    revenue_impact: null,
    satisfaction: 3.5,
    retention_impact: 0.02,
  },
  {
    usage_count: 10,
    time_spent_s: null,
    revenue_impact: 10,
    satisfaction: null,
    retention_impact: -0.05,
  },
]

describe('dashboard value score parts', () => {
  it('adds up to the score the API computes for each feature', () => {
    const parts = valueParts(features, DEFAULT_VALUE_WEIGHTS)
    const scores = valueScores(
      features.map((f) => ({
        usage: f.usage_count,
        time: f.time_spent_s,
        revenue: f.revenue_impact,
        satisfaction: f.satisfaction,
        retention: f.retention_impact,
      })),
      DEFAULT_VALUE_WEIGHTS,
    )
    parts.forEach((p, i) => {
      const sum = Object.values(p).reduce<number>((s, v) => s + (v ?? 0), 0)
      expect(sum).toBeCloseTo(scores[i]!, 0)
    })
  })

  it('leaves out a component the feature has no data for', () => {
    const [, second] = valueParts(features, DEFAULT_VALUE_WEIGHTS)
    expect(second.revenue).toBeNull()
    expect(second.usage).not.toBeNull()
  })
})
