/**
 * Feature stats and feature access read the rollups through indexes in their grouping order and
 * tell upgraders with EXISTS (migrations/0019): on a generated site, over several periods and
 * filters, their rows equal those of the statements they replaced (day-range reads, sorted
 * groupings, upgraders as a distinct self-join), kept here as the reference formula.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { seeded } from '../../../worker/analysis/predict/random'
import { featureAccessSql } from '../../../worker/db/insights/feature-access'
import { droppedReasonsSql, featureStatsSql } from '../../../worker/db/insights/feature-stats'
import { BASE, DAY, seed, siteWith, type Ev } from './seed'

const FEATURE_USERS = `feature_users AS MATERIALIZED (
  SELECT tier, feature, uid, uid <> '' AND sum(uses + starts) > 0 AS tried,
    sum(uses) AS uses, sum(time_s) AS time_s, sum(timed) AS timed, sum(completed) AS completed,
    sum(failed) AS failed, sum(abandoned) AS abandoned, sum(ratings) AS ratings,
    sum(rating_sum) AS rating_sum, sum(revenue) AS attributed, max(last_fail) AS last_fail
  FROM rollup_feature_days
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5) AND (?6 IS NULL OR feature = ?6)
  GROUP BY tier, feature, uid
)`

const OLD_STATS_SQL = `WITH prices AS (
  SELECT json_extract(value, '$.name') AS tier, json_extract(value, '$.monthly_price') AS price
  FROM json_each(?8)
),
tier_users AS MATERIALIZED (
  SELECT tier, uid, sum(revenue) AS revenue, min(CASE WHEN events > 0 THEN day END) AS first_day,
    min(CASE WHEN events > 0 THEN day END) <= ?7 AS eligible,
    min(CASE WHEN events > 0 THEN day END) <= ?7
      AND julianday(max(CASE WHEN events > 0 THEN day END))
        - julianday(min(CASE WHEN events > 0 THEN day END)) >= 7 AS retained
  FROM rollup_user_days
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> ''
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
  GROUP BY tier, uid
  HAVING sum(events) > 0
),
upgraders AS MATERIALIZED (
  SELECT DISTINCT a.tier, a.uid
  FROM tier_users a
  JOIN tier_users b ON b.uid = a.uid AND b.tier <> a.tier AND b.first_day >= a.first_day
  JOIN prices pa ON pa.tier = a.tier
  JOIN prices pb ON pb.tier = b.tier
  WHERE pb.price > pa.price
),
${FEATURE_USERS}
SELECT f.tier, f.feature, NULL AS reason, sum(f.uses) AS uses, sum(f.tried) AS users,
  sum(f.time_s) AS time_s, sum(f.timed) AS timed, sum(f.completed) AS completed,
  sum(f.failed) AS failed, sum(f.abandoned) AS abandoned, sum(f.ratings) AS ratings,
  sum(f.rating_sum) AS rating_sum, sum(f.attributed) AS attributed,
  sum(f.tried AND u.uid IS NOT NULL) AS active_users,
  coalesce(sum(CASE WHEN f.tried THEN u.revenue END), 0) AS active_revenue,
  coalesce(sum(CASE WHEN f.tried AND u.uid IS NOT NULL THEN f.attributed END), 0) AS active_attributed,
  coalesce(sum(CASE WHEN f.tried THEN u.eligible END), 0) AS eligible,
  coalesce(sum(CASE WHEN f.tried THEN u.retained END), 0) AS retained,
  sum(f.tried AND f.last_fail IS NOT NULL) AS failing,
  sum(f.tried AND f.last_fail IS NOT NULL AND f.completed = 0) AS dropped,
  sum(f.tried AND g.uid IS NOT NULL) AS upgraded
FROM feature_users f
LEFT JOIN tier_users u ON u.tier = f.tier AND u.uid = f.uid
LEFT JOIN upgraders g ON g.tier = f.tier AND g.uid = f.uid
GROUP BY f.tier, f.feature
UNION ALL
SELECT t.tier, NULL, NULL, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(t.revenue), 0,
  sum(t.eligible), sum(t.retained), 0, 0, count(g.uid)
FROM tier_users t LEFT JOIN upgraders g ON g.tier = t.tier AND g.uid = t.uid
GROUP BY t.tier
UNION ALL
${droppedReasonsSql(`tier, feature, reason, ${'0, '.repeat(16)}n, 0`)}`

const OLD_ACCESS_SQL = `WITH ${FEATURE_USERS}
SELECT tier, feature, NULL AS reason, sum(tried) AS entered,
  sum(tried AND last_fail IS NOT NULL) AS failing,
  sum(tried AND last_fail IS NOT NULL AND completed = 0) AS dropped
FROM feature_users
GROUP BY tier, feature
UNION ALL
${droppedReasonsSql('tier, feature, reason, 0, 0, n')}`

const TIERS = [
  { name: 'free', monthly_price: 0 },
  { name: 'plus', monthly_price: 5 },
  { name: 'premium', monthly_price: 12 },
]
const FEATURES = ['budget_tracking', 'savings_goals', 'bill_pay']
const DEVICES = ['desktop', 'mobile', 'tablet'] as const
const STATUSES = ['completed', 'completed', 'started', 'failed', 'abandoned', undefined] as const
const REASONS = ['timeout', 'sync_failed', undefined]

/** 40 users over 20 days, some moving up or down a tier, some without a uid or a known tier. */
function events(): Ev[] {
  const r = seeded(13)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]
  const out: Ev[] = []
  for (let u = 0; u < 40; u++) {
    const uid = u % 13 === 0 ? undefined : `u${u}`
    let tier: string | undefined = u % 11 === 0 ? undefined : pick(TIERS).name
    for (let day = 0; day < 20; day++) {
      if (r() < 0.6) continue
      if (r() < 0.1) tier = pick(TIERS).name
      const ts = BASE - 19 * DAY + day * DAY + Math.floor(r() * 3600_000)
      const base = { ts, ...(uid ? { uid } : {}), ...(tier ? { tier } : {}), device: pick(DEVICES) }
      const feature = pick(FEATURES)
      const status = pick(STATUSES)
      const reason = status === 'failed' || status === 'abandoned' ? pick(REASONS) : undefined
      const use: Ev = { ...base, type: 'feature', feature, ...(r() < 0.5 ? { value: 30 } : {}) }
      if (status) use.status = status
      if (reason) use.reason = reason
      out.push(use)
      if (r() < 0.2) out.push({ ...base, type: 'feedback', feature, value: 1 + pick([0, 2, 4]) })
      if (r() < 0.2)
        out.push({ ...base, type: 'revenue', value: 9.99, ...(r() < 0.5 ? { feature } : {}) })
      if (r() < 0.2) out.push({ ...base, type: 'page' })
    }
  }
  return out
}

