import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { insertEventStatements } from '../../worker/db/events'
import { daysOf, rebuildDay } from '../../worker/rollups'
import { purgeRollupsBefore } from '../../worker/rollups/insights'
import { purgeExpiredEvents } from '../../worker/scheduled'
import type { EventRow } from '../../worker/schemas'
import { call, countEvents, createSite } from './helpers'

/** What cron gives the purge (worker/scheduled.ts QUERIES.purge). */
const PURGE = () => ({ left: 200 })

const DAY = 86_400_000

describe('the retention purge', () => {
  it("deletes events older than the site's retention_days and keeps the rest", async () => {
    const site = await createSite()
    await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { retention_days: 30 },
    })
    const now = Date.now()
    const row = (id: string, age: number, type: EventRow['type'] = 'page') => ({
      site_id: site.id,
      id,
      type,
      ts: now - age * DAY,
      received_at: now,
    })
    await env.DB.batch(
      insertEventStatements(env.DB, [
        row('old-page', 31),
        row('old-step', 40, 'step'),
        row('new', 29),
      ]),
    )
    await purgeExpiredEvents(env.DB, now, PURGE())
    const { results } = await env.DB.prepare('SELECT id FROM events WHERE site_id = ?1')
      .bind(site.id)
      .all()
    expect(results).toEqual([{ id: 'new' }])
    expect(await countEvents(site.id)).toBe(1)
  })
})

describe('the retention purge of rollups', () => {
  const NOW = Date.parse('2026-04-30T12:00:00Z') // keeps 30 days: events from 03-31 12:00 on
  const at = (iso: string) => Date.parse(iso)

  /** A site that keeps 30 days, with `events` stored and their days rolled up. */
  async function siteWith(events: Record<string, unknown>[]) {
    const site = await createSite()
    await call(`/v1/sites/${site.id}/config`, {
      method: 'PATCH',
      token: site.admin,
      body: { retention_days: 30 },
    })
    const rows = events.map((e, i) => ({
      site_id: site.id,
      id: `e${i}`,
      received_at: NOW,
      device: 'mobile',
      tier: 'free',
      ...e,
    })) as EventRow[]
    await env.DB.batch(insertEventStatements(env.DB, rows))
    for (const { day } of daysOf(rows)) await rebuildDay(env.DB, site.id, day)
    return site.id
  }

  const column = async (sql: string, siteId: string) =>
    (await env.DB.prepare(sql).bind(siteId).raw()).map((r) => r.join(' '))

  it('deletes every rollup day that holds an expired event', async () => {
    const siteId = await siteWith([
      { type: 'page', path: '/', uid: 'a', ts: at('2026-03-20T10:00:00Z') },
      {
        type: 'feature',
        feature: 'budgets',
        status: 'failed',
        reason: 'timeout',
        uid: 'a',
        ts: at('2026-03-20T10:01:00Z'),
      },
      {
        type: 'connection',
        institution: 'chase',
        status: 'completed',
        uid: 'a',
        ts: at('2026-03-20T10:02:00Z'),
      },
      // after the cutoff, on the day it falls in: the event stays, its rollup day goes
      { type: 'page', path: '/', uid: 'a', ts: at('2026-03-31T18:00:00Z') },
      { type: 'feature', feature: 'budgets', uid: 'a', ts: at('2026-04-10T10:00:00Z') },
    ])
    await purgeExpiredEvents(env.DB, NOW, PURGE())
    const days = (table: string) =>
      column(`SELECT DISTINCT day FROM ${table} WHERE site_id = ?1 ORDER BY day`, siteId)
    expect(await days('rollup_user_days')).toEqual(['2026-04-10'])
    expect(await days('rollup_feature_days')).toEqual(['2026-04-10'])
    expect(await days('rollup_feature_reasons')).toEqual([])
    expect(await days('rollup_connection_days')).toEqual([])
    expect(await countEvents(siteId)).toBe(2)
  })

  it("forgets the first-seen day of a user whose active days all expired, not of one who's back", async () => {
    const siteId = await siteWith([
      { type: 'page', path: '/', uid: 'gone', ts: at('2026-03-20T10:00:00Z') },
      { type: 'page', path: '/', uid: 'back', ts: at('2026-03-20T10:00:00Z') },
      { type: 'page', path: '/', uid: 'back', ts: at('2026-04-10T10:00:00Z') },
    ])
    await purgeExpiredEvents(env.DB, NOW, PURGE())
    expect(
      await column('SELECT uid, first_day FROM user_first_seen WHERE site_id = ?1', siteId),
    ).toEqual(['back 2026-03-20']) // still active: not a new user on 04-10
  })

  it('spreads a long backlog of expired rollup days over runs, a day at a time', async () => {
    const start = at('2026-01-01T10:00:00Z')
    const siteId = await siteWith(
      Array.from({ length: 60 }, (_, d) => ({
        type: 'page',
        path: '/',
        uid: 'a',
        ts: start + d * DAY,
      })),
    )
    const left = async () =>
      (await column('SELECT count(*) FROM rollup_user_days WHERE site_id = ?1', siteId))[0]
    // 60 days × one statement per rollup table is more than one run's 200 queries: each run
    // takes whole days off the oldest end until none is left.
    const perDay = purgeRollupsBefore(env.DB, siteId, '2026-01-01').length
    const counts = [Number(await left())]
    while (counts.at(-1)! > 0 && counts.length <= 10) {
      await purgeExpiredEvents(env.DB, NOW, PURGE())
      counts.push(Number(await left()))
    }
    expect(counts.at(-1)).toBe(0)
    expect(counts.length - 1).toBeGreaterThanOrEqual(Math.ceil((60 * perDay) / 200))
    expect(counts.length - 1).toBeLessThanOrEqual(Math.ceil((60 * perDay) / 200) + 1)
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThan(counts[i - 1])
  })
})
