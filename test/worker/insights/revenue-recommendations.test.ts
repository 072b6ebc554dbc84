/**
 * `GET /v1/sites/:site/revenue/recommendations` (DESIGN §7.9) end to end in workerd: a story of
 * subscriptions, feature use and bank connections brought in through the import, the rollups
 * rebuilt by the cron job, and the three levers read back with the figures written here.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { Lever } from '../../../worker/analysis/revenue/recommendations'
import { connectionsSql } from '../../../worker/db/insights/connections'
import { payingConnectionsSql } from '../../../worker/db/insights/paying-connections'
import { call, createKey, createSite, type TestSite } from '../helpers'

const DAY = 86_400_000
const NOW = Date.now()
const ago = (days: number) => NOW - days * DAY
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10)
/** 31 days: the period the levers look at. */
const PERIOD = `from=${dayOf(ago(30))}&to=${dayOf(NOW)}`
const DAYS = 31

let seq = 0
const base = (uid: string, ts: number) => ({ id: `lv-${++seq}`, ts, uid, sid: `${uid}-s` })
const revenue = (uid: string, ts: number, name: string, tier: string, value: number) => ({
  ...base(uid, ts),
  type: 'revenue',
  name,
  tier,
  value,
  currency: 'USD',
  props: { interval: 'month' },
})
const feature = (uid: string, ts: number, name: string) => ({
  ...base(uid, ts),
  type: 'feature',
  tier: 'free',
  feature: name,
  status: 'completed',
})
const failedLink = (uid: string, ts: number, institution: string) => ({
  ...base(uid, ts),
  type: 'connection',
  name: 'link',
  institution,
  status: 'failed',
  reason: 'institution_down',
})
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

/**
 * - 20 free users try investment_tracking, 15 of them start plus (9.99) after it; 20 free users
 *   try only budget_tracking, 1 of them starts plus.
 * - 20 plus and 20 premium (19.99) customers pay from before the period. 10 of the plus ones
 *   fail to link northwind 20 days ago and cancel 10 days ago; 10 premium ones fail to link
 *   northwind too and stay. No premium customer churns.
 */
function story() {
  const events: unknown[] = []
  range(20, 'inv').forEach((uid, i) => {
    events.push(feature(uid, ago(25), 'investment_tracking'))
    if (i < 15) events.push(revenue(uid, ago(20), 'subscription_started', 'plus', 9.99))
  })
  range(20, 'bud').forEach((uid, i) => {
    events.push(feature(uid, ago(25), 'budget_tracking'))
    if (i < 1) events.push(revenue(uid, ago(20), 'subscription_started', 'plus', 9.99))
  })
  range(20, 'plus').forEach((uid, i) => {
    events.push(revenue(uid, ago(50), 'subscription_started', 'plus', 9.99))
    events.push(revenue(uid, ago(20), 'subscription_renewed', 'plus', 9.99))
    if (i < 10) {
      events.push(failedLink(uid, ago(20), 'northwind'))
      events.push(revenue(uid, ago(10), 'subscription_cancelled', 'free', 0))
    }
  })
  range(20, 'prem').forEach((uid, i) => {
    events.push(revenue(uid, ago(50), 'subscription_started', 'premium', 19.99))
    events.push(revenue(uid, ago(20), 'subscription_renewed', 'premium', 19.99))
    if (i < 10) events.push(failedLink(uid, ago(20), 'northwind'))
  })
  return events
}

async function runJobs(site: TestSite) {
  for (let i = 0; i < 20; i++) {
    const res = await call('/v1/admin/jobs/run', { method: 'POST', token: env.ADMIN_TOKEN })
    expect(res.status).toBe(200)
    const dirty = await env.DB.prepare('SELECT count(*) AS n FROM rollup_dirty WHERE site_id = ?1')
      .bind(site.id)
      .first<{ n: number }>()
    if (dirty!.n === 0) return
  }
  throw new Error('rollups never caught up')
}

async function siteWithStory() {
  const site = await createSite()
  const config = await call(`/v1/sites/${site.id}/config`, {
    method: 'PATCH',
    token: site.admin,
    body: { min_sample: 10 },
  })
  expect(config.status).toBe(200)
  const events = story()
  const res = await call(`/v1/sites/${site.id}/import`, {
    method: 'POST',
    token: site.admin,
    body: { events },
  })
  expect(res.status).toBe(200)
  expect(((await res.json()) as { accepted: number }).accepted).toBe(events.length)
  await runJobs(site)
  return { site, read: await createKey(site, 'read') }
}

type Answer = { currency: string; min_sample: number; levers: Lever[]; computed_at: string }

async function leversOf(site: TestSite, read: string, query = PERIOD) {
  const res = await call(`/v1/sites/${site.id}/revenue/recommendations?${query}`, { token: read })
  expect(res.status).toBe(200)
  return (await res.json()) as Answer
}

const perMonth = (x: number) => Math.round(((x * 30) / DAYS) * 100) / 100

