/**
 * `rollup_user_days`: one row per user, tier and device a day, from every event type. Active
 * users (events > 0: a `revenue` event comes from the bank's backend, not the person), sessions,
 * events and revenue of any period sum or count-distinct over these rows.
 */
import { EVENT_TYPES } from '../schemas'
import type { Rollup } from './index'

/**
 * Naming every type lets the rebuild walk the day's slice of the (site_id, type, ts) index;
 * INDEXED BY keeps SQLite from walking the site's whole (site_id, uid, ts) index instead to
 * save the GROUP BY sort (as it may, given statistics).
 */
const ALL_TYPES = EVENT_TYPES.map((t) => `'${t}'`).join(', ')

export const REBUILD_USER_DAYS = `INSERT INTO rollup_user_days
  (site_id, day, tier, device, uid, events, sessions, revenue_events, revenue)
SELECT ?1, ?4, coalesce(tier, 'unknown'), coalesce(device, 'unknown'), coalesce(uid, ''),
       sum(type <> 'revenue'), count(DISTINCT sid), sum(type = 'revenue'),
       coalesce(sum(CASE WHEN type = 'revenue' THEN value END), 0)
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type IN (${ALL_TYPES}) AND ts >= ?2 AND ts < ?3
GROUP BY 3, 4, 5`

export const userDays: Rollup = {
  name: 'user_days',
  rebuild: (db, siteId, dayStart, day) => [
    db.prepare('DELETE FROM rollup_user_days WHERE site_id = ?1 AND day = ?2').bind(siteId, day),
    db.prepare(REBUILD_USER_DAYS).bind(siteId, dayStart, dayStart + 86_400_000, day),
  ],
}
