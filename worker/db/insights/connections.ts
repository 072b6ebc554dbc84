/** Bank-connection outcomes per (institution, tier) over a period, from `rollup_connection_days`. */
import { readOrder, through } from './read-order'
import type { DayRange } from '../../analysis/rollup-days'
import type { Filters } from '../../analysis/period'

export type ConnectionRow = {
  institution: string
  tier: string
  attempts: number
  completed: number
  failed: number
  abandoned: number
  latency_sum: number
  latency_n: number
  users: number
  /** Users with at least one failed or abandoned connection. */
  failing_users: number
}

/**
 * When `ordered` (read-order.ts), through the index in the grouping's order (migration 0022):
 * the groups stream, each one's users in order, instead of a sort of every row of the period.
 * A short period of a long history reads its days' primary-key range instead.
 */
export const connectionsSql = (
  ordered: boolean,
) => `SELECT institution, tier, sum(attempts) AS attempts,
  sum(completed) AS completed, sum(failed) AS failed, sum(abandoned) AS abandoned,
  sum(latency_sum) AS latency_sum, sum(latency_n) AS latency_n,
  count(DISTINCT CASE WHEN uid <> '' THEN uid END) AS users,
  count(DISTINCT CASE WHEN uid <> '' AND failed + abandoned > 0 THEN uid END) AS failing_users
FROM rollup_connection_days ${through('rollup_connection_days_grouped', ordered)}
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
GROUP BY institution, tier
LIMIT 2000`

export async function connections(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
  /** readsInOrder, when the caller knows it; else read from the site's first day */
  ordered?: boolean,
): Promise<ConnectionRow[]> {
  const { results } = await db
    .prepare(connectionsSql(ordered ?? (await readOrder(db, siteId, days))))
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null)
    .all<ConnectionRow>()
  return results
}
