/**
 * One user's side of `GET /v1/sites/:site/users/:uid/insights`: whether the site knows them,
 * the features they ever used, and their recent days — each a seek on a (site_id, uid, …)
 * index of a rollup (rollup_user_days_activity, rollup_feature_days_user).
 */

export type RecentDay = {
  day: string
  events: number
  sessions: number
  features: number
  revenue: number
}

/** By user first: on the day-first primary key the planner would read every user's days. */
export const RECENT_SQL = `SELECT day, sum(events) AS events, sum(sessions) AS sessions,
  sum(features) AS features, sum(revenue) AS revenue
FROM rollup_user_days INDEXED BY rollup_user_days_activity
WHERE site_id = ?1 AND uid = ?2 AND day >= ?3
GROUP BY day
ORDER BY day DESC`

export const USED_SQL = `SELECT DISTINCT feature FROM rollup_feature_days INDEXED BY rollup_feature_days_user
WHERE site_id = ?1 AND uid = ?2 AND uses + starts > 0`

export const KNOWN_SQL = `SELECT EXISTS (SELECT 1 FROM user_first_seen WHERE site_id = ?1 AND uid = ?2)
  OR EXISTS (SELECT 1 FROM rollup_user_days INDEXED BY rollup_user_days_activity
    WHERE site_id = ?1 AND uid = ?2) AS known`

export async function userActivity(db: D1Database, siteId: string, uid: string, fromDay: string) {
  const [known, used, recent] = await db.batch([
    db.prepare(KNOWN_SQL).bind(siteId, uid),
    db.prepare(USED_SQL).bind(siteId, uid),
    db.prepare(RECENT_SQL).bind(siteId, uid, fromDay),
  ])
  return {
    known: Boolean((known.results[0] as { known: number } | undefined)?.known),
    used: new Set((used.results as { feature: string }[]).map((r) => r.feature)),
    recent: recent.results as RecentDay[],
  }
}
