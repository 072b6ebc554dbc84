/**
 * Users of each feature against the rest of their tier (DESIGN §7.1 revenue and retention
 * impact): per (tier, feature), the feature's users, their total revenue, the part of it
 * attributed to this feature, and how many were eligible for and kept by the 7-day retention
 * test. One row per (tier, feature); the per-user work stays in SQLite.
 */
import type { DayRange } from '../../analysis/rollup-days'
import type { Filters } from '../../analysis/period'
import { MAX_FEATURE_ROWS } from './feature-usage'
import { TIER_USERS_CTE } from './tier-activity'

export type FeatureUsersRow = {
  tier: string
  feature: string
  users: number
  revenue: number
  attributed: number
  eligible: number
  retained: number
}

export const FEATURE_USERS_SQL = `WITH ${TIER_USERS_CTE},
feature_users AS (
  SELECT tier, feature, uid, sum(revenue) AS attributed
  FROM rollup_feature_days
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> ''
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5) AND (?6 IS NULL OR feature = ?6)
  GROUP BY tier, feature, uid
  HAVING sum(uses + starts) > 0
)
SELECT f.tier, f.feature, count(*) AS users, sum(u.revenue) AS revenue,
  sum(f.attributed) AS attributed, sum(u.eligible) AS eligible, sum(u.retained) AS retained
FROM feature_users f JOIN tier_users u ON u.tier = f.tier AND u.uid = f.uid
GROUP BY f.tier, f.feature
LIMIT ${MAX_FEATURE_ROWS}`

export async function featureUsers(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
  retentionCutoffDay: string,
): Promise<FeatureUsersRow[]> {
  const { results } = await db
    .prepare(FEATURE_USERS_SQL)
    .bind(
      siteId,
      days.from_day,
      days.to_day,
      f.tier ?? null,
      f.device ?? null,
      f.feature ?? null,
      retentionCutoffDay,
    )
    .all<FeatureUsersRow>()
  return results
}
