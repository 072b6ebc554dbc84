/**
 * Feature-access drop-offs (DESIGN §7.6) on their own: per (tier, feature) the users who tried
 * the feature, those with a failed or abandoned use, and of those, the ones with no completed
 * use; and per (tier, feature, reason) those dropped users by the reason of their latest failed
 * or abandoned use. The same numbers as `featureStats(…)`'s `access` and `dropReasons`, without
 * the tier-users and upgraders joins that only feature value and opportunities need, so
 * `/dropoffs` sorts the rollup rows once.
 */
import { readOrder, through } from './read-order'
import type { Filters } from '../../analysis/period'
import type { DayRange } from '../../analysis/rollup-days'
import {
  MAX_FEATURE_ROWS,
  MAX_REASON_ROWS,
  droppedReasonsSql,
  type FeatureAccess,
} from './feature-stats'

/**
 * `feature_users` as in feature-stats.ts, reading only what drop-offs need: `last_fail` (NULL
 * when no failed or abandoned use, migrations/0007) stands in for failed + abandoned, so the
 * per-user grouping carries no more columns than it did before it held reasons. Read through the
 * index in the grouping's order (migrations/0019) when `ordered`, as feature-stats.ts does.
 */
export const featureAccessSql = (ordered: boolean) => `WITH feature_users AS MATERIALIZED (
  SELECT tier, feature, uid <> '' AND sum(uses + starts) > 0 AS tried,
    max(last_fail) AS last_fail, sum(completed) AS completed
  FROM rollup_feature_days ${through('rollup_feature_days_tier', ordered)}
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5) AND (?6 IS NULL OR feature = ?6)
  GROUP BY tier, feature, uid
  ORDER BY tier, feature, uid
)
SELECT tier, feature, NULL AS reason, sum(tried) AS entered,
  sum(tried AND last_fail IS NOT NULL) AS failing,
  sum(tried AND last_fail IS NOT NULL AND completed = 0) AS dropped
FROM feature_users
GROUP BY tier, feature
UNION ALL
${droppedReasonsSql('tier, feature, reason, 0, 0, n')}
LIMIT ${MAX_FEATURE_ROWS + MAX_REASON_ROWS}`

type Row = {
  tier: string
  feature: string
  reason: string | null
  entered: number
  failing: number
  dropped: number
}

export async function featureAccess(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
  /** readsInOrder, when the caller knows it; else read from the site's first day */
  ordered?: boolean,
): Promise<FeatureAccess> {
  const { results } = await db
    .prepare(featureAccessSql(ordered ?? (await readOrder(db, siteId, days))))
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null, f.feature ?? null)
    .all<Row>()
  const out: FeatureAccess = { access: [], dropReasons: [] }
  for (const { reason, ...r } of results) {
    if (reason === null) out.access.push(r)
    else out.dropReasons.push({ tier: r.tier, feature: r.feature, reason, users: r.dropped })
  }
  return out
}
