import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { rebuildDay } from '../../../worker/rollups'
import { eraseUserFromRollups, purgeRollupsBefore } from '../../../worker/rollups/insights'
import { BASE, seed, siteWith } from './seed'

const day = new Date(BASE).toISOString().slice(0, 10)
/** A failed use as the rollup keeps it: ts zero-padded to 15 digits, then the reason. */
const failAt = (ts: number, reason: string) => `${String(ts).padStart(15, '0')}${reason}`

async function featureRows(siteId: string) {
  const { results } = await env.DB.prepare(
    `SELECT tier, feature, uid, uses, completed, failed, time_s, ratings, rating_sum, revenue,
       last_fail
     FROM rollup_feature_days WHERE site_id = ?1 ORDER BY uid`,
  )
    .bind(siteId)
    .all()
  return results
}

describe('insight rollups', () => {
  it('fold a day of feature, feedback and revenue events into one row per user', async () => {
    const { site } = await siteWith()
    await seed(site, [
      {
        type: 'feature',
        ts: BASE,
        uid: 'a',
        tier: 'plus',
        feature: 'tax_optimization',
        status: 'completed',
        value: 40,
      },
      {
        type: 'feature',
        ts: BASE + 1,
        uid: 'a',
        tier: 'plus',
        feature: 'tax_optimization',
        status: 'failed',
        value: 10,
      },
      {
        type: 'feature',
        ts: BASE + 2,
        uid: 'a',
        tier: 'plus',
        feature: 'tax_optimization',
        status: 'started',
      },
      {
        type: 'feedback',
        ts: BASE + 3,
        uid: 'a',
        tier: 'plus',
        feature: 'tax_optimization',
        value: 4,
      },
      {
        type: 'revenue',
        ts: BASE + 4,
        uid: 'a',
        tier: 'plus',
        feature: 'tax_optimization',
        value: 14.99,
        currency: 'USD',
      },
    ])
    expect(await featureRows(site.id)).toEqual([
      {
        tier: 'plus',
        feature: 'tax_optimization',
        uid: 'a',
        uses: 2, // the `started` event opens a use, it is not one
        completed: 1,
        failed: 1,
        time_s: 50,
        ratings: 1,
        rating_sum: 4,
        revenue: 14.99,
        last_fail: failAt(BASE + 1, 'unknown'), // the failed use gave no reason
      },
    ])
  })

  it("keep each user-day's latest failed or abandoned use, and none where nothing failed", async () => {
    const { site } = await siteWith()
    const use = (uid: string, at: number, status: string, reason?: string) => ({
      type: 'feature' as const,
      ts: BASE + at,
      uid,
      tier: 'plus',
      feature: 'bill_pay',
      status: status as 'failed',
      ...(reason ? { reason } : {}),
    })
    await seed(site, [
      use('a', 0, 'failed', 'timeout'),
      use('a', 2, 'abandoned', 'closed_modal'),
      use('a', 1, 'failed', 'sync_failed'), // stored after, happened before
      use('a', 3, 'completed'),
      use('b', 0, 'completed'),
    ])
    const rows = await featureRows(site.id)
    expect(rows.map((r) => [r.uid, r.last_fail])).toEqual([
      ['a', failAt(BASE + 2, 'closed_modal')],
      ['b', null],
    ])
  })

  it('count a feature use that gave no status', async () => {
    const { site } = await siteWith()
    await seed(site, [
      { type: 'feature', ts: BASE, uid: 'a', tier: 'free', feature: 'goal_setting' },
    ])
    expect(await featureRows(site.id)).toMatchObject([{ uses: 1, completed: 0, failed: 0 }])
  })

  it('give the same rows when a day is rebuilt again', async () => {
    const { site } = await siteWith()
    await seed(site, [
      {
        type: 'feature',
        ts: BASE,
        uid: 'a',
        tier: 'plus',
        feature: 'goal_setting',
        status: 'completed',
      },
      { type: 'page', ts: BASE, uid: 'a', tier: 'plus', path: '/' },
    ])
    const before = await featureRows(site.id)
    await rebuildDay(env.DB, site.id, day)
    await rebuildDay(env.DB, site.id, day)
    expect(await featureRows(site.id)).toEqual(before)
    const users = await env.DB.prepare(
      'SELECT count(*) AS n FROM rollup_user_days WHERE site_id = ?1',
    )
      .bind(site.id)
      .first<{ n: number }>()
    expect(users!.n).toBe(1)
  })

  it('backfill each failure stored before migrations/0007 as a rebuild would, marking no day dirty', async () => {
    const { site } = await siteWith()
    const nextDay = BASE + 12 * 3600_000 // midnight after BASE: the next day's first instant
    const next = new Date(nextDay).toISOString().slice(0, 10)
    const use = (uid: string | undefined, ts: number, status: string, reason?: string) => ({
      type: 'feature' as const,
      ts,
      ...(uid ? { uid } : {}),
      tier: 'plus',
      feature: 'bill_pay',
      status: status as 'failed',
      ...(reason ? { reason } : {}),
    })
    await seed(site, [
      use('a', BASE + 5, 'failed', 'timeout'),
      use('a', BASE + 2, 'failed', 'sync_failed'), // stored after, happened before
      { ...use('a', BASE + 9, 'failed', 'other_feature'), feature: 'goal_setting' },
      use('a', nextDay + 1, 'abandoned', 'closed_modal'),
      use('a', nextDay, 'failed', 'timeout'), // the next day's first instant, not the day before's
      use('b', BASE, 'failed', 'timeout'),
      use('b', BASE + 1, 'completed'), // failed then completed: the failure still stands
      use('c', BASE, 'failed', 'desktop_reason'),
      { ...use('c', BASE + 1, 'failed', 'mobile_reason'), device: 'mobile' },
      use(undefined, BASE, 'abandoned', 'offline'), // no uid: the row of uid ''
      use('d', BASE, 'completed'),
    ])
    const lastFails = async () => {
      const { results } = await env.DB.prepare(
        `SELECT day, device, feature, uid, last_fail FROM rollup_feature_days WHERE site_id = ?1
         ORDER BY uid, feature, device, day`,
      )
        .bind(site.id)
        .all()
      return results
    }
    const rebuilt = await lastFails()
    expect(rebuilt.map((r) => [r.uid, r.feature, r.device, r.day, r.last_fail])).toEqual([
      ['', 'bill_pay', 'desktop', day, failAt(BASE, 'offline')],
      ['a', 'bill_pay', 'desktop', day, failAt(BASE + 5, 'timeout')],
      ['a', 'bill_pay', 'desktop', next, failAt(nextDay + 1, 'closed_modal')],
      ['a', 'goal_setting', 'desktop', day, failAt(BASE + 9, 'other_feature')],
      ['b', 'bill_pay', 'desktop', day, failAt(BASE, 'timeout')],
      ['c', 'bill_pay', 'desktop', day, failAt(BASE, 'desktop_reason')],
      ['c', 'bill_pay', 'mobile', day, failAt(BASE + 1, 'mobile_reason')],
      ['d', 'bill_pay', 'desktop', day, null],
    ])
    // The rows as they were before 0007 gave them a column, and nothing marked for rebuild.
    await env.DB.batch([
      env.DB.prepare('UPDATE rollup_feature_days SET last_fail = NULL'),
      env.DB.prepare('DELETE FROM rollup_dirty'),
    ])
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0007_'))!
    for (const q of migration.queries.filter((q) => !/ALTER TABLE/i.test(q))) {
      await env.DB.prepare(q).run()
    }
    expect(await lastFails()).toEqual(rebuilt)
    expect(await env.DB.prepare('SELECT count(*) AS n FROM rollup_dirty').first('n')).toBe(0)
  })

  it("forget an erased user's rows, and days before a retention cut", async () => {
    const { site } = await siteWith()
    await seed(site, [
      { type: 'feature', ts: BASE, uid: 'a', tier: 'plus', feature: 'goal_setting' },
      {
        type: 'connection',
        ts: BASE,
        uid: 'a',
        tier: 'plus',
        institution: 'x',
        status: 'completed',
      },
      { type: 'page', ts: BASE, uid: 'b', tier: 'plus', path: '/' },
      { type: 'page', ts: BASE + 86_400_000, uid: 'b', tier: 'plus', path: '/' },
    ])
    const count = async (table: string) =>
      (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE site_id = ?1`)
        .bind(site.id)
        .first<{ n: number }>())!.n
    await env.DB.batch(eraseUserFromRollups(env.DB, site.id, 'a'))
    expect([await count('rollup_feature_days'), await count('rollup_connection_days')]).toEqual([
      0, 0,
    ])
    expect(await count('rollup_user_days')).toBe(2) // b, on two days
    await env.DB.batch(
      purgeRollupsBefore(env.DB, site.id, new Date(BASE + 86_400_000).toISOString().slice(0, 10)),
    )
    expect(await count('rollup_user_days')).toBe(1)
  })
})
