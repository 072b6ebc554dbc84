/**
 * Too little data for the churn model (DESIGN §7.10): fewer than 200 users, fewer than 20
 * churners, or a history too short for three windows of 7 days. Each card says
 * `insufficient_data` with the reason and no number that needs a model; nobody gets a
 * probability, at-risk is empty, and insights still shows the user's engagement.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { trainChurnModel } from '../../../worker/predict/train'
import type { ModelCard } from '../../../worker/routes/predict/view'
import { getJson } from '../insights/seed'
import { plantedRows, syntheticSite, type Plan, type SyntheticSite } from './churn-site'

const BASE: Plan = {
  seed: 3,
  horizon: 14,
  users: 120,
  newcomers: 20,
  churnRate: 0.25,
  signal: true,
}

async function trained(plan: Plan) {
  const s = await syntheticSite(plan)
  const result = await trainChurnModel(env.DB, s.site.id, Date.now(), { left: 60 })
  expect(result.status).toBe('insufficient_data')
  return s
}

async function expectNoNumbers(s: SyntheticSite, reason: RegExp) {
  const card = await getJson<ModelCard>(`/v1/sites/${s.site.id}/models/churn`, s.read)
  expect(card.status).toBe('insufficient_data')
  expect(card.reason).toMatch(reason)
  expect(card).toMatchObject({
    intercept: null,
    coefficients: [],
    auc: null,
    auc_interval: null,
    brier: null,
    ece: null,
    top_decile_lift: null,
    holdout: null,
  })
  const { n } = (await env.DB.prepare(
    'SELECT count(*) AS n FROM churn_scores WHERE site_id = ?1 AND churn_probability IS NOT NULL',
  )
    .bind(s.site.id)
    .first<{ n: number }>())!
  expect(n).toBe(0)

  const atRisk = await getJson(`/v1/sites/${s.site.id}/users/at-risk`, s.read)
  expect(atRisk).toMatchObject({ status: 'insufficient_data', users: [], next_cursor: null })
  expect(atRisk.reason).toBe(card.reason)

  // A user active yesterday: engagement 0–100, but no probability, risk or factors.
  const active = s.users.find((u) => u.days.has(3 * s.plan.horizon - 1))!
  const body = await getJson(`/v1/sites/${s.site.id}/users/${active.uid}/insights`, s.read)
  expect(body).toMatchObject({
    status: 'insufficient_data',
    reason: card.reason,
    churn_probability: null,
    risk: null,
    logit: null,
    baseline: null,
    factors: [],
    other_contribution: null,
    revenue_at_risk: null,
    tier: active.tier,
  })
  expect(body.engagement).toBeGreaterThanOrEqual(0)
  expect(body.engagement).toBeLessThanOrEqual(100)
  expect(body.recent_activity.length).toBeGreaterThan(0)
  return card
}

describe('the churn model with too little data', () => {
  it('says insufficient_data with the reason when fewer than 200 users can be learnt from', async () => {
    const s = await trained(BASE)
    const rows = plantedRows(BASE, s.users, BASE.horizon)
    expect(rows.population.length).toBeLessThan(200)
    expect(rows.churners.length).toBeGreaterThanOrEqual(20)
    const card = await expectNoNumbers(
      s,
      new RegExp(`: ${rows.population.length} users, fewer than the 200 a model needs`),
    )
    expect(card).toMatchObject({ n: rows.population.length, churners: rows.churners.length })
  }, 60_000)

  it('says insufficient_data with the reason when fewer than 20 of them churned', async () => {
    const plan = { ...BASE, seed: 4, users: 260, churnRate: 0.02 }
    const s = await trained(plan)
    const rows = plantedRows(plan, s.users, plan.horizon)
    expect(rows.population.length).toBeGreaterThanOrEqual(200)
    expect(rows.churners.length).toBeLessThan(20)
    const card = await expectNoNumbers(
      s,
      new RegExp(`: ${rows.churners.length} churners, fewer than the 20 a model needs`),
    )
    // The counts are those of the cut the reason names, so the card never contradicts it.
    expect(card).toMatchObject({
      n: rows.population.length,
      churners: rows.churners.length,
      base_rate: rows.churners.length / rows.population.length,
    })
  }, 60_000)

  it('says insufficient_data with the reason when the history is shorter than three weeks', async () => {
    // 18 days to T: a third is 6, under the 7-day minimum horizon.
    const plan = { ...BASE, seed: 5, horizon: 6, users: 250 }
    const s = await trained(plan)
    const card = await expectNoNumbers(
      s,
      /^18 days of activity history; a model needs 21 \(three windows of at least 7 days\)$/,
    )
    expect(card.horizon_days).toBeNull()
    expect(card.n).toBe(0)
  }, 60_000)
})
