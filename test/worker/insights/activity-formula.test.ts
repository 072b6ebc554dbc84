/**
 * The dashboard's activity counts the period's active users from the (site_id, uid, day,
 * events) index when unfiltered and sums the totals from the days (db/insights/activity.ts):
 * on a generated site, over several periods and filters, its days and totals equal those of the
 * statement it replaced (both parts over the day-range primary key), kept here as the
 * reference formula — revenue rounded to cents, as the dashboard shows it.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { seeded } from '../../../worker/analysis/predict/random'
import { activity } from '../../../worker/db/insights/activity'
import { BASE, DAY, seed, siteWith, type Ev } from './seed'

const OLD_ACTIVITY_SQL = `SELECT day,
  count(DISTINCT CASE WHEN events > 0 AND uid <> '' THEN uid END) AS active_users,
  sum(sessions) AS sessions, sum(events + revenue_events) AS events, sum(revenue) AS revenue
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
GROUP BY day
UNION ALL
SELECT NULL, count(DISTINCT CASE WHEN events > 0 AND uid <> '' THEN uid END),
  coalesce(sum(sessions), 0), coalesce(sum(events + revenue_events), 0), coalesce(sum(revenue), 0)
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
LIMIT 400`

type Row = {
  day: string | null
  active_users: number
  sessions: number
  events: number
  revenue: number
}

const TIERS = ['free', 'plus', 'premium']
const DEVICES = ['desktop', 'mobile', 'tablet'] as const

/**
 * 50 users over 20 days, on several devices and tiers a day (several rollup rows for one user
 * and day), some without a uid, some with only a revenue event, odd amounts of revenue.
 */
function events(): Ev[] {
  const r = seeded(29)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]
  const out: Ev[] = []
  for (let u = 0; u < 50; u++) {
    const uid = u % 12 === 0 ? undefined : `u${u}`
    for (let day = 0; day < 20; day++) {
      if (r() < 0.5) continue
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
        const ts = BASE - 19 * DAY + day * DAY + Math.floor(r() * 3600_000)
        const base = { ts, ...(uid ? { uid } : {}), tier: pick(TIERS), device: pick(DEVICES) }
        const sid = `s${u}-${day}-${k}`
        if (r() < 0.8) out.push({ ...base, type: 'page', sid, path: '/' })
        if (r() < 0.3) out.push({ ...base, type: 'feature', sid, feature: 'bill_pay' })
        if (r() < 0.3) out.push({ ...base, type: 'revenue', value: Math.round(r() * 4000) / 100 })
      }
    }
  }
  return out
}

async function oldRows(params: unknown[]) {
  const { results } = await env.DB.prepare(OLD_ACTIVITY_SQL)
    .bind(...params)
    .all<Row>()
  const cents = (x: Row) => ({ ...x, revenue: Math.round(x.revenue * 100) / 100 })
  return {
    total: cents(results.find((x) => x.day === null)!),
    days: results.filter((x) => x.day !== null).map(cents),
  }
}

describe('activity through the user-ordered index', () => {
  it('gives the days and totals of the day-range statement for every period and filter', async () => {
    const { site } = await siteWith()
    await seed(site, events())
    const day = (d: number) => new Date(BASE + d * DAY).toISOString().slice(0, 10)
    const periods = [
      [day(-19), day(0)],
      [day(-12), day(-3)],
      [day(-1), day(0)],
      [day(5), day(9)], // no data
    ]
    let active = 0
    for (const [from, to] of periods)
      for (const [tier, device] of [
        [undefined, undefined],
        ['plus', undefined],
        [undefined, 'mobile'],
        ['free', 'tablet'],
      ]) {
        const cents = (x: Row) => ({ ...x, revenue: Math.round(x.revenue * 100) / 100 })
        const want = await oldRows([site.id, from, to, tier ?? null, device ?? null])
        // both plans (read-order.ts): the user-ordered index and the days' primary-key range
        for (const ordered of [true, false]) {
          const range = { from_day: from, to_day: to }
          const got = await activity(env.DB, site.id, range, { tier, device }, ordered)
          expect({ total: cents(got.total), days: got.days.map(cents) }).toEqual(want)
        }
        active += want.total.active_users
      }
    // the generated site has active users in the periods, so the comparison covers them
    expect(active).toBeGreaterThan(0)
  })
})
