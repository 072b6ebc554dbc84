/**
 * The churn model trained end to end in workerd (DESIGN §7.10): two synthetic sites of 90 days
 * (churn-site.ts), one where falling activity and failing connections and runs come before
 * churn, one where who churns is drawn at random, independent of every feature. Both are
 * trained by cron (`POST /v1/admin/jobs/run`, one site a run) and read back through the card.
 * The expected n, churners and cuts come from the plan, not from the code under test.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ModelCard } from '../../../worker/routes/predict/view'
import { call } from '../helpers'
import { getJson } from '../insights/seed'
import { dayOf, plantedRows, syntheticSite, type Plan, type SyntheticSite } from './churn-site'

const PLAN: Plan = {
  seed: 7,
  horizon: 30,
  users: 300,
  newcomers: 90,
  churnRate: 0.2,
  signal: true,
}

let planted: SyntheticSite
let shuffled: SyntheticSite
const cardOf = (s: SyntheticSite) =>
  getJson<ModelCard>(`/v1/sites/${s.site.id}/models/churn`, s.read)

beforeAll(async () => {
  planted = await syntheticSite(PLAN)
  shuffled = await syntheticSite({ ...PLAN, signal: false })
  const trained = []
  for (let run = 0; run < 2; run++) {
    const res = await call('/v1/admin/jobs/run', { method: 'POST', token: env.ADMIN_TOKEN })
    expect(res.status).toBe(200)
    trained.push(((await res.json()) as { churn_model: { site_id: string } | null }).churn_model)
  }
  // One site a run, the one without a model first.
  expect(trained.map((t) => t?.site_id).sort()).toEqual([planted.site.id, shuffled.site.id].sort())
}, 120_000)

/**
 * Under no signal the AUC's standard error is Hanley & McNeil's
 * sqrt((n1 + n0 + 1) / (12·n1·n0)) (Mann–Whitney's null variance): about 0.04 for this holdout
 * of ~330 users and ~60 churners. 2.5 of those (±0.1) is wide enough for an honest 0.5 to pass
 * and narrow enough that the 0.99 of the planted site, or any real leakage, cannot.
 */
const nullSe = (n: number, churners: number) =>
  Math.sqrt((n + 1) / (12 * churners * (n - churners)))

describe('the churn model trained by cron on a synthetic site', () => {
  it('ranks churners above stayers on a window it never saw (holdout AUC ≥ 0.75), with the whole card', async () => {
    const card = await cardOf(planted)
    const H = PLAN.horizon
    const holdout = plantedRows(PLAN, planted.users, 2 * H)
    expect(holdout.population.length).toBeGreaterThanOrEqual(200)
    expect(holdout.churners.length).toBeGreaterThanOrEqual(20)
    expect(card).toMatchObject({
      status: 'ok',
      reason: null,
      horizon_days: H,
      cut_day: dayOf(PLAN, 3 * H),
      n: holdout.population.length,
      churners: holdout.churners.length,
      holdout: {
        n: holdout.population.length,
        churners: holdout.churners.length,
        trained_cut: dayOf(PLAN, H),
        holdout_cut: dayOf(PLAN, 2 * H),
      },
    })
    expect(card.base_rate).toBeCloseTo(holdout.churners.length / holdout.population.length, 12)
    // Scored: everyone active in the last 30 days (nobody churned explicitly).
    const recent = planted.users.filter((u) => [...u.days.keys()].some((i) => i >= 2 * H))
    expect(card.scored_users).toBe(recent.length)

    expect(card.auc!).toBeGreaterThanOrEqual(0.75)
    const [lo, hi] = card.auc_interval!
    expect(lo).toBeLessThanOrEqual(card.auc!)
    expect(hi).toBeGreaterThanOrEqual(card.auc!)
    expect(lo).toBeLessThan(hi)
    expect(hi).toBeLessThanOrEqual(1)
    // Brier: far better than a constant base-rate guess, whose score is p(1 − p).
    const rate = card.base_rate!
    expect(card.brier!).toBeGreaterThan(0)
    expect(card.brier!).toBeLessThan(rate * (1 - rate))
    expect(card.ece!).toBeGreaterThanOrEqual(0)
    expect(card.ece!).toBeLessThan(0.1)
    // The top 10% by probability hold churners at well above the base rate (at most 1 / rate).
    expect(card.top_decile_lift!).toBeGreaterThan(2)
    expect(card.top_decile_lift!).toBeLessThanOrEqual(1 / rate + 1e-9)

    // Named coefficients: the seven features and a column for each tier but the commonest.
    expect(card.coefficients.map((c) => c.feature)).toEqual([
      'activity_trend',
      'sessions',
      'breadth',
      'workflow_failures',
      'connection_failures',
      'tenure_days',
      'engagement',
      'tier:plus',
      'tier:premium',
    ])
    for (const c of card.coefficients) {
      expect(Number.isFinite(c.coefficient)).toBe(true)
      expect(c.sd).toBeGreaterThan(0)
    }
    const coef = new Map(card.coefficients.map((c) => [c.feature, c.coefficient]))
    // The planted direction: failures raise the risk, a rising trend and more sessions lower it.
    expect(coef.get('connection_failures')!).toBeGreaterThan(0.5)
    expect(coef.get('workflow_failures')!).toBeGreaterThan(0)
    expect(coef.get('activity_trend')!).toBeLessThan(-0.5)
    expect(coef.get('sessions')!).toBeLessThan(0)
    expect(Number.isFinite(card.intercept)).toBe(true)
  })

  it('scores about 0.5 when who churns is random and independent of the features (no leakage)', async () => {
    const card = await cardOf(shuffled)
    const holdout = plantedRows(PLAN, shuffled.users, 2 * PLAN.horizon)
    expect(card).toMatchObject({
      status: 'ok',
      n: holdout.population.length,
      churners: holdout.churners.length,
    })
    const tolerance = 2.5 * nullSe(card.n, card.churners)
    expect(tolerance).toBeLessThan(0.11)
    expect(Math.abs(card.auc! - 0.5)).toBeLessThanOrEqual(tolerance)
    const [lo, hi] = card.auc_interval!
    expect(lo).toBeLessThanOrEqual(0.5)
    expect(hi).toBeGreaterThanOrEqual(0.5)
    // No feature carries the label: every coefficient stays small (each ~0.15 by chance).
    for (const c of card.coefficients) expect(Math.abs(c.coefficient)).toBeLessThan(0.5)
    // Top-decile lift: ~33 users, ~6 churners expected: its sd is about 0.36, 2 is ~2.8 of them.
    expect(card.top_decile_lift!).toBeLessThan(2)
  })
})
