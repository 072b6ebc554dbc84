/**
 * The churn model's windows (worker/predict/train.ts, docs/models.md "Time split"): they hold
 * whole days only, and the horizon counts only the history the site still holds. Expected
 * counts come from the plan (churn-site.ts).
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { OLDEST_ACTIVE_DAY_SQL } from '../../../worker/db/predict/oldest-day'
import { trainChurnModel } from '../../../worker/predict/train'
import type { ModelCard } from '../../../worker/routes/predict/view'
import { purgeExpiredEvents } from '../../../worker/scheduled'
import { call } from '../helpers'
import { getJson } from '../insights/seed'
import { dayOf, plantedRows, syntheticSite, type Plan, type SyntheticSite } from './churn-site'

const cardOf = (s: SyntheticSite) =>
  getJson<ModelCard>(`/v1/sites/${s.site.id}/models/churn`, s.read)
const train = (s: SyntheticSite) => trainChurnModel(env.DB, s.site.id, Date.now(), { left: 60 })

describe('the windows of the churn model', () => {
  it('holds whole days only: a weekly user whose day is today is not a churner', async () => {
    // Everyone comes once a week on their own weekday, today's included; a quarter stop.
    const plan: Plan = {
      seed: 9,
      horizon: 7,
      users: 280,
      newcomers: 40,
      churnRate: 0.25,
      signal: false,
      weekly: true,
    }
    const weekly = await syntheticSite(plan)
    expect((await train(weekly)).status).toBe('ok')
    const holdout = plantedRows(plan, weekly.users, 2 * plan.horizon)
    // Only those who stopped churned: with a part of today in the last window, the seventh
    // whose day is today would count too.
    expect(holdout.churners.every((u) => u.lastWindow === 1)).toBe(true)
    expect(await cardOf(weekly)).toMatchObject({
      horizon_days: 7,
      cut_day: dayOf(plan, 3 * plan.horizon),
      n: holdout.population.length,
      churners: holdout.churners.length,
    })
  }, 60_000)

  it('takes the horizon from the days still held after the retention purge', async () => {
    // 90 days of activity, then a retention of 61 days: the purge leaves the last 60 whole
    // days, so the horizon is 20. Users still active keep their first-seen day from before.
    const plan: Plan = {
      seed: 13,
      horizon: 30,
      users: 400,
      newcomers: 120,
      churnRate: 0.3,
      signal: true,
    }
    const s = await syntheticSite(plan)
    const res = await call(`/v1/sites/${s.site.id}/config`, {
      method: 'PATCH',
      token: s.site.admin,
      body: { retention_days: 61 },
    })
    expect(res.status).toBe(200)
    const oldestHeld = async () =>
      (await env.DB.prepare('SELECT min(day) AS day FROM rollup_user_days WHERE site_id = ?1')
        .bind(s.site.id)
        .first<{ day: string }>())!.day
    for (let run = 0; run < 10 && (await oldestHeld()) < dayOf(plan, 30); run++) {
      await purgeExpiredEvents(env.DB, Date.now(), { left: 100 })
    }
    expect(await oldestHeld()).toBe(dayOf(plan, 30))

    expect((await train(s)).status).toBe('ok')
    const H = 20
    const holdout = plantedRows(plan, s.users, 90 - H, H)
    expect(await cardOf(s)).toMatchObject({
      status: 'ok',
      horizon_days: H,
      n: holdout.population.length,
      churners: holdout.churners.length,
      holdout: { trained_cut: dayOf(plan, 90 - 2 * H), holdout_cut: dayOf(plan, 90 - H) },
    })
  }, 60_000)

  it("finds the oldest day held by walking the rollup's primary key, with no sort", async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${OLDEST_ACTIVE_DAY_SQL}`)
      .bind('any-site')
      .all<{ detail: string }>()
    const details = results.map((r) => r.detail)
    expect(details).toEqual([
      expect.stringMatching(/^SEARCH rollup_user_days USING PRIMARY KEY \(site_id=\?\)$/),
    ])
  })
})
