import { describe, expect, it } from 'vitest'
import { createKey, createSite, event, sendBatch, waitForEvents } from '../helpers'
import { BASE, DAY, LINKING, getJson, run, seed, siteWith, type Ev } from './seed'

describe('GET /v1/sites/:site/dashboard', () => {
  it('sums the period into KPIs and a daily series, with top opportunities and drop-offs', async () => {
    const { site, read } = await siteWith({ workflows: [LINKING] })
    const events: Ev[] = [
      { type: 'page', ts: BASE, uid: 'a', sid: 's1', tier: 'plus', path: '/' },
      { type: 'page', ts: BASE + 60_000, uid: 'a', sid: 's1', tier: 'plus', path: '/x' },
      { type: 'page', ts: BASE + 86_400_000, uid: 'b', sid: 's2', tier: 'free', path: '/' },
      { type: 'revenue', ts: BASE, uid: 'a', tier: 'plus', value: 9.99, currency: 'USD' },
      {
        type: 'connection',
        ts: BASE,
        uid: 'a',
        sid: 's1',
        tier: 'plus',
        institution: 'x',
        status: 'completed',
      },
      {
        type: 'connection',
        ts: BASE,
        uid: 'a',
        sid: 's1',
        tier: 'plus',
        institution: 'x',
        status: 'failed',
      },
      ...run('r1', BASE, [
        [0, 'start', 'started'],
        [5, 'connect', 'completed'],
        [9, 'verify', 'completed'],
        [12, 'complete', 'completed'],
      ]),
      ...run('r2', BASE, [
        [0, 'start', 'started'],
        [5, 'connect', 'failed', 'timeout'],
      ]),
    ]
    await seed(site, events)
    const body = await getJson(`/v1/sites/${site.id}/dashboard`, read)
    expect(body.kpis).toEqual({
      active_users: 4, // a, b, u-r1, u-r2
      sessions: 2,
      events: 12,
      revenue: 9.99,
      // A one-off charge is no subscription: no MRR.
      mrr_start: 0,
      mrr: 0,
      mrr_change: 0,
      workflow_completion_rate: 0.5,
      connection_success_rate: 0.5,
    })
    expect(body.series.map((d: { events: number }) => d.events)).toEqual([11, 1])
    expect(body.worst_dropoffs[0]).toMatchObject({ step: 'connect', dropped: 1 })
    expect(body.workflows).toEqual([
      {
        name: 'account_linking',
        started: 2,
        completed: 1,
        failed: 1,
        abandoned: 0,
        in_progress: 0,
        completion_rate: 0.5,
      },
    ])
    expect(body.top_opportunities.length).toBeLessThanOrEqual(3)
  })
})

describe('the overview MRR', () => {
  const sub = (
    uid: string,
    days: number,
    name: string,
    tier: string,
    value: number,
    year = false,
  ) =>
    ({
      type: 'revenue',
      ts: BASE + days * DAY,
      uid,
      name,
      tier,
      value,
      currency: 'USD',
      props: JSON.stringify({ interval: year ? 'year' : 'month' }),
    }) as Ev

  /**
   * Before the period: ann plus 9.99, cy plus yearly 119.88 (9.99 a month), dee plus 9.99. In
   * it: ann renews, bob starts premium 19.99, cy cancels, dee moves up to premium 19.99.
   */
  const HISTORY = [
    sub('ann', -40, 'subscription_started', 'plus', 9.99),
    sub('ann', -10, 'subscription_renewed', 'plus', 9.99),
    sub('cy', -50, 'subscription_started', 'plus', 119.88, true),
    sub('dee', -45, 'subscription_started', 'plus', 9.99),
    sub('bob', 0, 'subscription_started', 'premium', 19.99),
    sub('cy', 1, 'subscription_cancelled', 'free', 0),
    sub('dee', 2, 'subscription_upgraded', 'premium', 19.99),
  ]

  it('gives MRR at the start and end of the period and the change, as /revenue does', async () => {
    const { site, read } = await siteWith()
    await seed(site, HISTORY)
    const { kpis } = await getJson(`/v1/sites/${site.id}/dashboard`, read)
    // 29.97 (ann, cy, dee) → 49.97 (ann 9.99, bob 19.99, dee 19.99).
    expect(kpis).toMatchObject({ mrr_start: 29.97, mrr: 49.97, mrr_change: 20 })
    const revenue = await getJson(`/v1/sites/${site.id}/revenue`, read)
    expect([revenue.mrr_start, revenue.mrr]).toEqual([kpis.mrr_start, kpis.mrr])
  })

  it('keeps the users of a tier filter as /revenue does', async () => {
    const { site, read } = await siteWith()
    await seed(site, HISTORY)
    const { kpis } = await getJson(`/v1/sites/${site.id}/dashboard?tier=premium`, read)
    // Premium in the period: bob and dee; dee paid 9.99 when it began.
    expect(kpis).toMatchObject({ mrr_start: 9.99, mrr: 39.98, mrr_change: 29.99 })
    const revenue = await getJson(`/v1/sites/${site.id}/revenue?tier=premium`, read)
    expect([revenue.mrr_start, revenue.mrr]).toEqual([kpis.mrr_start, kpis.mrr])
  })
})

describe('GET /v1/sites/:site/live', () => {
  it('counts the last five minutes of events as they arrive', async () => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    await sendBatch(site, [
      event({ uid: 'a' }),
      event({ uid: 'b' }),
      event({ uid: 'b', type: 'feature', feature: 'goal_setting' }),
    ])
    await waitForEvents(site.id, 3)
    const live = await getJson(`/v1/sites/${site.id}/live`, read)
    expect(live).toMatchObject({
      window_s: 300,
      events: 3,
      active_users: 2,
      by_type: { page: 2, feature: 1 },
    })
    expect(live.per_minute).toHaveLength(5)
    expect(live.per_minute.reduce((s: number, m: { events: number }) => s + m.events, 0)).toBe(3)
  })
})
