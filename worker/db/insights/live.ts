/**
 * The last few minutes from raw events (DESIGN §6 `/live`): naming every type lets SQLite walk
 * the (site_id, type, ts) index for each, so a live view never scans the table.
 */
import { EVENT_TYPES } from '../../schemas'

const ALL_TYPES = EVENT_TYPES.map((t) => `'${t}'`).join(', ')

export type LiveTotals = { events: number; active_users: number; sessions: number }
export type LiveMinuteRow = { type: string; minute: number; events: number }

/** Without INDEXED BY, SQLite may prefer the primary key: every event the site ever sent. */
export const LIVE_TOTALS_SQL = `SELECT count(*) AS events, count(DISTINCT uid) AS active_users,
  count(DISTINCT sid) AS sessions
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type IN (${ALL_TYPES}) AND ts >= ?2 AND ts < ?3`

/** Minute 0 is the oldest minute of the window. */
export const LIVE_MINUTES_SQL = `SELECT type, (ts - ?2) / 60000 AS minute, count(*) AS events
FROM events
WHERE site_id = ?1 AND type IN (${ALL_TYPES}) AND ts >= ?2 AND ts < ?3
GROUP BY type, minute
LIMIT 200`

export async function liveTotals(db: D1Database, siteId: string, from: number, to: number) {
  return (await db.prepare(LIVE_TOTALS_SQL).bind(siteId, from, to).first<LiveTotals>())!
}

export async function liveMinutes(db: D1Database, siteId: string, from: number, to: number) {
  const { results } = await db.prepare(LIVE_MINUTES_SQL).bind(siteId, from, to).all<LiveMinuteRow>()
  return results
}
