/**
 * `GET /v1/sites/:site/forecast` (DESIGN §7.10) end to end in workerd: a year of revenue brought
 * in through the import (admin key) and rebuilt by the real rollups, a short history, none at all,
 * and institutions whose connection success rate follows a line planted here, seeded straight
 * into D1 and rolled up as cron would. The expected days come from the planted lines, not from
 * the code under test.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { rebuildDay } from '../../../worker/rollups'
import type { loadForecast } from '../../../worker/routes/insights/forecast'
import { call, createKey, createSite, revenueEvent, type TestSite } from '../helpers'
import { DAY, getJson, seed, type Ev } from './seed'

type Forecast = Awaited<ReturnType<typeof loadForecast>>
type Series = Forecast['revenue']

const TODAY = Math.floor(Date.now() / DAY) * DAY
const YESTERDAY = new Date(TODAY - DAY).toISOString().slice(0, 10)
/** Noon of the day `back` days before today (1: yesterday). */
const noon = (back: number) => TODAY - back * DAY + 12 * 3600_000
const weekday = (ts: number) => new Date(ts).getUTCDay() % 6 !== 0

const revenue = (uid: string, ts: number, name: string, value: number, tier = 'plus') =>
  revenueEvent(uid, ts, name, tier, value)

async function importEvents(site: TestSite, events: unknown[]) {
  for (let i = 0; i < events.length; i += 5000) {
    const res = await call(`/v1/sites/${site.id}/import`, {
      method: 'POST',
      token: site.admin,
      body: { events: events.slice(i, i + 5000) },
    })
    expect(res.status).toBe(200)
  }
}

/** The days the import marked dirty, rebuilt through the real rollups as the cron job does. */
async function rebuildDirty(site: TestSite) {
  const { results } = await env.DB.prepare('SELECT day FROM rollup_dirty WHERE site_id = ?1')
    .bind(site.id)
    .all<{ day: string }>()
  for (const { day } of results) await rebuildDay(env.DB, site.id, day)
}

/**
 * `days` days of history ending yesterday: a one-off purchase every day (20 on weekdays, 5 at
 * weekends: a weekly season) and `subscribers` monthly plans of 10, one starting every 5 days,
 * renewed every 30 days. Returns the amounts charged and the MRR at the end.
 */
function history(days: number, subscribers: number) {
  const events: unknown[] = []
  let charged = 0
  for (let back = days; back >= 1; back--) {
    const value = weekday(noon(back)) ? 20 : 5
    events.push(revenue('buyer', noon(back), 'one_time', value, 'free'))
    charged += value
  }
  for (let k = 0; k < subscribers; k++) {
    const start = days - 5 * k
    for (let back = start; back >= 1; back -= 30) {
      events.push(
        revenue(
          `sub-${k}`,
          noon(back) + 1000,
          back === start ? 'subscription_started' : 'subscription_renewed',
          10,
        ),
      )
      charged += 10
    }
  }
  return { events, charged, mrr: subscribers * 10 }
}

async function siteWithRevenue(days: number, subscribers: number) {
  const site = await createSite()
  const h = history(days, subscribers)
  await importEvents(site, h.events)
  await rebuildDirty(site)
  return { site, read: await createKey(site, 'read'), ...h }
}

const forecastOf = (site: TestSite, read: string, query = '') =>
  getJson<Forecast>(`/v1/sites/${site.id}/forecast?${query}`, read)

function expectBands(s: Series, horizon: number) {
  if (s.status !== 'ok') throw new Error(`not forecast: ${s.reason}`)
  expect(s.forecast).toHaveLength(horizon)
  expect(s.forecast[0].day > YESTERDAY).toBe(true)
  for (const p of s.forecast) {
    expect(p.lo95).toBeLessThanOrEqual(p.lo80)
    expect(p.lo80).toBeLessThanOrEqual(p.mean)
    expect(p.mean).toBeLessThanOrEqual(p.hi80)
    expect(p.hi80).toBeLessThanOrEqual(p.hi95)
  }
  const width = (p: (typeof s.forecast)[number]) => p.hi95 - p.lo95
  expect(width(s.forecast[horizon - 1])).toBeGreaterThanOrEqual(width(s.forecast[0]))
  expect(s.holdout.coverage_80).toBeGreaterThanOrEqual(0)
  expect(s.holdout.coverage_95).toBeGreaterThanOrEqual(s.holdout.coverage_80)
  expect(s.holdout.coverage_95).toBeLessThanOrEqual(1)
  return s
}

