import { describe, expect, it } from 'vitest'
import { createKey, createSite, event, sendBatch, waitForEvents } from '../helpers'
import { BASE, LINKING, getJson, run, seed, siteWith, type Ev } from './seed'

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
