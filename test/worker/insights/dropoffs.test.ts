import { describe, expect, it } from 'vitest'
import { BASE, LINKING, getJson, run, seed, siteWith, type Ev } from './seed'

const H = 3600_000

/**
 * account_linking: a (plus) completes; b (plus) and c (premium) fail verify with mfa_timeout;
 * d (free) abandons at connect. budget_tracking: e (plus) fails once and never completes,
 * f (plus) fails once then completes.
 */
function events(): Ev[] {
  const use = (uid: string, status: 'completed' | 'failed', reason?: string): Ev => ({
    type: 'feature',
    ts: BASE + 6 * H,
    uid,
    tier: 'plus',
    feature: 'budget_tracking',
    status,
    ...(reason ? { reason } : {}),
  })
  return [
    ...run(
      'a',
      BASE,
      [
        [0, 'start', 'started'],
        [10, 'connect', 'completed'],
        [20, 'verify', 'completed'],
        [30, 'complete', 'completed'],
      ],
      { tier: 'plus' },
    ),
    ...run(
      'b',
      BASE + H,
      [
        [0, 'start', 'started'],
        [10, 'connect', 'completed'],
        [20, 'verify', 'failed', 'mfa_timeout'],
      ],
      { tier: 'plus' },
    ),
    ...run(
      'c',
      BASE + 2 * H,
      [
        [0, 'start', 'started'],
        [10, 'connect', 'completed'],
        [20, 'verify', 'failed', 'mfa_timeout'],
      ],
      { tier: 'premium' },
    ),
    ...run(
      'd',
      BASE + 3 * H,
      [
        [0, 'start', 'started'],
        [10, 'connect', 'abandoned', 'closed_modal'],
      ],
      { tier: 'free' },
    ),
    use('e', 'failed', 'load_error'),
    use('f', 'failed', 'load_error'),
    use('f', 'completed'),
  ]
}

/**
 * bill_pay, all plus. g fails three times with sync_failed on day 0 and abandons with
 * closed_modal on day 1; h fails with timeout, then an hour later with auth_error; i fails with
 * sync_failed, then completes; j completes. Events: sync_failed 4, closed_modal 1, timeout 1,
 * auth_error 1. Dropped users: g (closed_modal) and h (auth_error).
 */
function billPay(): Ev[] {
  const use = (uid: string, at: number, status: string, reason?: string): Ev => ({
    type: 'feature',
    ts: BASE + at,
    uid,
    tier: 'plus',
    feature: 'bill_pay',
    status: status as Ev['status'],
    ...(reason ? { reason } : {}),
  })
  return [
    use('g', 0, 'failed', 'sync_failed'),
    use('g', 60_000, 'failed', 'sync_failed'),
    use('g', 120_000, 'failed', 'sync_failed'),
    use('g', 24 * H, 'abandoned', 'closed_modal'),
    use('h', 0, 'failed', 'timeout'),
    use('h', H, 'failed', 'auth_error'),
    use('i', 0, 'failed', 'sync_failed'),
    use('i', H, 'completed'),
    use('j', 0, 'completed'),
  ]
}

describe('GET /v1/sites/:site/dropoffs', () => {
  it('reports every one of the seven types', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, events())
    const { types } = await getJson(`/v1/sites/${site.id}/dropoffs`, read)
    expect(Object.keys(types).sort()).toEqual([
      'configuration',
      'feature_access',
      'integration',
      'onboarding',
      'payment',
      'verification',
      'workflow_step',
    ])
    expect(types.integration).toMatchObject({ entered: 4, dropped: 3, drop_rate: 0.75, points: 2 })
    expect(types.payment).toMatchObject({ entered: 0, dropped: 0, drop_rate: null, points: 0 })
  })

  it('gives a step its users, reasons and revenue at risk at their tier prices', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, events())
    const { points } = await getJson(`/v1/sites/${site.id}/dropoffs`, read)
    const verify = points.find((p: { step: string }) => p.step === 'verify')
    expect(verify).toMatchObject({
      type: 'integration',
      workflow: 'account_linking',
      entered: 3,
      dropped: 2,
      drop_rate: 0.6667,
      common_reasons: [{ reason: 'mfa_timeout', count: 2, share: 1 }],
      revenue_at_risk: 29.98, // plus 9.99 + premium 19.99
    })
  })

  it('counts a feature user who failed and never completed as a feature_access drop', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, events())
    const { points } = await getJson(`/v1/sites/${site.id}/dropoffs`, read)
    expect(points.find((p: { type: string }) => p.type === 'feature_access')).toMatchObject({
      feature: 'budget_tracking',
      entered: 2,
      dropped: 1,
      drop_rate: 0.5,
      common_reasons: [{ reason: 'load_error', count: 1, share: 1 }], // e's; f completed
      revenue_at_risk: 9.99,
    })
  })

  it("counts a feature_access point's reasons in dropped users, by their latest failure", async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, billPay())
    const { points, types } = await getJson(`/v1/sites/${site.id}/dropoffs`, read)
    const point = points.find((p: { id: string }) => p.id === 'feature:bill_pay')
    expect(point).toMatchObject({
      entered: 4,
      dropped: 2,
      common_reasons: [
        { reason: 'auth_error', count: 1, share: 0.5 },
        { reason: 'closed_modal', count: 1, share: 0.5 },
      ],
    })
    const counted = point.common_reasons.reduce((s: number, r: { count: number }) => s + r.count, 0)
    expect(counted).toBe(point.dropped)
    expect(types.feature_access.common_reasons).toEqual(point.common_reasons)
  })

  it('gives the dashboard the same feature_access reasons as /dropoffs', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, billPay())
    const { points } = await getJson(`/v1/sites/${site.id}/dropoffs`, read)
    const { worst_dropoffs } = await getJson(`/v1/sites/${site.id}/dashboard`, read)
    const id = 'feature:bill_pay'
    const byId = (p: { id: string }) => p.id === id
    expect(worst_dropoffs.find(byId)).toEqual(points.find(byId))
  })

  it('lists the worst point first', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    await seed(site, events())
    const { points } = await getJson(`/v1/sites/${site.id}/dropoffs?limit=2`, read)
    expect(points.map((p: { id: string }) => p.id)).toEqual([
      'workflow:account_linking:verify',
      'feature:budget_tracking',
    ])
  })
})