describe('GET /v1/sites/:site/forecast: revenue and MRR', () => {
  let year: Awaited<ReturnType<typeof siteWithRevenue>>
  beforeAll(async () => {
    year = await siteWithRevenue(365, 30)
  }, 120_000)

  it('forecasts a year of revenue by weekly Holt–Winters, with 80% and 95% bands', async () => {
    const body = await forecastOf(year.site, year.read)
    expect(body.as_of).toBe(YESTERDAY)
    expect(body.horizon).toBe(30)
    expect(body.currency).toBe('USD')
    const rev = expectBands(body.revenue, 30)
    expect(rev.method).toBe('holt_winters')
    expect(rev.season).toBe(7)
    expect(rev.history_days).toBe(365)
    expect(body.revenue.history).toHaveLength(365)
    expect(body.revenue.history[364].day).toBe(YESTERDAY)
    // The history is every amount charged, to the cent.
    const sum = body.revenue.history.reduce((s, p) => s + p.value, 0)
    expect(Math.round(sum * 100)).toBe(year.charged * 100)
    // The weekly season is learnt: weekdays (20 + renewals) forecast above weekends (5 + …).
    const mean = (ps: typeof rev.forecast) => ps.reduce((s, p) => s + p.mean, 0) / ps.length
    const isWeekday = (day: string) => weekday(Date.parse(`${day}T12:00:00Z`))
    const gap =
      mean(rev.forecast.filter((p) => isWeekday(p.day))) -
      mean(rev.forecast.filter((p) => !isWeekday(p.day)))
    expect(gap).toBeGreaterThan(10)
    expect(rev.holdout.holdout_days).toBe(28)
    expect(rev.holdout.mase).not.toBeNull()
    expect(rev.holdout.naive_mase).not.toBeNull()
  })

  it("forecasts MRR from /revenue's MRR per day: flat at the subscribers' 300", async () => {
    const body = await forecastOf(year.site, year.read, 'horizon=14')
    const mrr = expectBands(body.mrr, 14)
    expect(mrr.method).toBe('holt_winters')
    expect(body.mrr.history[364].value).toBe(year.mrr)
    const rev = await getJson<{ mrr: number }>(
      `/v1/sites/${year.site.id}/revenue?period=7d`,
      year.read,
    )
    expect(rev.mrr).toBe(year.mrr)
    expect(Math.abs(mrr.forecast[0].mean - year.mrr)).toBeLessThan(5)
  })

  it('uses damped Holt on a short history', async () => {
    const { site, read } = await siteWithRevenue(20, 2)
    const body = await forecastOf(site, read, 'horizon=7')
    const rev = expectBands(body.revenue, 7)
    expect(rev.method).toBe('damped_holt')
    expect(rev.season).toBe(1)
    expect(rev.history_days).toBe(20)
    expect(rev.holdout.holdout_days).toBe(5)
    expect(expectBands(body.mrr, 7).method).toBe('damped_holt')
  }, 60_000)

  it('says insufficient_data, with the reason, for no or too little history', async () => {
    const empty = await createSite()
    const read = await createKey(empty, 'read')
    const none = await forecastOf(empty, read)
    expect(none.revenue).toEqual({
      status: 'insufficient_data',
      reason: 'no revenue history yet',
      history_days: 0,
      history: [],
    })
    expect(none.mrr.status).toBe('insufficient_data')
    expect(none.institutions).toEqual([])
    expect(none.heading_for_threshold).toEqual([])

    const short = await siteWithRevenue(5, 0)
    const body = await forecastOf(short.site, short.read)
    expect(body.revenue.status).toBe('insufficient_data')
    expect(body.revenue).toMatchObject({ history_days: 5 })
    expect(JSON.stringify(body.revenue)).toContain('at least 14')
    expect(body.revenue).not.toHaveProperty('forecast')
    // Only one-off purchases: MRR was 0 throughout, nothing to forecast.
    expect(body.mrr.status).toBe('insufficient_data')
  }, 60_000)
})

/** `perDay` connections a day for `days` days ending yesterday, `ok(i)` of day i succeeding. */
function connections(
  institution: string,
  days: number,
  perDay: number,
  ok: (i: number) => number,
  latencyMs = 800,
): Ev[] {
  const out: Ev[] = []
  for (let i = 0; i < days; i++) {
    const ts = noon(days - i)
    const good = ok(i)
    for (let j = 0; j < perDay; j++) {
      out.push({
        type: 'connection',
        ts: ts + j * 1000,
        uid: `${institution}-u${j}`,
        sid: `${institution}-s${j}`,
        institution,
        name: 'sync',
        ...(j < good
          ? { status: 'completed' }
          : { status: 'failed', reason: 'institution_timeout' }),
        value: latencyMs,
      })
    }
  }
  return out
}

