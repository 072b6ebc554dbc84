/**
 * `rollup_user_days` (one row per user, tier and device a day, from every event type) and
 * `user_first_seen` (each user's first active day). Active users (events > 0: a `revenue` event
 * comes from the bank's backend, not the person), sessions, events and revenue of any period
 * sum or count-distinct over these rows; retention reads a user's active days through
 * (site_id, uid, day) and new users through user_first_seen (site_id, first_day).
 */
import { EVENT_TYPES } from '../schemas'
import type { Rollup } from './index'
import { resolvedUid } from '../db/aliases'

/**
 * Naming every type lets the rebuild walk the day's slice of the (site_id, type, ts) index;
 * INDEXED BY keeps SQLite from walking the site's whole (site_id, uid, ts) index instead to
 * save the GROUP BY sort (as it may, given statistics).
 */
const ALL_TYPES = EVENT_TYPES.map((t) => `'${t}'`).join(', ')
/** Each event's user, its anonymous id read as the uid it was linked to (db/aliases.ts). */
const USER = resolvedUid('events')
const NOT_REVENUE = (column: string) => `CASE WHEN type <> 'revenue' THEN ${column} END`

/**
 * A session counts once per user and day, in the row of its first event that day (`opens`),
 * so a user's rows add up to their distinct sessions even when the tier or device changed
 * during the session, and the rows of each tier add up to the sessions begun in it.
 */
export const REBUILD_USER_DAYS = `INSERT INTO rollup_user_days (site_id, day, uid, tier, device,
  events, sessions, revenue_events, revenue, pages, features, first_ts, last_ts)
SELECT ?1, ?4, uid, tier, device, sum(type <> 'revenue'), sum(opens), sum(type = 'revenue'),
  coalesce(sum(CASE WHEN type = 'revenue' THEN value END), 0), sum(type = 'page'),
  sum(type = 'feature'), min(${NOT_REVENUE('ts')}), max(${NOT_REVENUE('ts')})
FROM (
  SELECT coalesce(tier, 'unknown') AS tier, coalesce(device, 'unknown') AS device,
    coalesce(${USER}, '') AS uid, type, value, ts,
    sid IS NOT NULL AND row_number() OVER (PARTITION BY ${USER}, sid ORDER BY ts, id) = 1 AS opens
  FROM events INDEXED BY events_site_type_ts
  WHERE site_id = ?1 AND type IN (${ALL_TYPES}) AND ts >= ?2 AND ts < ?3
)
GROUP BY uid, tier, device`

/**
 * The value of `column` on the user's latest active row of the day that has one: as the
 * user's latest event carrying it, since each row holds one tier and device and its last_ts.
 * last_ts is zero-padded to 15 digits so the string max is the time max. 'unknown' is none.
 */
const latest = (column: string) =>
  `substr(max(CASE WHEN ${column} <> 'unknown' THEN printf('%015d', last_ts) || ${column} END), 16)`

/** Reads the day just rebuilt; an earlier day found later moves first_day back, never forward. */
export const UPSERT_USER_FIRST_SEEN = `INSERT INTO user_first_seen (site_id, uid, first_day, tier, device)
SELECT ?1, uid, ?2, ${latest('tier')}, ${latest('device')}
FROM rollup_user_days
WHERE site_id = ?1 AND day = ?2 AND uid <> '' AND events > 0
GROUP BY uid
ON CONFLICT (site_id, uid) DO UPDATE SET
  first_day = excluded.first_day, tier = excluded.tier, device = excluded.device
WHERE excluded.first_day <= user_first_seen.first_day`

export const userDays: Rollup = {
  name: 'user_days',
  rebuild: (db, siteId, dayStart, day) => [
    db.prepare('DELETE FROM rollup_user_days WHERE site_id = ?1 AND day = ?2').bind(siteId, day),
    db.prepare(REBUILD_USER_DAYS).bind(siteId, dayStart, dayStart + 86_400_000, day),
    db.prepare(UPSERT_USER_FIRST_SEEN).bind(siteId, day),
  ],
}
