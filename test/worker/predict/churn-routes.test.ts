/**
 * The churn model's per-user answers in workerd (DESIGN §7.10): `GET .../users/:uid/insights`
 * (factors that add up to the logit, risk levels, audited) and `GET .../users/at-risk` (keyset
 * pages by probability, filters), on a young synthetic site (42 days: a 14-day horizon) trained
 * by `trainChurnModel`. Expected feature values come from the plan (churn-site.ts).
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sigmoid } from '../../../worker/analysis/predict/logistic'
import type { ScoreRow } from '../../../worker/db/predict/store'
import { trainChurnModel } from '../../../worker/predict/train'
import type { ModelCard } from '../../../worker/routes/predict/view'
import { call, createKey } from '../helpers'
import { getJson } from '../insights/seed'
import { FEATURES, plantedRows, syntheticSite, type Plan, type SyntheticSite } from './churn-site'

const PLAN: Plan = {
  seed: 11,
  horizon: 14,
  users: 280,
  newcomers: 70,
  churnRate: 0.25,
  signal: true,
  explicit: true,
}
const H = PLAN.horizon

type Factor = { feature: string; value: number; contribution: number }
type Insights = {
  uid: string
  status: string
  reason: string | null
  tier: string | null
  engagement: number | null
  churn_probability: number | null
  risk: 'high' | 'medium' | 'low' | null
  logit: number | null
  baseline: number | null
  factors: Factor[]
  other_contribution: number | null
  mrr: number | null
  revenue_at_risk: number | null
  recommendations: { feature: string }[]
  features_used: string[]
  recent_activity: { day: string; events: number }[]
}
type AtRisk = {
  status: string
  users: {
    uid: string
    churn_probability: number
    risk: string
    tier: string
    mrr: number
    revenue_at_risk: number | null
    top_factor: Factor | null
  }[]
  next_cursor: string | null
}

let s: SyntheticSite
let card: ModelCard
let scores: ScoreRow[]
const insightsOf = (uid: string, token = s.read) =>
  getJson<Insights>(`/v1/sites/${s.site.id}/users/${uid}/insights`, token)
const atRisk = (query: string) =>
  getJson<AtRisk>(`/v1/sites/${s.site.id}/users/at-risk?${query}`, s.read)
/** Every scored row, in the at-risk order: probability descending, then uid. */
const ranked = (rows: ScoreRow[]) =>
  rows
    .filter((r) => r.churn_probability !== null)
    .sort((a, b) => b.churn_probability! - a.churn_probability! || (a.uid < b.uid ? -1 : 1))

beforeAll(async () => {
  s = await syntheticSite(PLAN)
  const result = await trainChurnModel(env.DB, s.site.id, Date.now(), { left: 60 })
  expect(result.status).toBe('ok')
  card = await getJson<ModelCard>(`/v1/sites/${s.site.id}/models/churn`, s.read)
  scores = (
    await env.DB.prepare('SELECT * FROM churn_scores WHERE site_id = ?1')
      .bind(s.site.id)
      .all<ScoreRow>()
  ).results
}, 120_000)

/** The features training reads for a user at T, computed from their planted days. */
function plantedFeatures(uid: string): number[] {
  const u = s.users.find((x) => x.uid === uid)!
  const days = [...u.days].filter(([i]) => i >= 2 * H && i < 3 * H)
  const recentHalf = Math.floor(H / 2)
  const recent = days.filter(([i]) => i >= 3 * H - recentHalf).length
  const sum = (f: (d: (typeof days)[number][1]) => number) => days.reduce((a, [, d]) => a + f(d), 0)
  const runs = [...u.failedRuns].filter(([i]) => i >= 2 * H && i < 3 * H)
  return [
    recent / recentHalf - (days.length - recent) / (H - recentHalf),
    days.length, // one session a day
    new Set(days.map(([, d]) => d.feature)).size,
    runs.filter(([, failed]) => failed).length,
    sum((d) => d.failures),
    3 * H - u.join, // tenure: days from the first active day to T
    NaN, // engagement: a rank among the site's users, checked by the node tests
    u.tier === 'plus' ? 1 : 0,
    u.tier === 'premium' ? 1 : 0,
  ]
}

describe('who the model learns from and scores', () => {
  it('counts a churn stage, or a cancellation with no new start, as churn and scores neither', async () => {
    const holdout = plantedRows(PLAN, s.users, 2 * H)
    expect(holdout.churners.map((u) => u.uid)).toEqual(
      expect.arrayContaining(['x-stage', 'x-cancel']),
    )
    expect(holdout.churners.map((u) => u.uid)).not.toContain('x-restart')
    expect(card).toMatchObject({
      status: 'ok',
      n: holdout.population.length,
      churners: holdout.churners.length,
    })
    const atT = plantedRows(PLAN, s.users, 3 * H).population.map((u) => u.uid)
    expect(
      ranked(scores)
        .map((r) => r.uid)
        .sort(),
    ).toEqual(atT.sort())
    for (const uid of ['x-stage', 'x-cancel']) {
      const body = await insightsOf(uid)
      expect(body).toMatchObject({ churn_probability: null, risk: null, factors: [] })
      expect(body.engagement).not.toBeNull()
    }
    const restarted = await insightsOf('x-restart')
    expect(restarted.churn_probability).not.toBeNull()
    expect(restarted.mrr).toBe(25)
    expect((await insightsOf('x-cancel')).mrr).toBe(0)
  })
})

