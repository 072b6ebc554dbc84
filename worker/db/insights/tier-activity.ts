/**
 * Active users per tier over a period, with their revenue and 7-day retention (DESIGN §7.1):
 * the denominators of adoption and of the users-versus-non-users comparisons.
 */
import type { DayRange } from '../../analysis/rollup-days'
import type { Filters } from '../../analysis/period'

export type TierActivityRow = {
  tier: string
  users: number
  revenue: number
  eligible: number
  retained: number
}

/**
 * One row per (tier, active user): revenue in the period; `eligible` when first active at
 * least 7 days before the period's last day (?7), `retained` when also active 7+ days later.
 */
export const TIER_USERS_CTE = `tier_users AS (
  SELECT tier, uid, sum(revenue) AS revenue,
    min(CASE WHEN events > 0 THEN day END) <= ?7 AS eligible,
    min(CASE WHEN events > 0 THEN day END) <= ?7
      AND julianday(max(CASE WHEN events > 0 THEN day END))
        - julianday(min(CASE WHEN events > 0 THEN day END)) >= 7 AS retained
  FROM rollup_user_days
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> ''
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
  GROUP BY tier, uid
  HAVING sum(events) > 0
)`

/** ?6 (feature) is unused here but bound, so both queries share the CTE's numbering. */
export const TIER_ACTIVITY_SQL = `WITH ${TIER_USERS_CTE}
SELECT tier, count(*) AS users, sum(revenue) AS revenue, sum(eligible) AS eligible,
  sum(retained) AS retained
FROM tier_users
WHERE ?6 IS NULL OR ?6 IS NOT NULL
GROUP BY tier
LIMIT 100`

export async function tierActivity(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
  retentionCutoffDay: string,
): Promise<TierActivityRow[]> {
  const { results } = await db
    .prepare(TIER_ACTIVITY_SQL)
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null, null, retentionCutoffDay)
    .all<TierActivityRow>()
  return results
}
