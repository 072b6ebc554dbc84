/**
 * `GET /v1/sites/:site/revenue` (DESIGN §7.9) end to end in workerd: subscription history
 * brought in through the import (admin key) and recent charges through a secret ingest key,
 * the rollup rebuilt by the cron job, the answer read back with the figures written here.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { RevenueResponse } from '../../../worker/analysis/revenue/types'
import { monthStart } from '../../../worker/analysis/revenue/calendar'
import {
  AFTER_CHURN_USE_SQL,
  AFTER_SIGNUP_USE_SQL,
  CARRIED_SQL,
  FEATURE_FIRST_USE_SQL,
  FIRST_SEEN_SQL,
  REVENUE_ROWS_SQL,
  WINDOW_USES_SQL,
} from '../../../worker/db/insights/revenue'
import { REBUILD_REVENUE_DAYS } from '../../../worker/rollups/revenue-days'
import { call, createKey, createSite, revenueEvent, waitForEvents, type TestSite } from '../helpers'

const DAY = 86_400_000
const thisMonth = new Date().toISOString().slice(0, 7)
/** The first of the month five months ago: months 0–4 of the story are whole and past. */
const month = (k: number) => monthStart(thisMonth, k - 5).slice(0, 7)
const at = (k: number, day: number) =>
  Date.parse(`${month(k)}-${String(day).padStart(2, '0')}T12:00:00Z`)

let seq = 0
const revenue = revenueEvent
function feature(uid: string, ts: number, name: string) {
  return {
    id: `feat-${++seq}`,
    type: 'feature',
    ts,
    uid,
    sid: `${uid}-s`,
    tier: 'free',
    feature: name,
    status: 'completed',
  }
}

/** A user who starts, upgrades, downgrades, cancels and comes back; a yearly one; a convert. */
const HISTORY = [
  revenue('ann', at(0, 10), 'subscription_started', 'plus', 9.99),
  revenue('ann', at(1, 10), 'subscription_upgraded', 'premium', 19.99),
  revenue('ann', at(2, 10), 'subscription_downgraded', 'plus', 9.99),
  revenue('ann', at(3, 10), 'subscription_cancelled', 'free', 0),
  revenue('ann', at(4, 10), 'subscription_started', 'plus', 9.99),
  revenue('yan', at(0, 20), 'subscription_started', 'premium', 119.88, 'year'),
  feature('bob', at(4, 2), 'budget_tracking'),
  feature('bob', at(4, 3), 'goal_setting'),
  feature('cid', at(4, 3), 'goal_setting'),
  revenue('bob', at(4, 12), 'subscription_started', 'plus', 9.99),
]

async function importEvents(site: TestSite, events: unknown[]) {
  const res = await call(`/v1/sites/${site.id}/import`, {
    method: 'POST',
    token: site.admin,
    body: { events },
  })
  expect(res.status).toBe(200)
  expect(((await res.json()) as { accepted: number }).accepted).toBe(events.length)
}

async function runJobs(site: TestSite) {
  for (let i = 0; i < 20; i++) {
    expect(
      (await call('/v1/admin/jobs/run', { method: 'POST', token: env.ADMIN_TOKEN })).status,
    ).toBe(200)
    const dirty = await env.DB.prepare('SELECT count(*) AS n FROM rollup_dirty WHERE site_id = ?1')
      .bind(site.id)
      .first<{ n: number }>()
    if (dirty!.n === 0) return
  }
  throw new Error('rollups never caught up')
}

async function siteWithHistory() {
  const site = await createSite()
  await importEvents(site, HISTORY)
  // Recent charges from the bank's backend, through a secret ingest key: a one-off and a refund.
  const ingest = await createKey(site, 'ingest')
  const recent = [
    revenue('yan', Date.now() - 2 * DAY, 'one_time', 'premium', 25),
    revenue('yan', Date.now() - DAY, 'refund', 'premium', -5),
  ]
  const res = await call('/v1/events', { method: 'POST', token: ingest, body: { events: recent } })
  expect(res.status).toBe(202)
  expect(await waitForEvents(site.id, HISTORY.length + recent.length)).toBe(
    HISTORY.length + recent.length,
  )
  await runJobs(site)
  return { site, read: await createKey(site, 'read') }
}

async function revenueOf(site: TestSite, read: string, query: string): Promise<RevenueResponse> {
  const res = await call(`/v1/sites/${site.id}/revenue?${query}`, { token: read })
  expect(res.status).toBe(200)
  return (await res.json()) as RevenueResponse
}

const lastDay = new Date(Date.now()).toISOString().slice(0, 10)
const fromTo = `from=${month(0)}-01&to=${lastDay}`

