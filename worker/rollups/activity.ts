/**
 * Per-user activity rollups (migrations/0004): who was active on a day, who was new, who used
 * which feature. Each statement replaces one (site, day); see ./index.ts for how they run.
 */
import { EVENT_TYPES } from '../schemas'
import type { Rollup } from './index'

const DAY_MS = 86_400_000
/** `revenue` comes from the bank's backend: a renewal is not the person coming back. */
const ACTIVITY_TYPES_SQL = EVENT_TYPES.filter((t) => t !== 'revenue')
  .map((t) => `'${t}'`)
  .join(', ')

/**
 * The last non-null value of a column in the group: ts is zero-padded to 15 digits so the
 * string max is the time max, and the value follows it.
 */
const lastOf = (column: string) =>
  `substr(max(CASE WHEN ${column} IS NOT NULL THEN printf('%015d', ts) || ${column} END), 16)`

/**
 * INDEXED BY: without it SQLite walks the site's whole (site_id, uid) index to save the
 * GROUP BY sort; the day's slice of (site_id, type, ts) plus a sort is far cheaper.
 */
export const REBUILD_DAILY_USER_ACTIVITY = `INSERT INTO daily_user_activity
  (site_id, day, uid, tier, device, events, sessions, pages, features, first_ts, last_ts)
SELECT ?1, ?2, uid, ${lastOf('tier')}, ${lastOf('device')}, count(*), count(DISTINCT sid),
  sum(type = 'page'), sum(type = 'feature'), min(ts), max(ts)
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type IN (${ACTIVITY_TYPES_SQL}) AND ts >= ?3 AND ts < ?4
  AND uid IS NOT NULL
GROUP BY uid`

/** Reads the day just rebuilt; an earlier day found later moves first_day back, never forward. */
export const UPSERT_USER_FIRST_SEEN = `INSERT INTO user_first_seen (site_id, uid, first_day, tier, device)
SELECT site_id, uid, day, tier, device FROM daily_user_activity WHERE site_id = ?1 AND day = ?2
ON CONFLICT (site_id, uid) DO UPDATE SET
  first_day = excluded.first_day, tier = excluded.tier, device = excluded.device
WHERE excluded.first_day <= user_first_seen.first_day`

export const REBUILD_DAILY_FEATURE_USERS = `INSERT INTO daily_feature_users (site_id, day, feature, uid, uses)
SELECT ?1, ?2, feature, uid, count(*)
FROM events
WHERE site_id = ?1 AND type = 'feature' AND ts >= ?3 AND ts < ?4
  AND uid IS NOT NULL AND feature IS NOT NULL
GROUP BY feature, uid`

export const activityRollup: Rollup = {
  name: 'activity',
  rebuild: (db, siteId, dayStart, day) => [
    db.prepare('DELETE FROM daily_user_activity WHERE site_id = ?1 AND day = ?2').bind(siteId, day),
    db.prepare(REBUILD_DAILY_USER_ACTIVITY).bind(siteId, day, dayStart, dayStart + DAY_MS),
    db.prepare(UPSERT_USER_FIRST_SEEN).bind(siteId, day),
    db.prepare('DELETE FROM daily_feature_users WHERE site_id = ?1 AND day = ?2').bind(siteId, day),
    db.prepare(REBUILD_DAILY_FEATURE_USERS).bind(siteId, day, dayStart, dayStart + DAY_MS),
  ],
}
