/**
 * What revenue analytics (DESIGN §7.9) reads, all from rollups: the subscription rows of
 * `rollup_revenue_days` (migrations/0014), each user's state before them, who was active each
 * month, who used which feature, and the features used before each upgrade. Long lists of
 * users travel as one JSON text per row (json_group_array), which D1 hands over far faster than
 * a row per user.
 */
import type { FeatureFirstUse, WindowUse } from '../../analysis/revenue'
import { FEATURE_WINDOW_DAYS } from '../../analysis/revenue/feature-revenue'
import type { CarriedState, RevenueDayRow } from '../../analysis/revenue/types'

/**
 * Each user's last subscription state before ?2 and the first day they paid. `day || json` sorts
 * by day (a fixed 10 characters), so max() is the latest row's state.
 */
export const CARRIED_SQL = `SELECT uid, substr(max(day || json_array(mrr_cents, tier)), 11) AS state,
  min(CASE WHEN mrr_cents > 0 THEN day END) AS first_paid_day
FROM rollup_revenue_days
WHERE site_id = ?1 AND day < ?2 AND mrr_cents IS NOT NULL
GROUP BY uid`

export const REVENUE_ROWS_SQL = `SELECT day, uid, tier, mrr_cents, interval, charged_cents,
  refunded_cents, started, upgraded, downgraded, cancelled
FROM rollup_revenue_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3`

/** Users with an event other than `revenue`, per month of the days ?2–?3. */
export const ACTIVE_BY_MONTH_SQL = `SELECT substr(day, 1, 7) AS month, json_group_array(DISTINCT uid) AS users
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND events > 0 AND uid <> ''
GROUP BY 1`

/**
 * Each feature's users in the days ?2–?3 with the first day they used it (any feature event),
 * one row per (month, feature) of the period's months in rollup_feature_months (migrations/0021):
 * a month's first day is the user's first use in the period unless it falls before ?2, in the
 * first month; then one seek finds their first day from ?2 (NULL: none in the period). A user
 * comes once per month they used the feature: byFeature keeps the earliest day.
 */
export const FEATURE_FIRST_USE_SQL = `SELECT feature, json_group_array(json_array(uid, first_day)) AS users
FROM (
  SELECT month, feature, uid, CASE WHEN first_day >= ?2 THEN first_day ELSE (
      SELECT min(day) FROM rollup_feature_days INDEXED BY rollup_feature_days_uid
      WHERE rollup_feature_days.site_id = ?1 AND rollup_feature_days.feature = m.feature
        AND rollup_feature_days.uid = m.uid AND day >= ?2 AND day <= ?3 AND uses + starts > 0
    ) END AS first_day
  FROM rollup_feature_months m
  WHERE site_id = ?1 AND month >= substr(?2, 1, 7) AND month <= substr(?3, 1, 7)
    AND first_day <= ?3
)
GROUP BY month, feature
ORDER BY feature, month`

/**
 * FEATURE_FIRST_USE_SQL from the day each user's MRR first fell to 0 in ?2–?3 (a churn): what a
 * customer used once free again (analysis/revenue/at-risk.ts). CROSS JOIN keeps the few
 * churned users the outer loop, each read through their (site_id, uid, day) slice.
 */
export const AFTER_CHURN_USE_SQL = `SELECT feature, json_group_array(json_array(uid, first_day)) AS users
FROM (
  SELECT f.feature, f.uid, min(f.day) AS first_day
  FROM (
    SELECT uid, min(day) AS churn_day FROM rollup_revenue_days
    WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND mrr_cents = 0
    GROUP BY uid
  ) c
  CROSS JOIN rollup_feature_days f INDEXED BY rollup_feature_days_user
  WHERE f.site_id = ?1 AND f.uid = c.uid AND f.day >= c.churn_day AND f.day <= ?3
    AND f.uses + f.starts > 0
  GROUP BY f.feature, f.uid
)
GROUP BY feature`

/**
 * The first day from user s's first active day on that their events carried a tier — the day
 * they had an account: a visit before signing up carries none (analysis/revenue/at-risk.ts).
 */
