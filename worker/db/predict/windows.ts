/**
 * What the churn model reads about every user over one window of days (DESIGN §7.10), from
 * rollups only: four GROUP BY uid statements over the day-first primary keys of
 * rollup_user_days, rollup_feature_days, workflow_runs and rollup_connection_days, so the cost
 * grows with the window's rows, never with raw events. Days are YYYY-MM-DD, `from` ≤ day < `to`.
 */
import type { Budget } from '../../rollups'

export type Window = { from: string; to: string }

/** One user's window: the inputs of analysis/predict/churn-features.ts. */
export type UserWindow = {
  active_days: number
  /** Active days in the window's second half (day ≥ `mid`). */
  recent_days: number
  sessions: number
  last_day: string
  tier: string
  features: string[]
  failed_runs: number
  completed_runs: number
  connection_failures: number
}

export const ACTIVITY_SQL = `SELECT uid, count(DISTINCT day) AS active_days,
  count(DISTINCT CASE WHEN day >= ?4 THEN day END) AS recent_days,
  sum(sessions) AS sessions, max(day) AS last_day,
  coalesce(substr(max(CASE WHEN tier <> 'unknown' THEN printf('%015d', last_ts) || tier END), 16),
    'unknown') AS tier
FROM rollup_user_days
WHERE site_id = ?1 AND day >= ?2 AND day < ?3 AND events > 0 AND uid <> ''
GROUP BY uid`

export const FEATURES_SQL = `SELECT uid, json_group_array(DISTINCT feature) AS features
FROM rollup_feature_days
WHERE site_id = ?1 AND day >= ?2 AND day < ?3 AND uses + starts > 0 AND uid <> ''
GROUP BY uid`

/**
 * A run is completed when it reached a `complete` step, failed when one of its step events
 * failed and it never completed (docs/models.md): read from the stored trail
 * `[[ts, step, status, reason], …]`, without the site config's step lists.
 */
export const RUNS_SQL = `SELECT uid, sum(done) AS completed_runs, sum(failed AND NOT done) AS failed_runs
FROM (
  SELECT uid,
    EXISTS (SELECT 1 FROM json_each(trail) j WHERE json_extract(j.value, '$[1]') = 'complete') AS done,
    EXISTS (SELECT 1 FROM json_each(trail) j WHERE json_extract(j.value, '$[2]') = 'failed') AS failed
  FROM workflow_runs
  WHERE site_id = ?1 AND day >= ?2 AND day < ?3 AND uid IS NOT NULL AND uid <> ''
)
GROUP BY uid`

export const CONNECTIONS_SQL = `SELECT uid, sum(failed) AS failed
FROM rollup_connection_days
WHERE site_id = ?1 AND day >= ?2 AND day < ?3 AND uid <> ''
GROUP BY uid
HAVING sum(failed) > 0`

/** The window's midpoint day: the activity trend compares the halves either side of it. */
export function midDay(w: Window): string {
  const from = Date.parse(`${w.from}T00:00:00Z`)
  const to = Date.parse(`${w.to}T00:00:00Z`)
  const half = Math.floor((to - from) / 86_400_000 / 2)
  return new Date(to - half * 86_400_000).toISOString().slice(0, 10)
}

/** Every user active in the window (an event other than `revenue`), four queries. */
export async function readWindow(
  db: D1Database,
  siteId: string,
  w: Window,
  budget: Budget,
): Promise<Map<string, UserWindow>> {
  budget.left -= 4
  const bind = (sql: string) => db.prepare(sql).bind(siteId, w.from, w.to)
  const [activity, features, runs, connections] = await db.batch([
    db.prepare(ACTIVITY_SQL).bind(siteId, w.from, w.to, midDay(w)),
    bind(FEATURES_SQL),
    bind(RUNS_SQL),
    bind(CONNECTIONS_SQL),
  ])
  const users = new Map<string, UserWindow>()
  type A = { uid: string; active_days: number; recent_days: number; sessions: number }
  for (const r of activity.results as (A & { last_day: string; tier: string })[]) {
    users.set(r.uid, {
      active_days: r.active_days,
      recent_days: r.recent_days,
      sessions: r.sessions,
      last_day: r.last_day,
      tier: r.tier,
      features: [],
      failed_runs: 0,
      completed_runs: 0,
      connection_failures: 0,
    })
  }
  for (const r of features.results as { uid: string; features: string }[]) {
    const u = users.get(r.uid)
    if (u) u.features = JSON.parse(r.features) as string[]
  }
  type R = { uid: string; completed_runs: number; failed_runs: number }
  for (const r of runs.results as R[]) {
    const u = users.get(r.uid)
    if (u) {
      u.completed_runs = r.completed_runs
      u.failed_runs = r.failed_runs
    }
  }
  for (const r of connections.results as { uid: string; failed: number }[]) {
    const u = users.get(r.uid)
    if (u) u.connection_failures = r.failed
  }
  return users
}
