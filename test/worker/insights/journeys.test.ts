/** `GET /v1/sites/:site/journeys` through the app, and its two reads, on events stored in D1. */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { firstConversions, stageTrails } from '../../../worker/db/insights/journeys'
import type { StoredEvent } from './stored-events'
import { at, getJson, readableSite, store } from './stored-events'

const DAY = 86_400_000
const D0 = at('2026-03-02T09:00:00Z')
const PERIOD = 'from=2026-03-02&to=2026-03-31'

const stage = (uid: string, day: number, s: string, extra: Partial<StoredEvent> = {}) =>
  ({ type: 'stage', stage: s, uid, ts: D0 + day * DAY, ...extra }) as StoredEvent

let site: string
let key: string

beforeAll(async () => {
  const s = await readableSite()
  site = s.site.id
  key = s.key
  await store(site, [
    // u1 walks to feature_usage, converts on day 5, then goes quiet for 25 days
    stage('u1', 0, 'awareness', { tier: 'premium' }),
    stage('u1', 1, 'consideration'),
    stage('u1', 2, 'onboarding'),
    stage('u1', 3, 'feature_discovery'),
    stage('u1', 5, 'feature_usage', { tier: 'premium' }),
    { type: 'conversion', name: 'first_feature_use', uid: 'u1', ts: D0 + 5 * DAY },
    // u2 skips consideration and churns from onboarding
    stage('u2', 0, 'awareness', { tier: 'free' }),
    stage('u2', 1, 'onboarding'),
    stage('u2', 3, 'churn'),
    // u3 stops at consideration; last seen on day 4
    stage('u3', 1, 'awareness', { tier: 'free' }),
    stage('u3', 2, 'consideration'),
    { type: 'page', path: '/', uid: 'u3', ts: D0 + 4 * DAY },
    // u4 is at onboarding and was seen on day 27: still active
    stage('u4', 20, 'awareness', { tier: 'free' }),
    stage('u4', 25, 'onboarding'),
    { type: 'page', path: '/', uid: 'u4', ts: D0 + 27 * DAY },
    // u5 is on another journey
    stage('u5', 0, 'awareness', { journey: 'premium_upgrade' }),
  ])
})

const journeys = (query = '') => getJson(`/v1/sites/${site}/journeys?${PERIOD}${query}`, key)

describe('GET /journeys', () => {
  it('gives reach, current stage and conversion per stage', async () => {
    const { status, body } = await journeys()
    expect(status).toBe(200)
    expect(body.journey).toBe('lifecycle')
    expect(body.journeys).toEqual(['lifecycle', 'premium_upgrade'])
    expect(
      body.stages.map((s: any) => [s.stage, s.reached, s.current, s.conversion_to_next]),
    ).toEqual([
      ['awareness', 4, 0, 1],
      ['consideration', 4, 1, 0.75],
      ['onboarding', 3, 1, 0.3333],
      ['feature_discovery', 1, 0, 1],
      ['feature_usage', 1, 1, 0],
      ['advanced_usage', 0, 0, 0],
      ['advocacy', 0, 0, null],
      ['churn', 1, 1, null],
    ])
    // onboarding reached after 2 (u1), 1 (u2) and 5 (u4) days → median 2 days
    expect(body.stages[2].median_time_to_reach_s).toBe(2 * 86_400)
  })

  it('rates success as reaching feature_usage without churning', async () => {
    const { body } = await journeys()
    expect(body).toMatchObject({
      success_stage: 'feature_usage',
      entered: 4,
      succeeded: 1,
      success_rate: 0.25,
    })
  })

  it('lists consecutive transitions', async () => {
    const { body } = await journeys()
    expect(body.transitions).toEqual([
      { from: 'awareness', to: 'consideration', count: 2, users: 2 },
      { from: 'awareness', to: 'onboarding', count: 2, users: 2 },
      { from: 'consideration', to: 'onboarding', count: 1, users: 1 },
      { from: 'feature_discovery', to: 'feature_usage', count: 1, users: 1 },
      { from: 'onboarding', to: 'churn', count: 1, users: 1 },
      { from: 'onboarding', to: 'feature_discovery', count: 1, users: 1 },
    ])
  })

  it('counts drop-offs from inactivity (any event counts as activity) and churn', async () => {
    const { body } = await journeys()
    expect(body.inactive_days).toBe(14)
    expect(body.dropoffs.filter((d: any) => d.dropped)).toEqual([
      { stage: 'consideration', inactive: 1, churned: 0, dropped: 1, drop_rate: 0.25 },
      { stage: 'onboarding', inactive: 0, churned: 1, dropped: 1, drop_rate: 0.3333 },
      { stage: 'feature_usage', inactive: 1, churned: 0, dropped: 1, drop_rate: 1 },
    ])
    // with 30 days of grace nobody is inactive yet: only the churn remains
    const { body: lenient } = await journeys('&inactive_days=30')
    expect(lenient.dropoffs.filter((d: any) => d.dropped).map((d: any) => d.stage)).toEqual([
      'onboarding',
    ])
  })

  it('lists conversion points with rate and time from first seen', async () => {
    const { body } = await journeys()
    expect(body.conversion_points).toEqual([
      { name: 'first_feature_use', users: 1, rate: 0.25, median_time_from_first_seen_s: 432_000 },
    ])
  })

  it('answers for another journey type', async () => {
    const { body } = await journeys('&journey=premium_upgrade')
    expect(body.entered).toBe(1)
    expect(body.stages[0]).toMatchObject({ stage: 'awareness', reached: 1, current: 1 })
    expect(body.conversion_points).toEqual([])
  })

  it('filters users by their latest tier', async () => {
    const { body } = await journeys('&tier=premium')
    expect(body.entered).toBe(1)
    expect(body.success_rate).toBe(1)
  })

  it('refuses a bad inactive_days with a 400', async () => {
    const { status, body } = await journeys('&inactive_days=0')
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
  })
})