describe('GET /v1/sites/:site/revenue/recommendations', () => {
  it('ranks the feature that converts, the failing bank and the churning tier by monthly value', async () => {
    const { site, read } = await siteWithStory()
    const body = await leversOf(site, read)
    expect(body.currency).toBe('USD')
    expect(body.min_sample).toBe(10)
    const byKind = new Map(body.levers.map((l) => [l.kind, l]))

    // 20 failing paying users (10 plus, 10 premium) with 299.80 of MRR, half churned; none of
    // the 20 + 16 paying users whose connections never failed did.
    const bank = byKind.get('institution_failures')!
    expect(bank.subject).toBe('northwind')
    expect(bank.evidence).toMatchObject({
      paying_users: 20,
      failing_users: 20,
      failing_churned: 10,
      churn_rate_failing: 0.5,
      clean_users: 36,
      clean_churned: 0,
      failing_mrr: 299.8,
      attempts: 20,
      completed: 0,
    })
    expect(bank.monthly_value).toBe(perMonth(299.8 * 0.5))

    // 15/20 users of investment_tracking started paying, 1/30 of the others (the 20 who used
    // budget_tracking and the 10 plus customers free again after cancelling), at 9.99 each.
    const upsell = byKind.get('feature_upsell')!
    expect(upsell.subject).toBe('investment_tracking')
    expect(upsell.evidence).toMatchObject({
      users: 20,
      users_upgraded: 15,
      non_users: 30,
      non_users_upgraded: 1,
      mrr_per_upgrade: 9.99,
    })
    expect(upsell.monthly_value).toBe(perMonth((0.75 - 1 / 30) * 30 * 9.99))
    expect(body.levers.some((l) => l.subject === 'budget_tracking')).toBe(false)

    // plus: 20 at the start + 16 new, 10 churned; premium: 20, none churned.
    const tier = byKind.get('tier_churn')!
    expect(tier.subject).toBe('plus')
    expect(tier.evidence).toMatchObject({
      churned: 10,
      customers_exposed: 36,
      rest_churned: 0,
      rest_customers_exposed: 20,
      exposed_mrr: 359.64,
      customers: 26,
    })
    expect(tier.monthly_value).toBe(perMonth((10 / 36) * 359.64))

    const values = body.levers.map((l) => l.monthly_value)
    expect(values).toEqual([...values].sort((a, b) => b - a))
    expect(body.levers.map((l) => l.kind)).toEqual([
      'feature_upsell',
      'institution_failures',
      'tier_churn',
    ])
    for (const l of body.levers) {
      expect(l.sentence).toContain(l.subject)
      expect(l.sentence).toMatch(/USD \d/)
    }
  })

  it('gives a lever the same id in another period', async () => {
    const { site, read } = await siteWithStory()
    const a = await leversOf(site, read)
    const b = await leversOf(site, read, 'period=90d')
    const ids = (x: Answer) => new Map(x.levers.map((l) => [l.kind, l.id]))
    expect(ids(b).get('institution_failures')).toBe(ids(a).get('institution_failures'))
  })

  it('proposes nothing for a site without revenue', async () => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    expect((await leversOf(site, read, 'period=30d')).levers).toEqual([])
  })

  it('refuses a filter with a 400 rather than ignoring it', async () => {
    const site = await createSite()
    const read = await createKey(site, 'read')
    for (const q of ['tier=plus', 'device=mobile', 'feature=budget_tracking', 'limit=0']) {
      const res = await call(`/v1/sites/${site.id}/revenue/recommendations?${q}`, { token: read })
      expect(res.status, q).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_query')
    }
  })

  it('reads the same connections through the grouping-order index as by day range', async () => {
    const { site } = await siteWithStory()
    // paying users' connections and /connections' groups, in both plans (read-order.ts), over
    // the levers' period, a week of it and a day; rows sorted, as the plans may order them apart
    const sorted = async (sql: string, params: unknown[]) => {
      const { results } = await env.DB.prepare(sql)
        .bind(...params)
        .all<Record<string, unknown>>()
      const flat = results.map((r) =>
        JSON.stringify(
          typeof r.users === 'string' ? [r.institution, JSON.parse(r.users).sort()] : r,
        ),
      )
      return flat.sort()
    }
    let rows = 0
    for (const from of [ago(30), ago(6), NOW]) {
      const days = [site.id, dayOf(from), dayOf(NOW)]
      const paying = await sorted(payingConnectionsSql(false), days)
      expect(await sorted(payingConnectionsSql(true), days)).toEqual(paying)
      for (const tier of [null, 'plus']) {
        const all = await sorted(connectionsSql(false), [...days, tier, null])
        expect(await sorted(connectionsSql(true), [...days, tier, null])).toEqual(all)
        rows += all.length
      }
      rows += paying.length
    }
    // the story's banks have connections in the periods, so the comparison covers them
    expect(rows).toBeGreaterThan(0)
  })

  it('reads the connection rollup through its grouping-order index, by site', async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${payingConnectionsSql(true)}`)
      .bind('s', '2026-01-01', '2026-02-01')
      .all<{ detail: string }>()
    const plan = results.map((r) => r.detail).join('\n')
    // migrations/0022: one site's rows in (institution, tier, uid) order, no table lookup
    expect(plan).toMatch(
      /rollup_connection_days USING COVERING INDEX rollup_connection_days_grouped \(site_id=\?\)/,
    )
    expect(plan).not.toMatch(/SCAN rollup_connection_days/)
    expect(plan).toMatch(/rollup_revenue_days USING PRIMARY KEY \(site_id=\? AND day<\?\)/)
  })
})
