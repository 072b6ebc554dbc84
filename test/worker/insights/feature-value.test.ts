import { describe, expect, it } from 'vitest'
import { BASE, getJson, seed, siteWith, type Ev } from './seed'

/**
 * Four plus users and one free user, all active on one day (so nobody is retained a week
 * later and retention impact is 0 everywhere). No revenue events: revenue drops out.
 * budget_tracking: p1 three completed uses of 60 s, p2 one failed use of 30 s; ratings 5 and 3.
 * goal_setting: p3 one completed use of 20 s.
 */
function events(): Ev[] {
  const page = (uid: string, tier: string): Ev => ({ type: 'page', ts: BASE, uid, tier, path: '/' })
  const use = (
    uid: string,
    feature: string,
    status: 'completed' | 'failed',
    value: number,
  ): Ev => ({
    type: 'feature',
    ts: BASE + 60_000,
    uid,
    tier: 'plus',
    feature,
    status,
    value,
  })
  return [
    ...['p1', 'p2', 'p3', 'p4'].map((u) => page(u, 'plus')),
    page('f1', 'free'),
    use('p1', 'budget_tracking', 'completed', 60),
    use('p1', 'budget_tracking', 'completed', 60),
    use('p1', 'budget_tracking', 'completed', 60),
    use('p2', 'budget_tracking', 'failed', 30),
    {
      type: 'feedback',
      ts: BASE + 90_000,
      uid: 'p1',
      tier: 'plus',
      feature: 'budget_tracking',
      value: 5,
    },
    {
      type: 'feedback',
      ts: BASE + 90_000,
      uid: 'p2',
      tier: 'plus',
      feature: 'budget_tracking',
      value: 3,
    },
    use('p3', 'goal_setting', 'completed', 20),
  ]
}

describe('GET /v1/sites/:site/features/value', () => {
  it('measures each feature of a tier from the rollups', async () => {
    const { site, read } = await siteWith()
    await seed(site, events())
    const { tiers } = await getJson(`/v1/sites/${site.id}/features/value`, read)
    expect(Object.keys(tiers)).toEqual(['free', 'plus'])
    expect(tiers.free).toEqual({
      active_users: 1,
      average_value_score: null,
      features: [],
      top_features: [],
    })
    expect(tiers.plus.features[0]).toEqual({
      feature: 'budget_tracking',
      usage_count: 4,
      unique_users: 2,
      adoption: 0.5,
      time_spent_s: 105,
      success_rate: 0.75,
      satisfaction: 4,
      revenue_impact: null,
      retention_impact: 0,
      // usage 1·.25 + time 1·.1 + satisfaction 1·.2 + retention 0·.2, over .75 (no revenue)
      value_score: 73.3,
    })
    expect(tiers.plus.features[1]).toMatchObject({
      feature: 'goal_setting',
      adoption: 0.25,
      value_score: 0,
    })
    expect(tiers.plus.top_features.map((f: { feature: string }) => f.feature)).toEqual([
      'budget_tracking',
      'goal_setting',
    ])
  })

  it('scores with the weights set in site config', async () => {
    const { site, read } = await siteWith({
      value_weights: { time: 0, satisfaction: 0, retention: 0 },
    })
    await seed(site, events())
    const { weights, tiers } = await getJson(`/v1/sites/${site.id}/features/value`, read)
    expect(weights).toEqual({ usage: 0.25, time: 0, revenue: 0.25, satisfaction: 0, retention: 0 })
    // only usage is left: budget_tracking 4 uses → 1, goal_setting 1 use → 0
    expect(tiers.plus.features.map((f: { value_score: number }) => f.value_score)).toEqual([100, 0])
  })

  it('narrows to one feature', async () => {
    const { site, read } = await siteWith()
    await seed(site, events())
    const { tiers } = await getJson(
      `/v1/sites/${site.id}/features/value?feature=goal_setting`,
      read,
    )
    expect(tiers.plus.features.map((f: { feature: string }) => f.feature)).toEqual(['goal_setting'])
  })

  it('keeps tiers named __proto__ and constructor', async () => {
    const { site, read } = await siteWith()
    const use = (uid: string, tier: string): Ev => ({
      type: 'feature',
      ts: BASE,
      uid,
      tier,
      feature: 'budget_tracking',
      status: 'completed',
    })
    await seed(site, [use('a', '__proto__'), use('b', 'constructor'), use('c', 'toString')])
    const { tiers } = await getJson(`/v1/sites/${site.id}/features/value`, read)
    expect(Object.keys(tiers).sort()).toEqual(['__proto__', 'constructor', 'toString'])
    for (const tier of Object.keys(tiers)) {
      expect(tiers[tier].active_users, tier).toBe(1)
      expect(tiers[tier].features.map((f: { feature: string }) => f.feature)).toEqual([
        'budget_tracking',
      ])
    }
  })
})
