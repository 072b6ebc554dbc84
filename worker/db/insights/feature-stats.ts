/**
 * Everything feature value (DESIGN §7.1), feature-access drop-offs (§7.6) and the low-success
 * and upsell opportunities (§7.7) need from the rollups, in one statement so each rollup table
 * is read once: per (tier, feature) the use counts and, joined with the tier's active users,
 * the users' revenue, 7-day retention and upgrades; then one row per tier (feature null) with
 * the tier's active users, their revenue, retention and upgrades — the denominators.
 */
import { readOrder, through } from './read-order'
import type { Filters } from '../../analysis/period'
import type { DayRange } from '../../analysis/rollup-days'

/** Tiers × features is bounded by config (≤ 20 tiers, ≤ 100 features); this guards the rest. */
export const MAX_FEATURE_ROWS = 2_500
/** Reasons are the client's slugs, unbounded: the most common (tier, feature, reason) rows. */
export const MAX_REASON_ROWS = 1_000

/**
 * The dropped users' reasons (§7.6), for a query whose per-user CTE `feature_users` has `tried`,
 * `last_fail` (ts zero-padded, then reason) and `completed`: one row per (tier, feature,
 * reason) with `n` users, each counted once by their latest failed or abandoned use. `columns`
 * lays tier, feature, reason and n out as the query's other rows are.
 */
export function droppedReasonsSql(columns: string) {
  return `SELECT ${columns} FROM (
  SELECT tier, feature, substr(last_fail, 16) AS reason, count(*) AS n
  FROM feature_users
  WHERE tried AND last_fail IS NOT NULL AND completed = 0
  GROUP BY 1, 2, 3
  ORDER BY n DESC
  LIMIT ${MAX_REASON_ROWS}
)`
}

/**
 * `tier_users`: one row per (tier, active user): revenue; `eligible` when first active at least
 * 7 days before the period's last day (?7); `retained` when also active 7+ days later.
 * `users`: `tier_users` with `upgraded` when the user was active, the same day or later, in a
 * tier with a higher monthly price (?8: the config's tiers as JSON, parsed once: `prices`).
 * `feature_users`: one row per (tier, feature, user); `tried` when they used or started it;
 * `last_fail` their latest failed or abandoned use, NULL exactly when they had none
 * (migrations/0007), so it also says who failed. Read twice (the counts, the dropped users'
 * reasons), so materialized: the rollup is grouped once.
 * When `ordered` (read-order.ts: the period is at least an eighth of the site's days), both
 * groupings read indexes in their order (migrations/0019) and so stream instead of sorting the
 * period's rows (~2.5x at 90 days); a shorter period reads its days' primary-key range and sorts,
 * as walking the site's other days through the indexes would cost more.
 * `feature_users`' ORDER BY, which that order satisfies, lets the per-(tier, feature) totals
 * stream over it too.
 * Rows: per (tier, feature) with reason NULL; per tier with feature and reason NULL; then per
 * (tier, feature, reason) the dropped users in `dropped`, every other column 0.
 */
export const featureStatsSql = (ordered: boolean) => `WITH prices AS MATERIALIZED (
  SELECT json_extract(value, '$.name') AS tier, json_extract(value, '$.monthly_price') AS price
  FROM json_each(?8)
),
tier_users AS MATERIALIZED (
  SELECT tier, uid, sum(revenue) AS revenue, min(CASE WHEN events > 0 THEN day END) AS first_day,
    min(CASE WHEN events > 0 THEN day END) <= ?7 AS eligible,
    min(CASE WHEN events > 0 THEN day END) <= ?7
      AND julianday(max(CASE WHEN events > 0 THEN day END))
        - julianday(min(CASE WHEN events > 0 THEN day END)) >= 7 AS retained
  FROM rollup_user_days ${through('rollup_user_days_tier', ordered)}
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> ''
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
  GROUP BY tier, uid
  HAVING sum(events) > 0
),
users AS MATERIALIZED (
  SELECT a.tier, a.uid, a.revenue, a.eligible, a.retained, EXISTS (
    SELECT 1 FROM tier_users b JOIN prices pa ON pa.tier = a.tier JOIN prices pb ON pb.tier = b.tier
    WHERE b.uid = a.uid AND b.tier <> a.tier AND b.first_day >= a.first_day AND pb.price > pa.price
  ) AS upgraded
  FROM tier_users a
),
feature_users AS MATERIALIZED (
  SELECT tier, feature, uid, uid <> '' AND sum(uses + starts) > 0 AS tried,
    sum(uses) AS uses, sum(time_s) AS time_s, sum(timed) AS timed, sum(completed) AS completed,
    sum(failed) AS failed, sum(abandoned) AS abandoned, sum(ratings) AS ratings,
    sum(rating_sum) AS rating_sum, sum(revenue) AS attributed, max(last_fail) AS last_fail
  FROM rollup_feature_days ${through('rollup_feature_days_tier', ordered)}
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5) AND (?6 IS NULL OR feature = ?6)
  GROUP BY tier, feature, uid
  ORDER BY tier, feature, uid
)
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
  sum(f.tried AND u.upgraded IS 1) AS upgraded
FROM feature_users f
LEFT JOIN users u ON u.tier = f.tier AND u.uid = f.uid
GROUP BY f.tier, f.feature
UNION ALL
SELECT t.tier, NULL, NULL, 0, count(*), 0, 0, 0, 0, 0, 0, 0, 0, count(*), sum(t.revenue), 0,
  sum(t.eligible), sum(t.retained), 0, 0, sum(t.upgraded)
FROM users t
GROUP BY t.tier
UNION ALL
${droppedReasonsSql(`tier, feature, reason, ${'0, '.repeat(16)}n, 0`)}
LIMIT ${MAX_FEATURE_ROWS + MAX_REASON_ROWS}`