describe('GET /v1/sites/:site/revenue', () => {
  it('answers each movement in its month, the yearly plan at a twelfth, and sums to ΔMRR', async () => {
    const { site, read } = await siteWithHistory()
    const body = await revenueOf(site, read, fromTo)
    expect(body.currency).toBe('USD')
    const m = (k: number) => body.months.find((x) => x.month === month(k))!
    // ann 9.99 new, yan 119.88 a year = 9.99 a month new.
    expect(m(0)).toMatchObject({
      new: 19.98,
      expansion: 0,
      mrr_start: 0,
      mrr: 19.98,
      new_customers: 2,
    })
    expect(m(1)).toMatchObject({ expansion: 10, mrr: 29.98 })
    expect(m(2)).toMatchObject({ contraction: -10, mrr: 19.98 })
    expect(m(3)).toMatchObject({ churn: -9.99, mrr: 9.99, churned_customers: 1 })
    // ann comes back (reactivation), bob is new.
    expect(m(4)).toMatchObject({ reactivation: 9.99, new: 9.99, mrr: 29.97 })
    for (const x of body.months) {
      const sum = x.new + x.expansion + x.contraction + x.churn + x.reactivation
      expect(Math.round(sum * 100)).toBe(Math.round(x.net_change * 100))
      expect(Math.round((x.mrr - x.mrr_start) * 100)).toBe(Math.round(x.net_change * 100))
    }
    expect(body.mrr).toBe(29.97)
    // Stripe: 1 churned / (2 at the start of month 3 + 0 new).
    expect(m(3).customer_churn_rate).toBe(0.5)
    expect(body.metrics.subscription_upgrades).toEqual({
      count: 1,
      mrr_added: 10,
      by_pair: [{ from: 'plus', to: 'premium', count: 1, mrr_added: 10 }],
    })
  })

  it('shows the charges sent through the ingest key in the daily series, MRR unchanged', async () => {
    const { site, read } = await siteWithHistory()
    const body = await revenueOf(site, read, 'period=7d')
    expect(body.daily.reduce((s, d) => s + d.revenue, 0)).toBe(20)
    expect(new Set(body.daily.map((d) => d.mrr))).toEqual(new Set([29.97]))
  })

  it('credits the upgrade to the features its user used in the 14 days before', async () => {
    const { site, read } = await siteWithHistory()
    const body = await revenueOf(site, read, fromTo)
    const fr = body.metrics.feature_revenue
    // bob's 9.99: first touch budget_tracking, shared with goal_setting.
    expect(fr.features).toEqual([
      { feature: 'budget_tracking', upgrades: 1, first_touch: 9.99, shared: 5 },
      { feature: 'goal_setting', upgrades: 1, first_touch: 0, shared: 5 },
    ])
    // bob and cid were active and free: bob converted.
    const conv = body.metrics.upgrade_conversion
    const goal = conv.features.find((f) => f.feature === 'goal_setting')!
    expect(goal.users).toEqual({ n: 2, converted: 1, rate: 0.5 })
  })

  it('converts only users free at some time, counting the features they used while free', async () => {
    const site = await createSite()
    const page = (uid: string, ts: number, tier?: string) => ({
      id: `page-${++seq}`,
      type: 'page',
      ts,
      uid,
      sid: `${uid}-s`,
      path: '/',
      ...(tier ? { tier } : {}),
    })
    await importEvents(site, [
      // cal pays, cancels on the 5th, uses budgets on the 8th while free and comes back.
      revenue('cal', at(1, 10), 'subscription_started', 'plus', 9.99),
      revenue('cal', at(3, 5), 'subscription_cancelled', 'free', 0),
      feature('cal', at(3, 8), 'budget_tracking'),
      revenue('cal', at(3, 20), 'subscription_started', 'plus', 9.99),
      // vic visits with no account on the 10th and signs up paying on the 11th: never free.
      page('vic', at(3, 10)),
      revenue('vic', at(3, 11), 'subscription_started', 'plus', 9.99),
      { ...feature('vic', at(3, 12), 'budget_tracking'), tier: 'plus' },
      // fay uses budgets while free and stays free; gus converts without them.
      feature('fay', at(3, 3), 'budget_tracking'),
      page('gus', at(3, 4), 'free'),
      revenue('gus', at(3, 15), 'subscription_started', 'plus', 9.99),
      // nia opens budgets on a visit with no account on the 9th, signs up free on the 10th,
      // uses them again on the 12th and converts on the 20th: a user of budgets while free.
      { ...feature('nia', at(3, 9), 'budget_tracking'), tier: undefined },
      page('nia', at(3, 10), 'free'),
      feature('nia', at(3, 12), 'budget_tracking'),
      revenue('nia', at(3, 20), 'subscription_started', 'plus', 9.99),
    ])
    await runJobs(site)
    const read = await createKey(site, 'read')
    const body = await revenueOf(site, read, `from=${month(3)}-01&to=${month(3)}-28`)
    const conv = body.metrics.upgrade_conversion
    expect(conv).toMatchObject({ n: 4, converted: 3 }) // cal, fay, gus, nia
    const budgets = conv.features.find((f) => f.feature === 'budget_tracking')!
    expect(budgets.users).toEqual({ n: 3, converted: 2, rate: 0.6667 }) // cal, fay, nia
    expect(budgets.non_users).toEqual({ n: 1, converted: 1, rate: 1 }) // gus
  })

  it('keeps only the users of a filter, whose movements still add up', async () => {
    const { site, read } = await siteWithHistory()
    const body = await revenueOf(site, read, `${fromTo}&tier=premium`)
    // Premium at some time: ann (month 1) and yan.
    expect(body.months.find((x) => x.month === month(0))!.new).toBe(19.98)
    const feature = await revenueOf(site, read, `${fromTo}&feature=budget_tracking`)
    expect(feature.mrr).toBe(9.99)
    expect(feature.movements).toEqual({
      new: 9.99,
      expansion: 0,
      contraction: 0,
      churn: 0,
      reactivation: 0,
    })
  })

  it('refuses a bad period with a 400 naming the field', async () => {
    const { site, read } = await siteWithHistory()
    const res = await call(`/v1/sites/${site.id}/revenue?from=2026-02-30&to=2026-03-01`, {
      token: read,
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_query')
  })
})

/** Every read of the revenue answer and the rollup rebuild goes through an index with a bound. */
describe('revenue query plans', () => {
  const cases: [string, string, unknown[], RegExp][] = [
    [
      'carried state',
      CARRIED_SQL,
      ['s', '2026-01-01'],
      /rollup_revenue_days USING PRIMARY KEY \(site_id=\? AND day<\?\)/,
    ],
    [
      'revenue rows',
      REVENUE_ROWS_SQL,
      ['s', '2026-01-01', '2026-02-01'],
      /rollup_revenue_days USING PRIMARY KEY \(site_id=\? AND day>\? AND day<\?\)/,
    ],
    [
      'feature first use',
      FEATURE_FIRST_USE_SQL,
      ['s', '2026-01-01', '2026-02-01'],
      /rollup_feature_days USING (COVERING INDEX \w+|PRIMARY KEY) \(site_id=\?/,
    ],
    [
      'feature use after a churn',
      AFTER_CHURN_USE_SQL,
      ['s', '2026-01-01', '2026-02-01'],
      /SEARCH f USING COVERING INDEX rollup_feature_days_user \(site_id=\? AND uid=\? AND day>\? AND day<\?\)/,
    ],
    [
      'feature use after signing up',
      AFTER_SIGNUP_USE_SQL,
      ['s', '2026-01-01', '2026-02-01'],
      /SEARCH s USING (COVERING )?INDEX user_first_seen_day \(site_id=\? AND first_day>\? AND first_day<\?\)[\s\S]*SEARCH d USING (COVERING )?INDEX rollup_user_days_activity \(site_id=\? AND uid=\? AND day>\? AND day<\?\)[\s\S]*SEARCH f USING COVERING INDEX rollup_feature_days_user \(site_id=\? AND uid=\? AND day>\? AND day<\?\)/,
    ],
    [
      'first seen',
      FIRST_SEEN_SQL,
      ['s', '2026-01-01', '2026-02-01'],
      /SEARCH s USING (COVERING )?INDEX user_first_seen_day \(site_id=\? AND first_day>\? AND first_day<\?\)[\s\S]*SEARCH d USING (COVERING )?INDEX rollup_user_days_activity \(site_id=\? AND uid=\? AND day>\? AND day<\?\)/,
    ],
    [
      'window uses',
      WINDOW_USES_SQL,
      ['s', '2026-01-01', '2026-02-01', 14],
      /SEARCH f USING COVERING INDEX rollup_feature_days_user \(site_id=\? AND uid=\? AND day>\? AND day<\?\)/,
    ],
    [
      'rebuild',
      REBUILD_REVENUE_DAYS,
      ['s', 0, 9, '2026-01-01'],
      /events USING INDEX events_site_type_ts \(site_id=\? AND type=\? AND ts>\? AND ts<\?\)/,
    ],
  ]
  for (const [name, sql, params, expected] of cases) {
    it(`${name} reads through an index with a bound`, async () => {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>()
      const details = results.map((r) => r.detail)
      expect(details.join('\n')).toMatch(expected)
      for (const d of details) expect(d).not.toMatch(/^SCAN (events|rollup_\w+|r|f)\b/)
    })
  }
})