describe('journey reads', () => {
  let other: string
  let otherKey: string
  const END = D0 + 30 * DAY
  const trailsOf = (max: number, siteId = other, perUser?: number) =>
    stageTrails(
      env.DB,
      {
        siteId,
        from: D0,
        to: END,
        fromDay: '2026-03-02',
        toDay: '2026-04-01',
        journey: 'lifecycle',
        quietSince: END - 14 * DAY,
        asOf: END,
      },
      max,
      perUser,
    )

  beforeAll(async () => {
    const s = await readableSite()
    other = s.site.id
    otherKey = s.key
    await store(other, [
      // same millisecond: SQLite sorts ids by code point, so U+FFFD comes before U+1F600
      // (JS's `<` compares UTF-16 units and would put the emoji's surrogate first)
      stage('w', 0, 'onboarding', { id: 'w-\u{1F600}' }),
      stage('w', 0, 'awareness', { id: 'w-\uFFFD' }),
      { type: 'page', path: '/', uid: 'w', ts: D0 - DAY },
      { type: 'conversion', name: 'signup', uid: 'w', ts: D0 + 2 * DAY },
      { type: 'conversion', name: 'signup', uid: 'w', ts: D0 + DAY },
      { type: 'conversion', name: 'upgraded', uid: 'w', ts: D0 + 3 * DAY },
      stage('x', 1, 'awareness'),
      stage('x', 2, 'consideration'),
    ])
  })

  it('folds stage events of the same millisecond in the order SQLite sorts their ids', async () => {
    const { body } = await getJson(`/v1/sites/${other}/journeys?${PERIOD}`, otherKey)
    expect(body.transitions).toContainEqual({
      from: 'awareness',
      to: 'onboarding',
      count: 1,
      users: 1,
    })
    expect(body.stages[2]).toMatchObject({ stage: 'onboarding', current: 1 })
  })

  it("takes each user's first conversion of each name, timed from their first event", async () => {
    const { body } = await getJson(`/v1/sites/${other}/journeys?${PERIOD}`, otherKey)
    // w was first seen on day -1 (a page view), signed up on day 1 and upgraded on day 3
    expect(body.conversion_points).toEqual([
      { name: 'signup', users: 1, rate: 0.5, median_time_from_first_seen_s: 2 * 86_400 },
      { name: 'upgraded', users: 1, rate: 0.5, median_time_from_first_seen_s: 4 * 86_400 },
    ])
  })

  it('reads the first stage events up to the bound and says so past it', async () => {
    const all = await trailsOf(4)
    expect(all.truncated).toBe(false) // 4 of 4: nothing more
    expect(all.trails.flat()).toHaveLength(4)
    // 3 events: both of w's at day 0, then x's first; x's day-2 event is left out
    const cut = await trailsOf(3)
    expect(cut.truncated).toBe(true)
    expect(cut.trails.flat().map((e) => [e.uid, e.stage])).toEqual(
      expect.arrayContaining([
        ['w', 'awareness'],
        ['w', 'onboarding'],
        ['x', 'awareness'],
      ]),
    )
    expect(cut.trails.flat()).toHaveLength(3)
  })

  it('looks up later activity for users quiet by their stage events', async () => {
    const { lastSeen } = await trailsOf(5)
    // both had their last stage event by day 2, before the quiet line (day 16); w's last event
    // of any type is the upgrade on day 3
    expect(Object.fromEntries(lastSeen)).toEqual({ w: D0 + 3 * DAY, x: D0 + 2 * DAY })
  })

  it('reads conversion pairs up to the bound and says so past it', async () => {
    const all = await firstConversions(env.DB, other, D0, END, 2)
    expect(all).toMatchObject({ truncated: false }) // 2 of 2: nothing more
    expect(all.rows).toHaveLength(2)
    const cut = await firstConversions(env.DB, other, D0, END, 1)
    expect(cut).toMatchObject({ truncated: true })
    expect(cut.rows).toHaveLength(1)
  })
})

