/**
 * The bank connections of users who ever paid, one entry per (institution, user) over the days
 * ?2–?3, from `rollup_connection_days` (the revenue levers, analysis/revenue/recommendations).
 * Users who never had MRR are left out in SQL (`rollup_revenue_days.paying`); whether a user
 * paid in the period, and when, is the MRR history's to say. One row per institution, its users
 * as one JSON text (D1 hands one long text over faster than a row per user).
 *
 * When `ordered` (read-order.ts; else by day range), the rows are read through
 * rollup_connection_days_grouped (migrations/0022), in (institution, tier, uid) order: SQLite
 * sums each (institution, tier, user) as it walks, with no sort of the period's rows, and only
 * those sums are regrouped across tiers (about half the time at 90 days).
 */
import { readOrder, through } from './read-order'
import type { UserConnections } from '../../analysis/revenue/recommendations'

export const payingConnectionsSql = (
  ordered: boolean,
) => `SELECT institution, json_group_array(json_array(uid, attempts,
  completed, failures, first_failure_day, last_failure_day)) AS users
FROM (
  SELECT institution, uid, sum(attempts) AS attempts, sum(completed) AS completed,
    sum(failures) AS failures, min(first_failure_day) AS first_failure_day,
    max(last_failure_day) AS last_failure_day
  FROM (
    SELECT institution, tier, uid, sum(attempts) AS attempts, sum(completed) AS completed,
      sum(failed + abandoned) AS failures,
      min(CASE WHEN failed + abandoned > 0 THEN day END) AS first_failure_day,
      max(CASE WHEN failed + abandoned > 0 THEN day END) AS last_failure_day
    FROM rollup_connection_days ${through('rollup_connection_days_grouped', ordered)}
    WHERE site_id = ?1 AND day >= ?2 AND day <= ?3 AND uid <> '' AND uid IN (
      SELECT uid FROM rollup_revenue_days WHERE site_id = ?1 AND day <= ?3 AND paying = 1
    )
    GROUP BY institution, tier, uid
  )
  GROUP BY institution, uid
)
GROUP BY institution`

type Entry = [string, number, number, number, string | null, string | null]

export async function payingUserConnections(
  db: D1Database,
  siteId: string,
  days: { from: string; to: string },
): Promise<UserConnections[]> {
  const { results } = await db
    .prepare(
      payingConnectionsSql(await readOrder(db, siteId, { from_day: days.from, to_day: days.to })),
    )
    .bind(siteId, days.from, days.to)
    .all<{ institution: string; users: string }>()
  return results.flatMap((r) =>
    (JSON.parse(r.users) as Entry[]).map(([uid, attempts, completed, failures, first, last]) => ({
      institution: r.institution,
      uid,
      attempts,
      completed,
      failures,
      first_failure_day: first,
      last_failure_day: last,
    })),
  )
}
