/** Site activity per day (the dashboard's KPIs and chart), from `rollup_user_days`. */
import type { DayRange } from '../../analysis/rollup-days'
import type { Filters } from '../../analysis/period'

export type ActivityRow = {
  /** null on the period's total row. */
  day: string | null
  active_users: number
  sessions: number
  events: number
  revenue: number
}

/** The days of the period, then one total row (distinct users cannot be summed over days). */
export const ACTIVITY_SQL = `SELECT day,
  count(DISTINCT CASE WHEN events > 0 AND uid <> '' THEN uid END) AS active_users,
  sum(sessions) AS sessions, sum(events + revenue_events) AS events, sum(revenue) AS revenue
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
GROUP BY day
UNION ALL
SELECT NULL, count(DISTINCT CASE WHEN events > 0 AND uid <> '' THEN uid END),
  coalesce(sum(sessions), 0), coalesce(sum(events + revenue_events), 0), coalesce(sum(revenue), 0)
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
LIMIT 400`

export async function activity(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
): Promise<{ total: ActivityRow; days: ActivityRow[] }> {
  const { results } = await db
    .prepare(ACTIVITY_SQL)
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null)
    .all<ActivityRow>()
  const total = results.find((r) => r.day === null)!
  return {
    total,
    days: results.filter((r) => r.day !== null).sort((a, b) => (a.day! < b.day! ? -1 : 1)),
  }
}
