/**
 * The performance rollups (migrations/0008, 0020, DESIGN §7.8): connection, feature and metric
 * outcomes and value histograms per hour and per day (a day's buckets also as rows), failure
 * reasons per day, and each user's latest successful connection per institution.
 * /performance reads these, never raw events.
 */
import { bucketSql } from '../analysis/performance/histogram'
import type { Rollup } from './index'

const KINDS = `'connection', 'feature', 'metric'`

/** The dimensions every performance row is keyed by, from an event. */
const DIMENSIONS = `type AS kind, coalesce(institution, '') AS institution,
  coalesce(feature, '') AS feature,
  CASE type WHEN 'connection' THEN coalesce(name, 'link') WHEN 'metric' THEN name ELSE '' END
    AS operation,
  coalesce(tier, 'unknown') AS tier, coalesce(device, 'unknown') AS device`
const KEY = 'kind, institution, feature, operation, tier, device'

/**
 * One statement for either grain: the events are grouped per key and value bucket first, then
 * per key with the buckets as one JSON object. ?1 site, ?2–?3 the day's ms range, ?4 the day.
 */
function rebuildSql(grain: 'hours' | 'days'): string {
  const hour = grain === 'hours' ? 'hour, ' : ''
  const hourOf =
    grain === 'hours' ? `CAST(strftime('%H', ts / 1000, 'unixepoch') AS INTEGER) AS hour,` : ''
  return `INSERT INTO rollup_perf_${grain} (site_id, day, ${hour}${KEY}, events, started,
  attempts, completed, failed, abandoned, value_n, value_sum, hist)
SELECT ?1, ?4, ${hour}${KEY}, sum(n), sum(started), sum(attempts), sum(completed), sum(failed), sum(abandoned),
  sum(value_n), sum(value_sum),
  nullif(json_group_object(bucket, json_array(value_n, value_sum)) FILTER (WHERE bucket IS NOT NULL), '{}')
FROM (
  SELECT ${hour}${KEY}, CASE WHEN value >= 0 THEN ${bucketSql('value')} END AS bucket,
    count(*) AS n, sum(status IS 'started') AS started, sum(coalesce(status, '') IN ('completed', 'failed', 'abandoned')) AS attempts,
    sum(status IS 'completed') AS completed, sum(status IS 'failed') AS failed,
    sum(status IS 'abandoned') AS abandoned, count(value) AS value_n,
    coalesce(sum(value), 0) AS value_sum
  FROM (
    SELECT ${hourOf} ${DIMENSIONS}, status,
      CASE WHEN type <> 'feature' THEN value END AS value
    FROM events INDEXED BY events_site_type_ts
    WHERE site_id = ?1 AND type IN (${KINDS}) AND ts >= ?2 AND ts < ?3
  )
  GROUP BY ${hour}${KEY}, bucket
)
GROUP BY ${hour}${KEY}`
}

export const REBUILD_PERF_HOURS = rebuildSql('hours')
export const REBUILD_PERF_DAYS = rebuildSql('days')

/**
 * The day's value buckets as rows (migrations/0020): the buckets of `hist` in
 * rollup_perf_days, which /performance sums without parsing JSON. ?1–?4 as above.
 */
export const REBUILD_PERF_BUCKETS = `INSERT INTO rollup_perf_buckets (site_id, day, kind, bucket,
  institution, feature, operation, tier, device, value_n, value_sum)
SELECT ?1, ?4, kind, ${bucketSql('value')} AS bucket, institution, feature, operation, tier,
  device, count(*), sum(value)
FROM (
  SELECT ${DIMENSIONS}, value
  FROM events INDEXED BY events_site_type_ts
  WHERE site_id = ?1 AND type IN ('connection', 'metric') AND ts >= ?2 AND ts < ?3
    AND value >= 0
)
GROUP BY kind, bucket, institution, feature, operation, tier, device`

export const REBUILD_PERF_REASONS = `INSERT INTO rollup_perf_reasons (site_id, day, ${KEY},
  status, reason, events)
SELECT ?1, ?4, ${KEY}, status, reason, count(*)
FROM (
  SELECT ${DIMENSIONS}, status, coalesce(reason, '') AS reason
  FROM events INDEXED BY events_site_type_ts
  WHERE site_id = ?1 AND type IN ('connection', 'feature') AND ts >= ?2 AND ts < ?3
    AND status IN ('failed', 'abandoned')
)
GROUP BY ${KEY}, status, reason`

/** The latest of `column` by ts: ts zero-padded to 15 digits sorts as a number. */
const latest = (column: string) => `substr(max(printf('%015d', ts) || ${column}), 16)`

/**
 * Moves each user's first success back and latest success forward, with the tier and device of
 * the latest; replaying a day changes nothing.
 */
export const UPSERT_CONNECTION_USERS = `INSERT INTO connection_users (site_id, institution, uid,
  first_ok, last_ok, tier, device)
SELECT ?1, institution, uid, min(ts), max(ts), ${latest("coalesce(tier, 'unknown')")},
  ${latest("coalesce(device, 'unknown')")}
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type = 'connection' AND ts >= ?2 AND ts < ?3 AND status = 'completed'
  AND uid IS NOT NULL AND institution IS NOT NULL
GROUP BY institution, uid
ON CONFLICT (site_id, institution, uid) DO UPDATE SET
  first_ok = min(first_ok, excluded.first_ok),
  last_ok = max(last_ok, excluded.last_ok),
  tier = CASE WHEN excluded.last_ok >= last_ok THEN excluded.tier ELSE tier END,
  device = CASE WHEN excluded.last_ok >= last_ok THEN excluded.device ELSE device END`

const TABLES = [
  'rollup_perf_hours',
  'rollup_perf_days',
  'rollup_perf_buckets',
  'rollup_perf_reasons',
]

export const perfRollup: Rollup = {
  name: 'perf',
  rebuild: (db, siteId, dayStart, day) => {
    const args = [siteId, dayStart, dayStart + 86_400_000, day] as const
    return [
      ...TABLES.map((t) =>
        db.prepare(`DELETE FROM ${t} WHERE site_id = ?1 AND day = ?2`).bind(siteId, day),
      ),
      db.prepare(REBUILD_PERF_HOURS).bind(...args),
      db.prepare(REBUILD_PERF_DAYS).bind(...args),
      db.prepare(REBUILD_PERF_BUCKETS).bind(...args),
      db.prepare(REBUILD_PERF_REASONS).bind(...args),
      db.prepare(UPSERT_CONNECTION_USERS).bind(siteId, dayStart, dayStart + 86_400_000),
    ]
  },
}

/** For the retention purge: the rollups' days before `day`, users whose last success is older. */
export function purgePerfBefore(db: D1Database, siteId: string, day: string) {
  return [
    ...TABLES.map((t) =>
      db.prepare(`DELETE FROM ${t} WHERE site_id = ?1 AND day < ?2`).bind(siteId, day),
    ),
    db
      .prepare(`DELETE FROM connection_users WHERE site_id = ?1 AND last_ok < unixepoch(?2) * 1000`)
      .bind(siteId, day),
  ]
}
