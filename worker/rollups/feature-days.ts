/**
 * `rollup_feature_days` (use, outcome, time, ratings, attributed revenue and the latest failed
 * or abandoned use per user, feature, tier and device a day) and `rollup_feature_reasons` (why
 * uses failed or were abandoned, counted in uses: the low_success evidence, §7.7).
 */
import type { Rollup } from './index'
import { resolvedUid } from '../db/aliases'

const DAY_MS = 86_400_000

/**
 * `IS` and coalesce keep every sum a number when `status` is missing (it may be).
 * `last_fail`: the latest failed or abandoned use, ts zero-padded then reason, so that max() over
 * a period's rows is its latest (migrations/0007); it stands for a dropped user in §7.6.
 */
export const REBUILD_FEATURE_DAYS = `INSERT INTO rollup_feature_days (site_id, day, tier, device, feature, uid,
  uses, starts, completed, failed, abandoned, time_s, timed, ratings, rating_sum, revenue,
  last_fail)
SELECT ?1, ?4, coalesce(tier, 'unknown'), coalesce(device, 'unknown'), feature,
  coalesce(${resolvedUid('events')}, ''),
  sum(type = 'feature' AND coalesce(status, '') <> 'started'),
  sum(type = 'feature' AND status IS 'started'),
  sum(type = 'feature' AND status IS 'completed'),
  sum(type = 'feature' AND status IS 'failed'),
  sum(type = 'feature' AND status IS 'abandoned'),
  coalesce(sum(CASE WHEN type = 'feature' THEN value END), 0),
  count(CASE WHEN type = 'feature' THEN value END),
  count(CASE WHEN type = 'feedback' THEN value END),
  coalesce(sum(CASE WHEN type = 'feedback' THEN value END), 0),
  coalesce(sum(CASE WHEN type = 'revenue' THEN value END), 0),
  max(CASE WHEN type = 'feature' AND status IN ('failed', 'abandoned')
    THEN printf('%015d', ts) || coalesce(reason, 'unknown') END)
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type IN ('feature', 'feedback', 'revenue') AND ts >= ?2 AND ts < ?3
  AND feature IS NOT NULL
GROUP BY 3, 4, 5, 6`

export const REBUILD_FEATURE_REASONS = `INSERT INTO rollup_feature_reasons (site_id, day, tier, device, feature, reason, events)
SELECT ?1, ?4, coalesce(tier, 'unknown'), coalesce(device, 'unknown'), feature,
       coalesce(reason, 'unknown'), count(*)
FROM events INDEXED BY events_site_type_ts
WHERE site_id = ?1 AND type = 'feature' AND ts >= ?2 AND ts < ?3
  AND status IN ('failed', 'abandoned')
GROUP BY 3, 4, 5, 6`

export const featureDays: Rollup = {
  name: 'feature_days',
  rebuild: (db, siteId, dayStart, day) => [
    db.prepare('DELETE FROM rollup_feature_days WHERE site_id = ?1 AND day = ?2').bind(siteId, day),
    db.prepare(REBUILD_FEATURE_DAYS).bind(siteId, dayStart, dayStart + DAY_MS, day),
    db
      .prepare('DELETE FROM rollup_feature_reasons WHERE site_id = ?1 AND day = ?2')
      .bind(siteId, day),
    db.prepare(REBUILD_FEATURE_REASONS).bind(siteId, dayStart, dayStart + DAY_MS, day),
  ],
}
