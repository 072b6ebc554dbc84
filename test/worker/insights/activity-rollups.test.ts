/** The per-user daily rollups (migrations/0003, 0004) rebuilt from events in D1. */
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { featureDays } from '../../../worker/rollups/feature-days'
import { userDays } from '../../../worker/rollups/user-days'
import { at, readableSite, store } from './stored-events'

let site: string

beforeEach(async () => {
  site = (await readableSite()).site.id
})

const rebuild = (day: string) =>
  env.DB.batch(
    [userDays, featureDays].flatMap((r) =>
      r.rebuild(env.DB, site, Date.parse(`${day}T00:00:00Z`), day),
    ),
  )

const rows = async (sql: string) => (await env.DB.prepare(sql).bind(site).all()).results

/** A user's active rows of a day (one per tier and device) folded into one: the latest tier. */
const latest = (column: string) =>
  `substr(max(CASE WHEN ${column} <> 'unknown' THEN printf('%015d', last_ts) || ${column} END), 16)`
const USER_DAY = `SELECT day, uid, ${latest('tier')} AS tier, ${latest('device')} AS device,
  sum(events) AS events, sum(sessions) AS sessions, sum(pages) AS pages,
  sum(features) AS features, min(first_ts) AS first_ts, max(last_ts) AS last_ts
FROM rollup_user_days WHERE site_id = ?1 AND events > 0 GROUP BY day, uid`

describe('rollup_user_days', () => {
  it("sums a user's day and keeps the last tier and device it carried", async () => {
    await store(site, [
      {
        type: 'page',
        path: '/',
        uid: 'u1',
        sid: 's1',
        tier: 'free',
        device: 'mobile',
        ts: at('2026-03-02T08:00:00Z'),
      },
      {
        type: 'feature',
        feature: 'budget_tracking',
        uid: 'u1',
        sid: 's1',
        ts: at('2026-03-02T08:01:00Z'),
      },
      {
        type: 'page',
        path: '/',
        uid: 'u1',
        sid: 's2',
        tier: 'premium',
        device: 'desktop',
        ts: at('2026-03-02T20:00:00Z'),
      },
      { type: 'identify', uid: 'u1', sid: 's2', ts: at('2026-03-02T20:00:01Z') },
      { type: 'revenue', value: 19.99, currency: 'USD', uid: 'u1', ts: at('2026-03-02T23:00:00Z') },
    ])
    await rebuild('2026-03-02')
    expect(await rows(USER_DAY)).toEqual([
      {
        day: '2026-03-02',
        uid: 'u1',
        tier: 'premium',
        device: 'desktop',
        events: 4, // the revenue event is the bank's backend, not the person
        sessions: 2,
        pages: 2,
        features: 1,
        first_ts: at('2026-03-02T08:00:00Z'),
        last_ts: at('2026-03-02T20:00:01Z'),
      },
    ])
    expect(
      await rows(
        'SELECT day, feature, uid, uses + starts AS uses FROM rollup_feature_days WHERE site_id = ?1',
      ),
    ).toEqual([{ day: '2026-03-02', feature: 'budget_tracking', uid: 'u1', uses: 1 }])
  })

  it('gives the same rows when a day is rebuilt twice, and counts a late event once', async () => {
    const late = { type: 'page', path: '/', uid: 'u1', ts: at('2026-03-02T09:00:00Z') } as const
    await store(site, [{ type: 'page', path: '/', uid: 'u1', ts: at('2026-03-02T08:00:00Z') }])
    await rebuild('2026-03-02')
    await rebuild('2026-03-02')
    expect(await rows('SELECT events FROM rollup_user_days WHERE site_id = ?1')).toEqual([
      { events: 1 },
    ])
    await store(site, [{ ...late, id: 'late-1' }])
    await store(site, [{ ...late, id: 'late-1' }]) // replayed
    await rebuild('2026-03-02')
    expect(await rows('SELECT events FROM rollup_user_days WHERE site_id = ?1')).toEqual([
      { events: 2 },
    ])
  })
})

describe('user_first_seen', () => {
  it('moves first_day back when an earlier day is rebuilt later, never forward', async () => {
    await store(site, [
      { type: 'page', path: '/', uid: 'u1', tier: 'premium', ts: at('2026-03-05T08:00:00Z') },
      { type: 'page', path: '/', uid: 'u1', tier: 'free', ts: at('2026-03-03T08:00:00Z') },
    ])
    await rebuild('2026-03-05')
    expect(
      await rows('SELECT uid, first_day, tier FROM user_first_seen WHERE site_id = ?1'),
    ).toEqual([{ uid: 'u1', first_day: '2026-03-05', tier: 'premium' }])
    await rebuild('2026-03-03')
    await rebuild('2026-03-05')
    expect(
      await rows('SELECT uid, first_day, tier FROM user_first_seen WHERE site_id = ?1'),
    ).toEqual([{ uid: 'u1', first_day: '2026-03-03', tier: 'free' }])
  })
})
