/**
 * The oldest day of activity the rollups still hold for a site: where the churn model's
 * history begins (worker/predict/train.ts). Not min(user_first_seen.first_day): the retention
 * purge keeps a still-active user's first-seen row (rollups/insights.ts PURGE_FIRST_SEEN), so
 * that day can be older than any day left, and a horizon counted from it would look for
 * windows that are gone. Rows of revenue only (events = 0) are the bank's backend, not
 * activity, and may reach further back.
 */
import type { Budget } from '../../rollups'

/** A walk of the (site_id, day, …) primary key from the site's first day: stops at a hit. */
export const OLDEST_ACTIVE_DAY_SQL = `SELECT day FROM rollup_user_days
WHERE site_id = ?1 AND events > 0 AND uid <> ''
ORDER BY day
LIMIT 1`

/** One query. */
export async function oldestActiveDay(
  db: D1Database,
  siteId: string,
  budget: Budget,
): Promise<string | null> {
  budget.left--
  const row = await db.prepare(OLDEST_ACTIVE_DAY_SQL).bind(siteId).first<{ day: string }>()
  return row?.day ?? null
}
