/**
 * Why feature uses failed or were abandoned, per feature, counted in uses: the low_success
 * evidence (DESIGN §7.7), which reads like its success rate. Drop-off points count dropped users
 * instead, one reason each (feature-access.ts).
 */
import type { DayRange } from '../../analysis/rollup-days'
import type { Filters } from '../../analysis/period'

export type FeatureReasonRow = { feature: string; reason: string; events: number }

export const FEATURE_REASONS_SQL = `SELECT feature, reason, sum(events) AS events
FROM rollup_feature_reasons
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5) AND (?6 IS NULL OR feature = ?6)
GROUP BY feature, reason
ORDER BY events DESC
LIMIT 1000`

export async function featureReasons(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
): Promise<FeatureReasonRow[]> {
  const { results } = await db
    .prepare(FEATURE_REASONS_SQL)
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null, f.feature ?? null)
    .all<FeatureReasonRow>()
  return results
}
