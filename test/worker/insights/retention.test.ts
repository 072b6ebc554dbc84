/** `GET /v1/sites/:site/retention` through the app, on rollups rebuilt from events in D1. */
import { beforeAll, describe, expect, it } from 'vitest'
import type { StoredEvent } from './stored-events'
import { getJson, readableSite, rebuildActivity, store } from './stored-events'

const PERIOD = 'from=2026-03-02&to=2026-03-22' // three weeks, starting on a Monday

/** A page view by `uid` on each of `days` (March 2026), at noon. */
const seenOn = (uid: string, days: number[], extra: Partial<StoredEvent> = {}) =>
  days.map(
    (d) =>
      ({
        type: 'page',
        path: '/',
        uid,
        ts: Date.parse(`2026-03-${String(d).padStart(2, '0')}T12:00:00Z`),
        ...extra,
      }) as StoredEvent,
  )

let site: string
let key: string

/**
 * Weeks: 0 = Mar 2–8, 1 = Mar 9–15, 2 = Mar 16–22. Active weeks, counted from the cohort's:
 *   cohort 0: u1 [0,1,2]  u2 [0,2]  u3 [0]  u4 [0,1]
 *   cohort 1: u5 [0,1]    u6 [0]
 *   cohort 2: u7 [0]
 * u8 was first seen in February, so it is in no cohort.
 */
beforeAll(async () => {
  const s = await readableSite()
  site = s.site.id
  key = s.key
  await store(site, [
    ...seenOn('u1', [2], { tier: 'premium', device: 'desktop' }),
    ...seenOn('u1', [3, 10, 16]),
    {
      type: 'feature',
      feature: 'budget_tracking',
      uid: 'u1',
      ts: Date.parse('2026-03-03T13:00:00Z'),
    },
    ...seenOn('u2', [4, 18], { tier: 'free' }),
    ...seenOn('u3', [5], { tier: 'free' }),
    ...seenOn('u4', [8, 9], { tier: 'free' }),
    ...seenOn('u5', [10, 15, 17], { tier: 'free' }),
    // u5 uses the feature, but not in its first week
    {
      type: 'feature',
      feature: 'budget_tracking',
      uid: 'u5',
      ts: Date.parse('2026-03-20T13:00:00Z'),
    },
    ...seenOn('u6', [11], { tier: 'free' }),
    ...seenOn('u7', [20], { tier: 'free' }),
    ...seenOn('u8', [3]),
    { type: 'page', path: '/', uid: 'u8', ts: Date.parse('2026-02-20T12:00:00Z') },
    // a revenue event is the bank's backend, not the person: u3 is not retained by it
    {
      type: 'revenue',
      value: 9.99,
      currency: 'USD',
      uid: 'u3',
      ts: Date.parse('2026-03-12T00:00:00Z'),
    },
  ])
  await rebuildActivity(site)
})

const retention = (query = '') => getJson(`/v1/sites/${site}/retention?${PERIOD}${query}`, key)

describe('GET /retention', () => {
  it('gives weekly "on" retention per first-seen cohort', async () => {
    const { status, body } = await retention()
    expect(status).toBe(200)
    expect(body).toEqual({
      range: { from: '2026-03-02', to: '2026-03-22' },
      interval: 'week',
      mode: 'on',
      feature: null,
      cohorts: [
        { start: '2026-03-02', size: 4, retained: [4, 2, 2], rates: [1, 0.5, 0.5] },
        { start: '2026-03-09', size: 2, retained: [2, 1], rates: [1, 0.5] },
        { start: '2026-03-16', size: 1, retained: [1], rates: [1] },
      ],
      average: [1, 0.5, 0.5],
      partial_last_period: false,
    })
  })

  it('gives "on_or_after" retention', async () => {
    const { body } = await retention('&mode=on_or_after')
    expect(body.cohorts.map((c: any) => c.retained)).toEqual([[4, 3, 2], [2, 1], [1]])
    expect(body.average).toEqual([1, 0.6667, 0.5])
  })

  it('gives every rate as a fraction from 0 to 1', async () => {
    for (const mode of ['on', 'on_or_after']) {
      const { body } = await retention(`&mode=${mode}`)
      const rates = [...body.average, ...body.cohorts.flatMap((c: any) => c.rates)]
      expect(rates.length).toBeGreaterThan(0)
      for (const r of rates) expect(r >= 0 && r <= 1, `${mode}: ${r}`).toBe(true)
    }
  })

  it('gives daily cohorts', async () => {
    const { body } = await getJson(
      `/v1/sites/${site}/retention?from=2026-03-02&to=2026-03-04&interval=day`,
      key,
    )
    // Mar 2: u1 (back on Mar 3); Mar 3: nobody new (u8 is from February), so no rates; Mar 4: u2
    expect(body.cohorts).toEqual([
      { start: '2026-03-02', size: 1, retained: [1, 1, 0], rates: [1, 1, 0] },
      { start: '2026-03-03', size: 0, retained: [0, 0], rates: [null, null] },
      { start: '2026-03-04', size: 1, retained: [1], rates: [1] },
    ])
  })

  it('filters by the tier of the first day', async () => {
    const { body } = await retention('&tier=premium')
    expect(body.cohorts.map((c: any) => [c.size, c.retained])).toEqual([
      [1, [1, 1, 1]],
      [0, [0, 0]],
      [0, [0]],
    ])
  })

  it('keeps only users who used the feature in their first period', async () => {
    const { body } = await retention('&feature=budget_tracking')
    expect(body.feature).toBe('budget_tracking')
    expect(body.cohorts.map((c: any) => c.size)).toEqual([1, 0, 0])
  })

  it('refuses an unknown mode with a 400', async () => {
    const { status, body } = await retention('&mode=sometimes')
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
  })
})