describe('GET /v1/sites/:site/forecast: institutions heading for a threshold', () => {
  let site: TestSite
  let read: string
  // declining_bank: success 0.99 − 0.0028·i over 28 days (±2 connections a day alternately),
  // so the line is at 0.9144 yesterday and below critical 0.90 from 0.0144 / 0.0028 = 5.1
  // days on, i.e. the 6th day; below warning 0.95 already.
  const SLOPE = 0.0028
  const declining = (i: number) => Math.round(300 * (0.99 - SLOPE * i)) + (i % 2 ? 2 : -2)
  beforeAll(async () => {
    ;({ site, read } = await (async () => {
      const s = await createSite()
      return { site: s, read: await createKey(s, 'read') }
    })())
    await seed(site, connections('declining_bank', 28, 300, declining))
    // improving_bank climbs from 0.96 to 0.995: heading away from both thresholds.
    await seed(
      site,
      connections('improving_bank', 28, 200, (i) => Math.round(200 * (0.96 + 0.0013 * i))),
    )
    // new_bank: three days of data, too few for a trend.
    await seed(
      site,
      connections('new_bank', 3, 100, () => 99),
    )
  }, 120_000)

  it('dates the critical crossing of a linear decline to the right day, inside its 80% interval', async () => {
    const body = await forecastOf(site, read)
    const inst = body.institutions.find((i) => i.institution === 'declining_bank')!
    const m = inst.metrics.find((x) => x.metric === 'connection_success_rate')!
    if (m.status !== 'ok') throw new Error(m.reason)
    expect(m.threshold).toEqual({ warning: 0.95, critical: 0.9, direction: 'below' })
    expect(m.days_fitted).toBe(28)
    expect(m.n).toBe(28 * 300)
    expect(m.slope_per_day).toBeCloseTo(-SLOPE, 3)
    expect(Math.abs(m.trend_value - (0.99 - SLOPE * 27))).toBeLessThan(0.003)
    expect(m.warning).toEqual({ status: 'already_past' })
    const c = m.critical
    if (c.status !== 'crosses') throw new Error(c.status)
    expect(c.in_days).toBeGreaterThanOrEqual(5)
    expect(c.in_days).toBeLessThanOrEqual(7)
    const [early, late] = c.in_days_80
    expect(early).toBeLessThanOrEqual(c.in_days)
    expect(late).not.toBeNull()
    expect(late!).toBeGreaterThanOrEqual(c.in_days)
    expect(early).toBeGreaterThanOrEqual(1)
    const dayOf = (n: number) => new Date(Date.parse(`${YESTERDAY}T00:00:00Z`) + n * DAY)
    expect(c.date).toBe(dayOf(c.in_days).toISOString().slice(0, 10))
    expect(c.dates_80[0]).toBe(dayOf(early).toISOString().slice(0, 10))
    // Constant latency: not heading for 3 s.
    const lat = inst.metrics.find((x) => x.metric === 'connection_latency_p95_ms')!
    expect(lat).toMatchObject({
      status: 'ok',
      trend_value: 800,
      warning: { status: 'not_heading_there' },
    })
    // And it leads the list of what is heading for a threshold.
    expect(body.heading_for_threshold[0]).toMatchObject({
      institution: 'declining_bank',
      level: 'critical',
      in_days: c.in_days,
      date: c.date,
    })
  })

  it('says which institutions are not heading there, and which have too few days', async () => {
    const body = await forecastOf(site, read)
    const improving = body.institutions.find((i) => i.institution === 'improving_bank')!
    const rate = improving.metrics.find((x) => x.metric === 'connection_success_rate')!
    expect(rate).toMatchObject({
      status: 'ok',
      warning: { status: 'not_heading_there' },
      critical: { status: 'not_heading_there' },
    })
    expect(body.heading_for_threshold.some((h) => h.institution === 'improving_bank')).toBe(false)
    const fresh = body.institutions.find((i) => i.institution === 'new_bank')!
    for (const m of fresh.metrics) {
      expect(m.status).toBe('insufficient_data')
      if (m.status === 'insufficient_data') expect(m.reason).toContain('a trend needs 7')
    }
    // Institutions are listed busiest first.
    expect(body.institutions.map((i) => i.institution)).toEqual([
      'declining_bank',
      'improving_bank',
      'new_bank',
    ])
  })

  it('looks only as far as the horizon, and only at the institution asked for', async () => {
    const near = await forecastOf(site, read, 'horizon=3&institution=declining_bank')
    expect(near.institutions.map((i) => i.institution)).toEqual(['declining_bank'])
    const m = near.institutions[0].metrics.find((x) => x.metric === 'connection_success_rate')!
    expect(m).toMatchObject({ critical: { status: 'beyond_horizon' } })
    expect(near.filters).toEqual({ institution: 'declining_bank' })
  })

  it('refuses bad queries with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['horizon=0', 'horizon'],
      ['horizon=91', 'horizon'],
      ['horizon=abc', 'horizon'],
      ['horizon=2.5', 'horizon'],
      ['trend_days=5', 'trend_days'],
      ['institution=Bad%20Bank', 'institution'],
      ['period=30d', 'period'],
      ['tier=premium', 'tier'],
    ]
    for (const [query, field] of cases) {
      const res = await call(`/v1/sites/${site.id}/forecast?${query}`, { token: read })
      expect(res.status, query).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('invalid_query')
      expect(body.error.message).toContain(field)
    }
  })
})
