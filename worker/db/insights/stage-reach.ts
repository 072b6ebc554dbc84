/**
 * How far users got through each journey's stages (for the journey-leak opportunity, DESIGN
 * §7.7): users per tier (the last one their stage events carried) and furthest stage reached,
 * from raw `stage` events through their partial covering index (migration 0021: every column
 * read here, so no table lookup per event). The full journey analysis (§7.4) lives in
 * journeys.ts.
 */
import type { Filters, Range } from '../../analysis/period'
import { STAGES } from '../../schemas'
import { resolvedUid } from '../aliases'

export type StageReachRow = { journey: string; tier: string; furthest: number; users: number }

/** Stage → its position in the lifecycle; `churn` is terminal and has none. */
const RANK = STAGES.filter((s) => s !== 'churn')
  .map((s, i) => `WHEN '${s}' THEN ${i}`)
  .join(' ')

export const STAGE_REACH_SQL = `SELECT journey, tier, furthest, count(*) AS users
FROM (
  SELECT coalesce(journey, 'lifecycle') AS journey, ${resolvedUid('events')} AS uid,
    coalesce(substr(max(CASE WHEN tier IS NOT NULL THEN printf('%015d', ts) || tier END), 16),
      'unknown') AS tier,
    max(CASE stage ${RANK} END) AS furthest
  FROM events INDEXED BY events_stage_trail
  WHERE site_id = ?1 AND type = 'stage' AND ts >= ?2 AND ts < ?3 AND uid IS NOT NULL
    AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
  GROUP BY 1, 2
)
WHERE furthest IS NOT NULL
GROUP BY journey, tier, furthest
LIMIT 2000`

export async function stageReach(
  db: D1Database,
  siteId: string,
  range: Range,
  f: Filters,
): Promise<StageReachRow[]> {
  const { results } = await db
    .prepare(STAGE_REACH_SQL)
    .bind(siteId, range.from, range.to, f.tier ?? null, f.device ?? null)
    .all<StageReachRow>()
  return results
}