describe('GET /v1/sites/:site/users/:uid/insights', () => {
  it("stores each user's features as planted over the last window", () => {
    expect(card.horizon_days).toBe(H)
    const scored = ranked(scores)
    expect(scored.length).toBeGreaterThan(200)
    for (const row of scored) {
      const stored = JSON.parse(row.feature_values!) as number[]
      plantedFeatures(row.uid).forEach((v, j) => {
        if (!Number.isNaN(v))
          expect([row.uid, j, stored[j]]).toEqual([row.uid, j, expect.closeTo(v, 5)])
      })
    }
  })

  it('gives factors that add up with the intercept to the logit, the top three the largest', async () => {
    const coef = card.coefficients
    // The five riskiest, five from the middle and the five safest.
    const rows = ranked(scores)
    const mid = Math.floor(rows.length / 2)
    const sample = [...rows.slice(0, 5), ...rows.slice(mid - 2, mid + 3), ...rows.slice(-5)]
    for (const row of sample) {
      const body = await insightsOf(row.uid)
      expect(body.status).toBe('ok')
      expect(body.churn_probability).toBe(row.churn_probability)
      expect(body.baseline).toBe(card.intercept)
      // Every feature's contribution, from the card: coefficient × (value − mean) / sd.
      const values = JSON.parse(row.feature_values!) as number[]
      const all = coef.map((c, j) => ({
        feature: c.feature,
        value: values[j],
        contribution: (c.coefficient * (values[j] - c.mean)) / c.sd,
      }))
      const total = all.reduce((a, f) => a + f.contribution, card.intercept!)
      expect(total).toBeCloseTo(body.logit!, 4)
      expect(sigmoid(body.logit!)).toBeCloseTo(body.churn_probability!, 5)
      // What the route shows adds up too: baseline + the three + the rest = the logit.
      const shown = body.factors.reduce((a, f) => a + f.contribution, 0)
      expect(body.baseline! + shown + body.other_contribution!).toBeCloseTo(body.logit!, 5)
      // The three shown are the three largest |contribution|, in that order.
      const top = [...all].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      expect(body.factors.map((f) => f.feature)).toEqual(top.slice(0, 3).map((f) => f.feature))
      body.factors.forEach((f, k) => {
        expect(f.contribution).toBeCloseTo(top[k].contribution, 4)
        expect(f.value).toBeCloseTo(top[k].value, 5)
      })
    }
  })

  it('labels risk high at 0.5 and more, medium at 0.2 and more, else low', async () => {
    const rows = ranked(scores)
    const level = (p: number) => (p >= 0.5 ? 'high' : p >= 0.2 ? 'medium' : 'low')
    const seen = new Set<string>()
    for (const want of ['high', 'medium', 'low']) {
      const row = rows.find((r) => level(r.churn_probability!) === want)
      expect(row, `a ${want}-risk user`).toBeDefined()
      const body = await insightsOf(row!.uid)
      expect(body.risk).toBe(want)
      seen.add(body.risk!)
    }
    expect(seen.size).toBe(3)
    // The boundaries themselves, through the at-risk filter: each row's level is its range.
    for (const risk of ['high', 'medium', 'low']) {
      const page = await atRisk(`risk=${risk}&limit=200`)
      for (const u of page.users) {
        expect(u.risk).toBe(risk)
        expect(level(u.churn_probability)).toBe(risk)
      }
    }
  })

  it('shows engagement, recommendations of unused features and recent days', async () => {
    const row = ranked(scores)[0]
    const body = await insightsOf(row.uid)
    expect(body.engagement).toBe(row.engagement)
    expect(body.engagement!).toBeGreaterThanOrEqual(0)
    expect(body.engagement!).toBeLessThanOrEqual(100)
    const u = s.users.find((x) => x.uid === row.uid)!
    expect(body.tier).toBe(u.tier)
    expect(body.features_used).toEqual(
      [...new Set([...u.days.values()].map((d) => d.feature))].sort(),
    )
    for (const r of body.recommendations) {
      expect(FEATURES).toContain(r.feature)
      expect(body.features_used).not.toContain(r.feature)
    }
    expect(body.recommendations.length).toBeLessThanOrEqual(3)
  })

  it('answers 404 for a uid the site never saw', async () => {
    const res = await call(`/v1/sites/${s.site.id}/users/nobody-here/insights`, { token: s.read })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found')
  })

  it('writes an audit row (user.insights) for every read, with the uid hashed', async () => {
    const uid = ranked(scores)[1].uid
    const count = async () =>
      (await env.DB.prepare(
        "SELECT count(*) AS n FROM audit_log WHERE site_id = ?1 AND action = 'user.insights' AND instr(details, ?2) > 0",
      )
        .bind(s.site.id, await sha256(uid))
        .first<{ n: number }>())!.n
    const before = await count()
    await insightsOf(uid)
    expect(await count()).toBe(before + 1)
    const row = await env.DB.prepare(
      "SELECT key_id, details FROM audit_log WHERE site_id = ?1 AND action = 'user.insights' ORDER BY id DESC LIMIT 1",
    )
      .bind(s.site.id)
      .first<{ key_id: string | null; details: string }>()
    expect(row!.key_id).not.toBeNull()
    expect(row!.details).not.toContain(uid)
  })

  it('audits an at-risk list (users.at_risk) with its filters and size, never its uids', async () => {
    const page = await atRisk('limit=5&risk=high')
    const row = await env.DB.prepare(
      "SELECT key_id, details FROM audit_log WHERE site_id = ?1 AND action = 'users.at_risk' ORDER BY id DESC LIMIT 1",
    )
      .bind(s.site.id)
      .first<{ key_id: string | null; details: string }>()
    expect(row!.key_id).not.toBeNull()
    expect(JSON.parse(row!.details)).toEqual({ tier: null, risk: 'high', users: page.users.length })
    for (const u of page.users) expect(row!.details).not.toContain(u.uid)
  })

  it('lets a read or admin key in and keeps the public key and no key out', async () => {
    const uid = ranked(scores)[0].uid
    const ingest = await createKey(s.site, 'ingest')
    for (const path of [`users/${uid}/insights`, 'users/at-risk', 'models/churn']) {
      const url = `/v1/sites/${s.site.id}/${path}`
      expect((await call(url, { token: s.read })).status).toBe(200)
      expect((await call(url, { token: s.site.admin })).status).toBe(200)
      expect((await call(url, { token: s.site.pk })).status).toBe(401)
      expect((await call(url)).status).toBe(401)
      expect((await call(url, { token: ingest })).status).toBe(403)
    }
  })
})

