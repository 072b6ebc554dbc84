/**
 * Training within cron's query budget (DESIGN §8: ≤ 1,000 queries an invocation; the churn
 * model's share is worker/scheduled.ts QUERIES.predict = 60) on a site of about 3,000 users.
 * Queries are counted by a wrapper around the real D1 binding — every statement run alone or in
 * a batch — not taken from the code's own Budget arithmetic, which is checked against it.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  readModel,
  saveModel,
  scoreChunks,
  type ScoreTuple,
} from '../../../worker/db/predict/store'
import { trainDueModel } from '../../../worker/predict/retrain'
import { counting } from '../counting-db'
import { createSite } from '../helpers'
import { syntheticSite, type Plan, type SyntheticSite } from './churn-site'

/** worker/scheduled.ts QUERIES.predict */
const PREDICT_SHARE = 60

const PLAN: Plan = {
  seed: 21,
  horizon: 7,
  users: 2700,
  newcomers: 150,
  churnRate: 0.25,
  signal: true,
}

let s: SyntheticSite
beforeAll(async () => {
  s = await syntheticSite(PLAN)
}, 120_000)

describe('churn training and the query budget', () => {
  it('trains and scores ~3,000 users within the predict share of the cron run', async () => {
    const { db, counter } = counting(env.DB)
    const budget = { left: PREDICT_SHARE }
    const result = await trainDueModel(db, Date.now(), budget)
    expect(result).toMatchObject({ site_id: s.site.id, status: 'ok' })
    // The code's own count is the true one, and it stayed inside its share.
    expect(PREDICT_SHARE - budget.left).toBe(counter.queries)
    expect(budget.left).toBeGreaterThanOrEqual(0)
    // Every write happened: a score row for everyone active in the last 30 days (all of them).
    const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM churn_scores WHERE site_id = ?1')
      .bind(s.site.id)
      .first<{ n: number }>())!
    expect(s.users.length).toBeGreaterThan(2900)
    expect(n).toBe(s.users.length)
    expect(result!.scored).toBe(n)
    const model = await env.DB.prepare('SELECT status, scored FROM churn_models WHERE site_id = ?1')
      .bind(s.site.id)
      .first<{ status: string; scored: number }>()
    expect(model).toEqual({ status: 'ok', scored: n })
  })

  it('writes the riskiest scores first when the budget cannot take every chunk', async () => {
    // 30,000 made-up score rows, highest probability first as train.ts orders them: ~3 MB, so
    // more than one 1.5 MB chunk. A budget of 3 takes the delete, one chunk and the model row.
    const site = (await createSite()).id
    const scores: ScoreTuple[] = Array.from({ length: 30_000 }, (_, i) => {
      const p = 1 - i / 30_000
      return [
        `user-${i}`,
        p,
        Math.log(p / (1 - p + 1e-9)),
        50,
        'free',
        10,
        p * 10,
        'sessions',
        [1.5, 2, 3, 0, 1, 40, 55.5, 0, 1],
        [0.1, -0.2, 0.3, 0, 0.05, 0.01, -0.4, 0, 0.02],
      ]
    })
    const chunks = scoreChunks(scores)
    expect(chunks.length).toBeGreaterThan(1)
    const budget = { left: 3 }
    const scored = await saveModel(env.DB, { ...MODEL, site_id: site }, scores, budget)
    expect(budget.left).toBe(0)
    expect(scored).toBe((JSON.parse(chunks[0]) as unknown[]).length)
    const rows = await env.DB.prepare(
      'SELECT count(*) AS n, min(churn_probability) AS lowest FROM churn_scores WHERE site_id = ?1',
    )
      .bind(site)
      .first<{ n: number; lowest: number }>()
    expect(rows!.n).toBe(scored)
    // The ones kept are the riskiest: everyone above the lowest kept probability.
    expect(rows!.lowest).toBe(scores[scored - 1][1])
    expect((await readModel(env.DB, site))!.scored).toBe(scored)
  })
})

const MODEL = {
  trained_at: Date.now(),
  status: 'ok' as const,
  reason: null,
  cut_day: null,
  horizon_days: 30,
  n: 1,
  churners: 0,
  base_rate: 0,
  features: null,
  scaler: null,
  intercept: 0,
  coefficients: null,
  metrics: null,
  rules: null,
  users_seen: 30_000,
  data_version: 0,
}
