/** `rollup_connection_days`: bank-connection outcomes and latency per institution and user a day. */
import type { Rollup } from './index'
import { resolvedUid } from '../db/aliases'

export const REBUILD_CONNECTION_DAYS = `INSERT INTO rollup_connection_days (site_id, day, institution, tier, device, uid,
  attempts, completed, failed, abandoned, latency_sum, latency_n)
SELECT ?1, ?4, institution, coalesce(tier, 'unknown'), coalesce(device, 'unknown'),
  coalesce(${resolvedUid('events')}, ''),
  sum(coalesce(status, '') IN ('completed', 'failed', 'abandoned')),
  sum(status IS 'completed'), sum(status IS 'failed'), sum(status IS 'abandoned'),
  coalesce(sum(value), 0), count(value)
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type = 'connection' AND ts >= ?2 AND ts < ?3 AND institution IS NOT NULL
GROUP BY 3, 4, 5, 6`

export const connectionDays: Rollup = {
  name: 'connection_days',
  rebuild: (db, siteId, dayStart, day) => [
    db
      .prepare('DELETE FROM rollup_connection_days WHERE site_id = ?1 AND day = ?2')
      .bind(siteId, day),
    db.prepare(REBUILD_CONNECTION_DAYS).bind(siteId, dayStart, dayStart + 86_400_000, day),
  ],
}
