/** Site activity per day (the dashboard's KPIs and chart), from `rollup_user_days`. */
import { readOrder, through } from './read-order'
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

const DAYS = `SELECT day,
  count(DISTINCT CASE WHEN events > 0 AND uid <> '' THEN uid END) AS active_users,
  sum(sessions) AS sessions, sum(events + revenue_events) AS events, sum(revenue) AS revenue
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
GROUP BY day`

/**
 * The days of the period, then the period's active users (distinct users cannot be summed over
 * days; the other totals are the days' sums). Without a tier or device filter they are counted
 * from the (site_id, uid, day, events, …) index, one streamed group per user, where a distinct
 * count over the day-first primary key would sort the period's rows again — when `ordered`
 * (read-order.ts): a short period of a long history sorts its days' rows instead.
 */
export const activitySql = (ordered: boolean) => `${DAYS}
UNION ALL
SELECT NULL, count(*), NULL, NULL, NULL
FROM (
  SELECT uid FROM rollup_user_days ${through('rollup_user_days_activity', ordered)}
  WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND events > 0 AND uid <> ''
  GROUP BY uid
)
LIMIT 400`

/** The same with a tier or device filter, which that index does not hold. */
export const FILTERED_ACTIVITY_SQL = `${DAYS}
UNION ALL
SELECT NULL, count(DISTINCT CASE WHEN events > 0 AND uid <> '' THEN uid END), NULL, NULL, NULL
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day <= ?3
  AND (?4 IS NULL OR tier = ?4) AND (?5 IS NULL OR device = ?5)
LIMIT 400`

export async function activity(
  db: D1Database,
  siteId: string,
  days: DayRange,
  f: Filters,
  /** readsInOrder, when the caller knows it; else read from the site's first day */
  ordered?: boolean,
): Promise<{ total: ActivityRow; days: ActivityRow[] }> {
  const filtered = f.tier !== undefined || f.device !== undefined
  const { results } = await db
    .prepare(
      filtered
        ? FILTERED_ACTIVITY_SQL
        : activitySql(ordered ?? (await readOrder(db, siteId, days))),
    )
    .bind(siteId, days.from_day, days.to_day, f.tier ?? null, f.device ?? null)
    .all<ActivityRow>()
  const rows = results.filter((r) => r.day !== null).sort((a, b) => (a.day! < b.day! ? -1 : 1))
  const total: ActivityRow = {
    day: null,
    active_users: results.find((r) => r.day === null)!.active_users,
    sessions: 0,
    events: 0,
    revenue: 0,
  }
  for (const d of rows) {
    total.sessions += d.sessions
    total.events += d.events
    total.revenue += d.revenue
  }
  return { total, days: rows }
}