const TIER_DAY = `(
    SELECT min(d.day) FROM rollup_user_days d INDEXED BY rollup_user_days_activity
    WHERE d.site_id = ?1 AND d.uid = s.uid AND d.day >= s.first_day AND d.day <= ?3
      AND d.events > 0 AND d.tier <> 'unknown'
  )`
const FIRST_SEEN_IN_PERIOD = `FROM user_first_seen s INDEXED BY user_first_seen_day
WHERE s.site_id = ?1 AND s.first_day >= ?2 AND s.first_day <= ?3`

/**
 * Users first seen in ?2–?3 (user_first_seen), with their first day with a tier or, for a site
 * that sends no tier, their first active day.
 */
export const FIRST_SEEN_SQL = `SELECT json_group_array(json_array(s.uid, coalesce(${TIER_DAY}, s.first_day))) AS users
${FIRST_SEEN_IN_PERIOD}`

/**
 * FEATURE_FIRST_USE_SQL from each user's first day with a tier, for the users first seen in
 * ?2–?3 before it: what they used once they had an account, not on a visit before signing up.
 * Only those few users; the others' first use in the period is already on or after that day.
 */
export const AFTER_SIGNUP_USE_SQL = `SELECT feature, json_group_array(json_array(uid, first_day)) AS users
FROM (
  SELECT f.feature, f.uid, min(f.day) AS first_day
  FROM (SELECT s.uid, s.first_day AS seen_day, ${TIER_DAY} AS tier_day ${FIRST_SEEN_IN_PERIOD}) v
  CROSS JOIN rollup_feature_days f INDEXED BY rollup_feature_days_user
  WHERE v.tier_day > v.seen_day AND f.site_id = ?1 AND f.uid = v.uid AND f.day >= v.tier_day
    AND f.day <= ?3 AND f.uses + f.starts > 0
  GROUP BY f.feature, f.uid
)
GROUP BY feature`

/**
 * For each day of ?2–?3 on which a user started or upgraded a subscription, the features they
 * used from ?4 days before it to that day, with the first day in that window they used each.
 */
export const WINDOW_USES_SQL = `SELECT r.day, r.uid, f.feature, min(f.day) AS first_day
FROM rollup_revenue_days r
JOIN rollup_feature_days f INDEXED BY rollup_feature_days_user
  ON f.site_id = ?1 AND f.uid = r.uid AND f.day >= date(r.day, '-' || ?4 || ' days')
  AND f.day <= r.day
WHERE r.site_id = ?1 AND r.day >= ?2 AND r.day <= ?3 AND (r.started > 0 OR r.upgraded > 0)
  AND f.uses + f.starts > 0
GROUP BY r.day, r.uid, f.feature`

/** Users of feature ?4 in the days ?2–?3 (the `feature` filter where featureUses is not read). */
export const FEATURE_USERS_SQL = `SELECT json_group_array(DISTINCT uid) AS users
FROM rollup_feature_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND feature = ?4 AND uses + starts > 0
  AND uid <> ''`

/** Users active in tier ?4 (NULL: any) on device ?5 (NULL: any) in the days ?2–?3. */
export const SEEN_USERS_SQL = `SELECT json_group_array(uid) AS users FROM (
  SELECT DISTINCT uid FROM rollup_user_days
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> ''
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
)`

export type RevenueRows = {
  carried: CarriedState[]
  rows: RevenueDayRow[]
  active: Map<string, Set<string>>
  featureUses: FeatureFirstUse
  afterChurnUses: FeatureFirstUse
  afterSignupUses: FeatureFirstUse
  firstSeen: Map<string, string>
  windowUses: WindowUse[]
}

