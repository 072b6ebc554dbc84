import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { rebuildDay } from '../../../worker/rollups'
import { eraseUserFromRollups, purgeRollupsBefore } from '../../../worker/rollups/insights'
import { BASE, seed, siteWith } from './seed'

const day = new Date(BASE).toISOString().slice(0, 10)

async function featureRows(siteId: string) {
  const { results } = await env.DB.prepare(
    `SELECT tier, feature, uid, uses, completed, failed, time_s, ratings, rating_sum, revenue
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
      },
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