describe("one user's share of the journey reads", () => {
  let site: string
  const END = D0 + 30 * DAY
  const trails = async (perUser: number) => {
    const read = await stageTrails(
      env.DB,
      {
        siteId: site,
        from: D0,
        to: END,
        fromDay: '2026-03-02',
        toDay: '2026-04-01',
        journey: 'lifecycle',
        quietSince: END - 14 * DAY,
        asOf: END,
      },
      undefined,
      perUser,
    )
    const byUser = Object.fromEntries(read.trails.map((t) => [t[0].uid, t.map((e) => e.stage)]))
    return { byUser, truncated: read.truncated }
  }
  const conversions = async (perUser: number) => {
    const read = await firstConversions(env.DB, site, D0, END, undefined, perUser)
    const names = read.rows.map((r) => `${r.uid}:${r.name}`).sort()
    return { names, truncated: read.truncated }
  }

  beforeAll(async () => {
    site = (await readableSite()).site.id
    await store(site, [
      // f floods: three stage events and three conversion names
      stage('f', 0, 'awareness'),
      stage('f', 1, 'consideration'),
      stage('f', 2, 'onboarding'),
      { type: 'conversion', name: 'c3', uid: 'f', ts: D0 + DAY },
      { type: 'conversion', name: 'c1', uid: 'f', ts: D0 + 2 * DAY },
      { type: 'conversion', name: 'c2', uid: 'f', ts: D0 + 3 * DAY },
      // g and h stay within two of each
      stage('g', 0, 'awareness'),
      stage('g', 3, 'feature_usage'),
      stage('h', 1, 'awareness'),
      { type: 'conversion', name: 'c1', uid: 'g', ts: D0 + 4 * DAY },
      { type: 'conversion', name: 'c2', uid: 'g', ts: D0 + 5 * DAY },
      { type: 'conversion', name: 'c1', uid: 'h', ts: D0 + 6 * DAY },
    ])
  })

  it("keeps a user's first stage events up to the per-user cap and says so", async () => {
    expect(await trails(2)).toEqual({
      byUser: {
        f: ['awareness', 'consideration'],
        g: ['awareness', 'feature_usage'],
        h: ['awareness'],
      },
      truncated: true,
    })
    expect(await trails(3)).toEqual({
      byUser: {
        f: ['awareness', 'consideration', 'onboarding'],
        g: ['awareness', 'feature_usage'],
        h: ['awareness'],
      },
      truncated: false,
    })
  })

  it("keeps a user's first conversion names by time up to the per-user cap and says so", async () => {
    expect(await conversions(2)).toEqual({
      names: ['f:c1', 'f:c3', 'g:c1', 'g:c2', 'h:c1'],
      truncated: true,
    })
    expect(await conversions(3)).toEqual({
      names: ['f:c1', 'f:c2', 'f:c3', 'g:c1', 'g:c2', 'h:c1'],
      truncated: false,
    })
  })
})

describe('conversion pairs past the bound', () => {
  let site: string
  const END = D0 + 30 * DAY
  beforeAll(async () => {
    site = (await readableSite()).site.id
    // Name order (a, b, z) differs from user order (u1, u2, u3): u1 holds the latest name.
    await store(site, [
      { type: 'conversion', name: 'z', uid: 'u1', ts: D0 + DAY },
      { type: 'conversion', name: 'b', uid: 'u1', ts: D0 + 2 * DAY },
      { type: 'conversion', name: 'a', uid: 'u2', ts: D0 + 3 * DAY },
      { type: 'conversion', name: 'z', uid: 'u2', ts: D0 + 4 * DAY },
      { type: 'conversion', name: 'a', uid: 'u3', ts: D0 + 5 * DAY },
    ])
  })
  const pairs = async (max: number) => {
    const read = await firstConversions(env.DB, site, D0, END, max)
    return {
      pairs: read.rows.map((r) => `${r.uid}:${r.name}:${r.first_ts}`).sort(),
      truncated: read.truncated,
    }
  }

  it('keeps the first pairs by user, then name, whatever the names sort as', async () => {
    expect(await pairs(3)).toEqual({
      pairs: [`u1:b:${D0 + 2 * DAY}`, `u1:z:${D0 + DAY}`, `u2:a:${D0 + 3 * DAY}`].sort(),
      truncated: true,
    })
    expect(await pairs(1)).toEqual({ pairs: [`u1:b:${D0 + 2 * DAY}`], truncated: true })
  })

  it('keeps every pair within the bound', async () => {
    const all = await pairs(5)
    expect(all.truncated).toBe(false)
    expect(all.pairs).toEqual(
      [
        `u1:b:${D0 + 2 * DAY}`,
        `u1:z:${D0 + DAY}`,
        `u2:a:${D0 + 3 * DAY}`,
        `u2:z:${D0 + 4 * DAY}`,
        `u3:a:${D0 + 5 * DAY}`,
      ].sort(),
    )
  })
})