async function rows(sql: string, params: unknown[]) {
  const { results } = await env.DB.prepare(sql)
    .bind(...params)
    .all()
  return results
}

describe('feature stats through the grouping-order indexes', () => {
  it('gives the rows of the day-range statements for every period and filter', async () => {
    const { site } = await siteWith()
    await seed(site, events())
    const day = (d: number) => new Date(BASE + d * DAY).toISOString().slice(0, 10)
    const periods = [
      [day(-19), day(0), day(-7)],
      [day(-12), day(-3), day(-10)],
      [day(-1), day(0), day(-7)],
    ]
    let upgraded = 0
    for (const [from, to, cutoff] of periods)
      for (const [tier, device, feature] of [
        [null, null, null],
        ['plus', null, null],
        [null, 'mobile', null],
        [null, null, 'savings_goals'],
      ]) {
        const common = [site.id, from, to, tier, device, feature]
        const stats = [...common, cutoff, JSON.stringify(TIERS)]
        const old = await rows(OLD_STATS_SQL, stats)
        const oldAccess = await rows(OLD_ACCESS_SQL, common)
        // both plans (read-order.ts): the ordered indexes and the days' primary-key range
        for (const ordered of [true, false]) {
          expect(await rows(featureStatsSql(ordered), stats)).toEqual(old)
          expect(await rows(featureAccessSql(ordered), common)).toEqual(oldAccess)
        }
        upgraded += old.reduce((n, r) => n + Number(r.upgraded), 0)
      }
    // the generated site has upgraders, so the comparison covers them
    expect(upgraded).toBeGreaterThan(0)
  })
})