/** The days are YYYY-MM-DD: `windowFrom` ≤ `from` ≤ `to`, all included. */
export async function revenueRows(
  db: D1Database,
  siteId: string,
  days: { windowFrom: string; from: string; to: string },
): Promise<RevenueRows> {
  const [carried, rows, active, uses, afterChurn, afterSignup, firstSeen, windowUses] =
    await db.batch<Record<string, unknown>>([
      db.prepare(CARRIED_SQL).bind(siteId, days.windowFrom),
      db.prepare(REVENUE_ROWS_SQL).bind(siteId, days.windowFrom, days.to),
      db.prepare(ACTIVE_BY_MONTH_SQL).bind(siteId, days.from, days.to),
      db.prepare(FEATURE_FIRST_USE_SQL).bind(siteId, days.from, days.to),
      db.prepare(AFTER_CHURN_USE_SQL).bind(siteId, days.from, days.to),
      db.prepare(AFTER_SIGNUP_USE_SQL).bind(siteId, days.from, days.to),
      db.prepare(FIRST_SEEN_SQL).bind(siteId, days.from, days.to),
      db.prepare(WINDOW_USES_SQL).bind(siteId, days.from, days.to, FEATURE_WINDOW_DAYS),
    ])
  return {
    carried: carriedStates(carried.results),
    rows: rows.results as RevenueDayRow[],
    active: new Map(
      (active.results as { month: string; users: string }[]).map((r) => [
        r.month,
        new Set(JSON.parse(r.users) as string[]),
      ]),
    ),
    featureUses: byFeature(uses.results),
    afterChurnUses: byFeature(afterChurn.results),
    afterSignupUses: byFeature(afterSignup.results),
    firstSeen: new Map(
      JSON.parse((firstSeen.results[0]?.users as string | undefined) ?? '[]') as [string, string][],
    ),
    windowUses: windowUses.results as WindowUse[],
  }
}

/**
 * Only what MRR needs (the overview's KPI): each user's state before `from` and the rows of the
 * period — two statements.
 */
export async function mrrRows(
  db: D1Database,
  siteId: string,
  days: { from: string; to: string },
): Promise<Pick<RevenueRows, 'carried' | 'rows'>> {
  const [carried, rows] = await db.batch<Record<string, unknown>>([
    db.prepare(CARRIED_SQL).bind(siteId, days.from),
    db.prepare(REVENUE_ROWS_SQL).bind(siteId, days.from, days.to),
  ])
  return { carried: carriedStates(carried.results), rows: rows.results as RevenueDayRow[] }
}

function carriedStates(results: Record<string, unknown>[]): CarriedState[] {
  return (results as { uid: string; state: string; first_paid_day: string | null }[]).map((r) => {
    const [mrr_cents, tier] = JSON.parse(r.state) as [number, string]
    return { uid: r.uid, tier, mrr_cents, first_paid_day: r.first_paid_day }
  })
}

/**
 * Each feature's users and first days: of a user's several rows the earliest day, and no
 * feature without a user (a null day is no use).
 */
function byFeature(results: Record<string, unknown>[]): FeatureFirstUse {
  const uses: FeatureFirstUse = new Map()
  for (const r of results as { feature: string; users: string }[]) {
    for (const [uid, day] of JSON.parse(r.users) as [string, string | null][]) {
      if (day === null) continue
      let users = uses.get(r.feature)
      if (!users) uses.set(r.feature, (users = new Map()))
      const seen = users.get(uid)
      if (seen === undefined || day < seen) users.set(uid, day)
    }
  }
  return uses
}

/** The users a `tier` and/or `device` filter keeps by their activity in the period. */
export async function seenUsers(
  db: D1Database,
  siteId: string,
  days: { from: string; to: string },
  f: { tier?: string; device?: string },
): Promise<Set<string>> {
  const row = await db
    .prepare(SEEN_USERS_SQL)
    .bind(siteId, days.from, days.to, f.tier ?? null, f.device ?? null)
    .first<{ users: string }>()
  return new Set(JSON.parse(row?.users ?? '[]') as string[])
}

export async function featureUsers(
  db: D1Database,
  siteId: string,
  days: { from: string; to: string },
  feature: string,
): Promise<Set<string>> {
  const row = await db
    .prepare(FEATURE_USERS_SQL)
    .bind(siteId, days.from, days.to, feature)
    .first<{ users: string }>()
  return new Set(JSON.parse(row?.users ?? '[]') as string[])
}
