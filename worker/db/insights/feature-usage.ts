/** Feature use per (tier, feature) over a period, from `rollup_feature_days` (DESIGN §7.1). */
import type { DayRange } from '../../analysis/rollup-days'
import type { Filters } from '../../analysis/period'

export type FeatureUsageRow = {
  tier: string
  feature: string
  uses: number
  users: number
  time_s: number
  timed: number
  completed: number
  failed: number
  abandoned: number
  ratings: number
  rating_sum: number
  /** Revenue events that name the feature. */
  attributed: number
}

/** Tiers × features is bounded by config (≤ 20 tiers, ≤ 100 features); this guards the rest. */
export const MAX_FEATURE_ROWS = 2_000

export const FEATURE_USAGE_SQL = `SELECT tier, feature, sum(uses) AS uses,
  count(DISTINCT CASE WHEN uses + starts > 0 AND uid <> '' THEN uid END) AS users,
  sum(time_s) AS time_s, sum(timed) AS timed,
  sum(completed) AS completed, sum(failed) AS failed, sum(abandoned) AS abandoned,
  sum(ratings) AS ratings, sum(rating_sum) AS rating_sum, sum(revenue) AS attributed
FROM rollup_feature_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5) AND (?6 IS NULL OR feature = ?6)
GROUP BY tier, feature
LIMIT ${MAX_FEATURE_ROWS}`

export async function featureUsage(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
): Promise<FeatureUsageRow[]> {
  const { results } = await db
    .prepare(FEATURE_USAGE_SQL)
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null, f.feature ?? null)
    .all<FeatureUsageRow>()
  return results
}
