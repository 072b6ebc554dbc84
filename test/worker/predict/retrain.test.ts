/**
 * The retrain rule (worker/predict/retrain.ts, docs/models.md): which site cron trains next.
 * Each test file has its own database, so the sites here are the only ones `dueSite` sees.
 * Time passes by handing cron a later `now`; growth by seeding new users.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Budget } from '../../../worker/rollups'
import { dueSite, trainDueModel } from '../../../worker/predict/retrain'
import { DAY, seed } from '../insights/seed'
import { syntheticSite, type SyntheticSite } from './churn-site'

const HOUR = 3_600_000
const T0 = Date.now()
const budget = (): Budget => ({ left: 60 })
const due = (now: number) => dueSite(env.DB, now, budget())

async function usersSeen(siteId: string) {
  const row = await env.DB.prepare('SELECT users_seen FROM churn_models WHERE site_id = ?1')
    .bind(siteId)
    .first<{ users_seen: number }>()
  return row!.users_seen
}

/** `n` users never seen before, active yesterday. */
async function newUsers(s: SyntheticSite, from: number, n: number) {
  const ts = Math.floor(T0 / DAY) * DAY - DAY + 10 * HOUR
  await seed(
    s.site,
    Array.from({ length: n }, (_, i) => ({
      type: 'page' as const,
      ts: ts + i,
      path: '/',
      uid: `new-${from + i}`,
      sid: `new-${from + i}`,
      tier: 'free',
    })),
  )
}

/** A site of three weeks: enough for a model with 200 users or more, too few with 40. */
const weekSite = (seed: number, users: number, newcomers: number) =>
  syntheticSite({ seed, horizon: 7, users, newcomers, churnRate: 0.25, signal: true })

let a: SyntheticSite
let b: SyntheticSite

describe('the retrain rule', () => {
  it('trains a site without a model, then not again while its model is fresh', async () => {
    a = await weekSite(31, 300, 60)
    expect(await due(T0)).toBe(a.site.id)
    expect(await trainDueModel(env.DB, T0, budget())).toMatchObject({
      site_id: a.site.id,
      status: 'ok',
    })
    expect(await due(T0)).toBeNull()
    expect(await due(T0 + 6 * DAY + 23 * HOUR)).toBeNull()
    expect(await trainDueModel(env.DB, T0 + HOUR, budget())).toBeNull()
  }, 60_000)

  it('retrains an ok model once it is 7 days old', async () => {
    expect(await due(T0 + 7 * DAY - 1)).toBeNull()
    expect(await due(T0 + 7 * DAY)).toBe(a.site.id)
  })

  it('retrains when the users grew by 20% since the last training', async () => {
    const seen = await usersSeen(a.site.id)
    const grow = Math.ceil(0.2 * seen)
    await newUsers(a, 0, grow - 1)
    expect(await due(T0 + HOUR)).toBeNull()
    await newUsers(a, grow - 1, 1)
    expect(await due(T0 + HOUR)).toBe(a.site.id)
    const again = await trainDueModel(env.DB, T0 + HOUR, budget())
    expect(again).toMatchObject({ site_id: a.site.id, status: 'ok' })
    expect(await usersSeen(a.site.id)).toBe(seen + grow)
    expect(await due(T0 + 2 * HOUR)).toBeNull()
  })

  it('waits while the site has rollup days to rebuild before today', async () => {
    const later = T0 + 8 * DAY
    expect(await due(later)).toBe(a.site.id)
    await env.DB.prepare('INSERT INTO rollup_dirty (site_id, day) VALUES (?1, ?2)')
      .bind(a.site.id, new Date(T0 - DAY).toISOString().slice(0, 10))
      .run()
    expect(await due(later)).toBeNull()
    await env.DB.prepare('DELETE FROM rollup_dirty WHERE site_id = ?1').bind(a.site.id).run()
    expect(await due(later)).toBe(a.site.id)
  })

  it('retries an insufficient_data model after a day, and never trains on a budget too small', async () => {
    b = await weekSite(32, 40, 5)
    const at = T0 + 2 * HOUR
    // Not with fewer queries than a training can need (retrain.ts TRAIN_MIN_QUERIES + 1).
    expect(await trainDueModel(env.DB, at, { left: 25 })).toBeNull()
    expect(await trainDueModel(env.DB, at, budget())).toMatchObject({
      site_id: b.site.id,
      status: 'insufficient_data',
    })
    expect(await due(at + DAY - 1)).toBeNull()
    expect(await due(at + DAY)).toBe(b.site.id)
  })
})