describe('GET /v1/sites/:site/users/at-risk', () => {
  it('pages by probability with limit and cursor, without repeats or gaps', async () => {
    const all = ranked(scores)
    const seen: AtRisk['users'] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: AtRisk = await atRisk(`limit=37${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.status).toBe('ok')
      expect(page.users.length).toBeLessThanOrEqual(37)
      seen.push(...page.users)
      cursor = page.next_cursor
      pages++
    } while (cursor && pages < 50)
    expect(pages).toBe(Math.ceil(all.length / 37))
    expect(seen.map((u) => u.uid)).toEqual(all.map((r) => r.uid))
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].churn_probability).toBeLessThanOrEqual(seen[i - 1].churn_probability)
    }
    // Revenue at risk is probability × the user's MRR, and the top factor the largest one.
    for (const u of seen.slice(0, 20)) {
      expect(u.revenue_at_risk).toBeCloseTo(u.churn_probability * u.mrr, 2)
      expect(u.mrr).toBe({ free: 0, plus: 10, premium: 25 }[u.tier])
    }
    const first = await insightsOf(seen[0].uid)
    expect(seen[0].top_factor).toEqual(first.factors[0])
  })

  it('filters by tier and by risk, together or alone', async () => {
    const all = ranked(scores)
    const level = (p: number) => (p >= 0.5 ? 'high' : p >= 0.2 ? 'medium' : 'low')
    for (const [tier, risk] of [
      ['premium', null],
      [null, 'high'],
      ['free', 'medium'],
      ['plus', 'low'],
    ] as const) {
      const query = [tier && `tier=${tier}`, risk && `risk=${risk}`, 'limit=200']
      const page = await atRisk(query.filter(Boolean).join('&'))
      const want = all.filter(
        (r) => (!tier || r.tier === tier) && (!risk || level(r.churn_probability!) === risk),
      )
      expect(want.length).toBeGreaterThan(0)
      expect(page.users.map((u) => u.uid)).toEqual(want.slice(0, 200).map((r) => r.uid))
    }
  })

  it('refuses a limit above 200 and a cursor it did not give', async () => {
    const base = `/v1/sites/${s.site.id}/users/at-risk`
    expect((await call(`${base}?limit=201`, { token: s.read })).status).toBe(400)
    expect((await call(`${base}?limit=0`, { token: s.read })).status).toBe(400)
    expect((await call(`${base}?cursor=not-a-cursor`, { token: s.read })).status).toBe(400)
    expect((await call(`${base}?risk=extreme`, { token: s.read })).status).toBe(400)
    expect((await call(`${base}?limit=200`, { token: s.read })).status).toBe(200)
  })
})

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