type StatsRow = {
  tier: string
  feature: string | null
  reason: string | null
  uses: number
  users: number
  time_s: number
  timed: number
  completed: number
  failed: number
  abandoned: number
  ratings: number
  rating_sum: number
  attributed: number
  active_users: number
  active_revenue: number
  active_attributed: number
  eligible: number
  retained: number
  failing: number
  dropped: number
  upgraded: number
}

/** Use of one feature in one tier. `attributed`: revenue events that name the feature. */
export type FeatureUsageRow = Pick<
  StatsRow,
  | 'tier'
  | 'uses'
  | 'users'
  | 'time_s'
  | 'timed'
  | 'completed'
  | 'failed'
  | 'abandoned'
  | 'ratings'
  | 'rating_sum'
  | 'attributed'
> & { feature: string }
/** The feature's users among the tier's active users: their revenue, retention. */
export type FeatureUsersRow = {
  tier: string
  feature: string
  users: number
  revenue: number
  attributed: number
  eligible: number
  retained: number
}
/** The tier's active users, their revenue and retention. */
export type TierActivityRow = {
  tier: string
  users: number
  revenue: number
  eligible: number
  retained: number
}
/** Users who tried the feature; with a failed or abandoned use; and of those, no completed one. */
export type FeatureAccessRow = {
  tier: string
  feature: string
  entered: number
  failing: number
  dropped: number
}

/** Dropped users of a feature in a tier (`FeatureAccessRow.dropped`) by their latest reason. */
export type FeatureDropReasonRow = {
  tier: string
  feature: string
  reason: string
  users: number
}

/** What feature-access drop-offs need: the users, and the dropped ones' reasons. */
export type FeatureAccess = {
  access: FeatureAccessRow[]
  dropReasons: FeatureDropReasonRow[]
}

/** A tier's users of a feature (the whole tier when `feature` is null), and how many upgraded. */
export type TierUpgradeRow = {
  tier: string
  feature: string | null
  users: number
  upgraded: number
}

export type FeatureStats = FeatureAccess & {
  usage: FeatureUsageRow[]
  users: FeatureUsersRow[]
  tiers: TierActivityRow[]
  upgrades: TierUpgradeRow[]
}

export async function featureStats(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
  retentionCutoffDay: string,
  tiers: { name: string; monthly_price: number }[],
  /** readsInOrder, when the caller knows it; else read from the site's first day */
  ordered?: boolean,
): Promise<FeatureStats> {
  const { results } = await db
    .prepare(featureStatsSql(ordered ?? (await readOrder(db, siteId, days))))
    .bind(
      siteId,
      days.from_day,
      days.to_day,
      f.tier ?? null,
      f.device ?? null,
      f.feature ?? null,
      retentionCutoffDay,
      JSON.stringify(tiers),
    )
    .all<StatsRow>()
  const out: FeatureStats = {
    usage: [],
    users: [],
    tiers: [],
    access: [],
    dropReasons: [],
    upgrades: [],
  }
  for (const r of results) {
    const { tier, users, eligible, retained } = r
    if (r.reason !== null) {
      out.dropReasons.push({ tier, feature: r.feature!, reason: r.reason, users: r.dropped })
      continue
    }
    out.upgrades.push({ tier, feature: r.feature, users, upgraded: r.upgraded })
    if (r.feature === null) {
      out.tiers.push({ tier, users, revenue: r.active_revenue, eligible, retained })
      continue
    }
    const feature = r.feature
    const { uses, time_s, timed, completed, failed, abandoned, ratings, rating_sum } = r
    out.usage.push({
      tier,
      feature,
      uses,
      users,
      time_s,
      timed,
      completed,
      failed,
      abandoned,
      ratings,
      rating_sum,
      attributed: r.attributed,
    })
    out.users.push({
      tier,
      feature,
      users: r.active_users,
      revenue: r.active_revenue,
      attributed: r.active_attributed,
      eligible,
      retained,
    })
    out.access.push({ tier, feature, entered: users, failing: r.failing, dropped: r.dropped })
  }
  return out
}
