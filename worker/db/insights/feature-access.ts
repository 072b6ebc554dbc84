/**
 * Feature-access drop-offs (DESIGN §7.6) on their own: per (tier, feature) the users who tried
 * the feature, those with a failed or abandoned use, and of those, the ones with no completed
 * use. The same numbers as `featureStats(…).access`, without the tier-users and upgraders joins
 * that only feature value and opportunities need, so `/dropoffs` sorts the rollup rows once.
 */
import type { Filters } from '../../analysis/period'
import type { DayRange } from '../../analysis/rollup-days'
import { MAX_FEATURE_ROWS, type FeatureAccessRow } from './feature-stats'

/** `tried` as in feature-stats.ts: a `feature` event (used or started) by a known user. */
export const FEATURE_ACCESS_SQL = `SELECT tier, feature, sum(tried) AS entered,
  sum(tried AND failing) AS failing, sum(tried AND failing AND completed = 0) AS dropped
FROM (
  SELECT tier, feature, uid <> '' AND sum(uses + starts) > 0 AS tried,
    sum(failed + abandoned) > 0 AS failing, sum(completed) AS completed
  FROM rollup_feature_days
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5) AND (?6 IS NULL OR feature = ?6)
  GROUP BY tier, feature, uid
)
GROUP BY tier, feature
LIMIT ${MAX_FEATURE_ROWS}`

export async function featureAccess(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
): Promise<FeatureAccessRow[]> {
  const { results } = await db
    .prepare(FEATURE_ACCESS_SQL)
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null, f.feature ?? null)
    .all<FeatureAccessRow>()
  return results
}
